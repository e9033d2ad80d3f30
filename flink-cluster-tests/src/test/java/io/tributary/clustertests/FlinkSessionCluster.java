package io.tributary.clustertests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Flink 1.20 standalone session cluster as {@code bin/start-cluster.sh} starts it: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}), each
 * in its own JVM, on the class path of a distribution's {@code lib/} (see the module's pom), with a
 * real {@code conf/config.yaml}, the JVM memory flags Flink's scripts compute with {@code
 * BashJavaUtils}, and logs in files.
 *
 * <p>Contract: {@link #start} returns once the REST API answers and the TaskManager has registered
 * its slots; {@link #close} always ends both processes (SIGTERM, then SIGKILL after 20 s). Each
 * {@link #start} after a {@link #close} runs fresh JVMs with fresh ports and logs, on the same
 * checkpoint and savepoint directories.
 */
final class FlinkSessionCluster implements AutoCloseable {
  /** Flink 1.20's distribution config.yaml: {@code env.java.opts.all}, needed on Java 17. */
  static final String JAVA_17_OPTS =
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
          + " --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED"
          + " --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED"
          + " --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED"
          + " --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED"
          + " --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED"
          + " --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED"
          + " --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
          + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
          + " --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED"
          + " --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED";

  /**
   * Not a production setting: the cluster JVMs compile with C1 only. This test is start-ups, class
   * loading and a few events per second, where C2's compilations cost more CPU than they save; on
   * two cores that CPU is the test's wall time. Class loading and its leaks are unaffected.
   */
  static final String TEST_JIT_OPTS = "-XX:TieredStopAtLevel=1";

  /**
   * Not in the distribution's defaults, and only a measuring aid: soft references (JDK and library
   * caches) are cleared at every full GC, so metaspace read after {@code GC.run} shows what is
   * strongly held, not what a lenient GC happened to keep.
   */
  static final String MEASUREMENT_OPTS = "-XX:SoftRefLRUPolicyMSPerMB=0" + " " + TEST_JIT_OPTS;

  private static final String JM_ENTRY_POINT = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TM_ENTRY_POINT = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String EXEC_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";

  private final Path lib;
  private final Path home;
  private final int slots;
  private int generation;
  private Path conf;
  private Path logs;
  private int restPort;
  private Process jobManager;
  private Process taskManager;
  private FlinkRest rest;

  /**
   * @param lib the assembled {@code lib/} (Flink modules and logging only)
   * @param home the cluster's directory: {@code conf-<n>/}, {@code log-<n>/}, checkpoints, savepoints
   */
  FlinkSessionCluster(Path lib, Path home, int slots) {
    this.lib = lib;
    this.home = home;
    this.slots = slots;
  }

  Path checkpoints() {
    return home.resolve("checkpoints");
  }

  Path savepoints() {
    return home.resolve("savepoints");
  }

  /** How often {@link #start} ran: each start is a new cluster. */
  int generation() {
    return generation;
  }

  FlinkRest rest() {
    return rest;
  }

  long jobManagerPid() {
    return jobManager.pid();
  }

  long taskManagerPid() {
    return taskManager.pid();
  }

  /** Where the current processes log; printed when a test fails. */
  String logFiles() {
    try (Stream<Path> files = Files.list(logs)) {
      return files.sorted().map(Path::toString).collect(Collectors.joining("\n  ", "Flink logs:\n  ", ""));
    } catch (IOException e) {
      return "Flink logs in " + logs;
    }
  }

  /** Lines of the current processes' logs that contain {@code text}, prefixed with the file name. */
  List<String> logLines(String text) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.sorted().collect(Collectors.toList())) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
          lines.filter(l -> l.contains(text)).forEach(l -> found.add(file.getFileName() + ": " + l));
        } catch (java.io.UncheckedIOException e) {
          // a binary file (a heap dump): nothing to read
        }
      }
    }
    return found;
  }

  /** Writes a new configuration, starts the JobManager and the TaskManager and waits for both. */
  void start() throws Exception {
    generation++;
    conf = home.resolve("conf-" + generation);
    logs = home.resolve("log-" + generation);
    Files.createDirectories(conf);
    Files.createDirectories(logs);
    Files.createDirectories(checkpoints());
    Files.createDirectories(savepoints());
    restPort = freePort();
    Files.writeString(conf.resolve("config.yaml"), configYaml(), StandardCharsets.UTF_8);
    Files.writeString(conf.resolve("log4j.properties"), LOG4J, StandardCharsets.UTF_8);
    rest = new FlinkRest("http://127.0.0.1:" + restPort);

    List<String> jm = resourceParams("GET_JM_RESOURCE_PARAMS");
    jobManager = launch("jobmanager", jm.get(0), JM_ENTRY_POINT,
        List.of("--configDir", conf.toString(), "--executionMode", "cluster"), jm.size() > 1 ? jm.get(1) : "");
    rest.awaitUp(Duration.ofSeconds(90), jobManager, logFiles());
    List<String> tm = resourceParams("GET_TM_RESOURCE_PARAMS");
    taskManager = launch("taskmanager", tm.get(0), TM_ENTRY_POINT, List.of("--configDir", conf.toString()), tm.get(1));
    rest.awaitSlots(slots, Duration.ofSeconds(90), taskManager, logFiles());
    System.out.printf("Flink session cluster %d up: REST %s, JobManager pid %d, TaskManager pid %d (%d slots), logs in %s%n",
        generation, rest.base(), jobManager.pid(), taskManager.pid(), slots, logs);
  }

  /** Ends both processes, like {@code stop-cluster.sh} (SIGTERM), and SIGKILL for what does not end. */
  @Override
  public void close() {
    for (Process p : new Process[] {taskManager, jobManager}) {
      if (p != null && p.isAlive()) {
        p.destroy();
      }
    }
    for (Process p : new Process[] {taskManager, jobManager}) {
      if (p == null) {
        continue;
      }
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    taskManager = null;
    jobManager = null;
  }

  private String configYaml() throws IOException {
    String host = "127.0.0.1";
    return String.join("\n",
        "env:",
        "  java:",
        "    opts:",
        "      all: " + JAVA_17_OPTS + " " + MEASUREMENT_OPTS,
        "jobmanager:",
        "  bind-host: " + host,
        "  rpc:",
        "    address: " + host,
        "    port: " + freePort(),
        "  memory:",
        "    process:",
        "      size: 1600m",
        // Four fat jobs (each with its own copy of Hadoop, the AWS SDK, Delta Kernel, Debezium) run at
        // once in the restore scenario: more metaspace than the 256m default, as for any busy session
        // cluster. Leaks are measured as growth per cycle, independent of this limit.
        "    jvm-metaspace:",
        "      size: 512m",
        "  execution:",
        "    failover-strategy: region",
        "taskmanager:",
        "  bind-host: " + host,
        "  host: " + host,
        "  rpc:",
        "    port: " + freePort(),
        "  data:",
        "    port: " + freePort(),
        "  numberOfTaskSlots: " + slots,
        "  memory:",
        "    process:",
        "      size: 3g",
        "    jvm-metaspace:",
        "      size: 512m",
        "parallelism:",
        "  default: 1",
        "blob:",
        "  server:",
        "    port: " + freePort(),
        "rest:",
        "  address: " + host,
        "  bind-address: " + host,
        "  port: " + restPort,
        // Flink's default, stated: each job's classes come from its own child-first class loader.
        "classloader:",
        "  resolve-order: child-first",
        "state:",
        "  backend:",
        "    type: rocksdb",
        "    incremental: true",
        "  checkpoints:",
        "    dir: " + checkpoints().toUri(),
        "  savepoints:",
        "    dir: " + savepoints().toUri(),
        "restart-strategy:",
        "  type: fixed-delay",
        "  fixed-delay:",
        "    attempts: 20",
        "    delay: 1 s",
        "metrics:",
        "  fetcher:",
        "    update-interval: 1000",
        "io:",
        "  tmp:",
        "    dirs: " + home.resolve("tmp-" + generation),
        "web:",
        "  tmpdir: " + home.resolve("web-" + generation),
        "");
  }

  /** Runs {@code BashJavaUtils} as {@code bin/config.sh} does; returns JVM flags, then dynamic properties. */
  private List<String> resourceParams(String command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-classpath", classPath(), BASH_JAVA_UTILS, command,
        "--configDir", conf.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command + " failed:\n" + output);
    }
    List<String> results = output.lines().filter(l -> l.startsWith(EXEC_RESULT))
        .map(l -> l.substring(EXEC_RESULT.length()).trim()).collect(Collectors.toList());
    if (results.isEmpty()) {
      throw new IllegalStateException(command + " printed no result:\n" + output);
    }
    return results;
  }

  private Process launch(String role, String jvmParams, String mainClass, List<String> args, String dynamicProperties)
      throws IOException {
    Path logFile = logs.resolve("flink-" + role + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.addAll(split(jvmParams));
    cmd.addAll(split(JAVA_17_OPTS + " " + MEASUREMENT_OPTS));
    cmd.add("-Dlog.file=" + logFile);
    cmd.add("-Dlog4j.configuration=file:" + conf.resolve("log4j.properties"));
    cmd.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
    cmd.add("-classpath");
    cmd.add(classPath());
    cmd.add(mainClass);
    cmd.addAll(args);
    cmd.addAll(split(dynamicProperties));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve("flink-" + role + ".out").toFile())
        .start();
  }

  private String classPath() throws IOException {
    try (Stream<Path> jars = Files.list(lib)) {
      List<String> entries = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted()
          .collect(Collectors.toList());
      if (entries.isEmpty()) {
        throw new IllegalStateException("No jars in " + lib + ": run the build through Maven (process-test-resources)");
      }
      return String.join(java.io.File.pathSeparator, entries);
    }
  }

  private static List<String> split(String params) {
    return Arrays.stream(params.trim().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toList());
  }

  private static String javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Flink's distribution log4j.properties, reduced to the file appender. */
  private static final String LOG4J = String.join("\n",
      "monitorInterval=30",
      "rootLogger.level = INFO",
      "rootLogger.appenderRef.file.ref = MainAppender",
      "logger.pekko.name = org.apache.pekko",
      "logger.pekko.level = INFO",
      "logger.zookeeper.name = org.apache.zookeeper",
      "logger.zookeeper.level = INFO",
      "appender.main.name = MainAppender",
      "appender.main.type = File",
      "appender.main.append = true",
      "appender.main.fileName = ${sys:log.file}",
      "appender.main.layout.type = PatternLayout",
      "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
      "");
}
