package io.tributary.clustertests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Looks into a cluster JVM with {@code jcmd}'s diagnostic commands, as an operator would: full GC, metaspace in use, live
 * user-code class loaders, and the threads with their stacks.
 */
final class JvmInspector {
  private static final Pattern THREAD_HEADER = Pattern.compile("^\"(.*)\" #\\d+");
  private static final Pattern FRAME = Pattern.compile("^\\s+at ([\\w$.]+)\\.[^.(]+\\(");
  private static final Pattern METASPACE_BOTH =
      Pattern.compile("Both:.*?committed,\\s+([\\d.]+)\\s*([KMG]B|bytes)\\s*\\([^)]*\\)\\s*used");
  /** Flink's user-code class loaders (child-first and parent-first). */
  private static final String[] USER_CODE_LOADERS = {
    "org.apache.flink.util.ChildFirstClassLoader",
    "org.apache.flink.runtime.execution.librarycache.FlinkUserCodeClassLoaders$ParentFirstClassLoader",
  };

  private final Set<String> jobOnlyClasses;

  /**
   * @param jobJars the jars under test
   * @param lib the cluster's class path: a class in a job jar but not here can only be job code
   */
  JvmInspector(Collection<Path> jobJars, Path lib) throws IOException {
    Set<String> job = new HashSet<>();
    for (Path jar : jobJars) {
      job.addAll(classNames(jar));
    }
    try (var jars = Files.list(lib)) {
      for (Path jar : (Iterable<Path>) jars::iterator) {
        job.removeAll(classNames(jar));
      }
    }
    this.jobOnlyClasses = job;
  }

  /** A thread of a JVM: its name and the job-only classes on its stack. */
  record JvmThread(String name, List<String> jobFrames) {
    /** The name with numbers replaced by {@code #}: threads of one pool share it. */
    String kind() {
      return name.replaceAll("\\d+", "#");
    }
  }

  /** A full GC ({@code GC.run}). */
  static void fullGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
  }

  /**
   * Metaspace in use after full GCs, once it stops shrinking: a class loader whose last reference
   * goes away only after finalization or a cleaner (so only at the next GC) is not counted as held.
   */
  static double settledMetaspaceUsedMb(long pid) throws Exception {
    fullGc(pid);
    double last = metaspaceUsedMb(pid);
    for (int i = 0; i < 5; i++) {
      Thread.sleep(1_000);
      fullGc(pid);
      double now = metaspaceUsedMb(pid);
      if (now > last - 0.5) {
        return now;
      }
      last = now;
    }
    return last;
  }

  /** Metaspace in use (class and non-class), in MB ({@code VM.metaspace}). */
  static double metaspaceUsedMb(long pid) throws Exception {
    String out = jcmd(pid, "VM.metaspace");
    int total = out.indexOf("Total Usage");
    Matcher m = METASPACE_BOTH.matcher(total < 0 ? out : out.substring(total));
    if (!m.find()) {
      throw new IllegalStateException("Unexpected VM.metaspace output:\n" + out);
    }
    double value = Double.parseDouble(m.group(1));
    switch (m.group(2)) {
      case "GB":
        return value * 1024;
      case "KB":
        return value / 1024;
      case "bytes":
        return value / (1024 * 1024);
      default:
        return value;
    }
  }

  /** Live instances of Flink's user-code class loaders ({@code GC.class_histogram}, itself a full GC). */
  static int liveUserCodeClassLoaders(long pid) throws Exception {
    int n = 0;
    for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4) {
        for (String loader : USER_CODE_LOADERS) {
          if (f[3].equals(loader)) {
            n += Integer.parseInt(f[1]);
          }
        }
      }
    }
    return n;
  }

  /** The JVM's Java threads ({@code Thread.print}) with the job-only classes on their stacks. */
  List<JvmThread> threads(long pid) throws Exception {
    List<JvmThread> threads = new ArrayList<>();
    String name = null;
    List<String> frames = new ArrayList<>();
    for (String line : jcmd(pid, "Thread.print").split("\n")) {
      Matcher header = THREAD_HEADER.matcher(line);
      if (header.find()) {
        if (name != null) {
          threads.add(new JvmThread(name, frames));
        }
        name = header.group(1);
        frames = new ArrayList<>();
        continue;
      }
      Matcher frame = FRAME.matcher(line);
      if (name != null && frame.find()) {
        String cls = frame.group(1);
        int lambda = cls.indexOf("$$Lambda");
        if (lambda > 0) {
          cls = cls.substring(0, lambda);
        }
        if (jobOnlyClasses.contains(cls) && !frames.contains(cls)) {
          frames.add(cls);
        }
      }
    }
    if (name != null) {
      threads.add(new JvmThread(name, frames));
    }
    return threads;
  }

  /** Thread kinds ({@link JvmThread#kind()}) and how many threads each has. */
  static Map<String, Integer> kinds(List<JvmThread> threads) {
    Map<String, Integer> out = new TreeMap<>();
    threads.forEach(t -> out.merge(t.kind(), 1, Integer::sum));
    return out;
  }

  /** JMX connections to the cluster JVMs' diagnostic commands, one per process. */
  private static final Map<Long, javax.management.remote.JMXConnector> CONNECTIONS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

  /**
   * Runs a diagnostic command ({@code jcmd <pid> <command>}) through the JVM's DiagnosticCommand
   * MBean: the attach API starts the target's local management agent once, and every later command
   * is a JMX call, not a new {@code jcmd} JVM (each cost about half a CPU-second on two cores).
   */
  private static String jcmd(long pid, String command) throws Exception {
    String operation = operationName(command);
    for (int attempt = 0; ; attempt++) {
      javax.management.remote.JMXConnector connector = CONNECTIONS.computeIfAbsent(pid, JvmInspector::connect);
      try {
        Object out = connector.getMBeanServerConnection().invoke(
            new javax.management.ObjectName(DIAGNOSTIC_COMMAND), operation, new Object[] {new String[0]},
            new String[] {String[].class.getName()});
        return String.valueOf(out);
      } catch (java.io.IOException e) {
        CONNECTIONS.remove(pid, connector); // the process restarted or the connection broke: connect again once
        connector.close();
        if (attempt > 0) {
          throw new IllegalStateException("jcmd " + pid + " " + command + " failed", e);
        }
      }
    }
  }

  /** {@code GC.class_histogram} -> {@code gcClassHistogram}: the MBean's name for a command. */
  static String operationName(String command) {
    StringBuilder name = new StringBuilder();
    boolean upper = false;
    for (char c : command.toCharArray()) {
      if (c == '.' || c == '_') {
        upper = true;
      } else {
        name.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        upper = false;
      }
    }
    return name.toString();
  }

  private static javax.management.remote.JMXConnector connect(long pid) {
    try {
      com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid));
      String address;
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
      return javax.management.remote.JMXConnectorFactory.connect(new javax.management.remote.JMXServiceURL(address));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot attach to JVM " + pid, e);
    }
  }

  private static Set<String> classNames(Path jar) throws IOException {
    Set<String> names = new HashSet<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        String n = e.getName();
        if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
          names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
        }
      }
    }
    return names;
  }
}
