package io.tributary.kinesis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A local Kinesis emulator (kinesis-mock, npm package {@code kinesis-local}) run as a Node.js child process,
 * listening on 127.0.0.1 only.
 *
 * <pre>{@code
 * try (KinesisEmulator kinesis = KinesisEmulator.builder().build().start()) {
 *   kinesis.createStream("events", 2);
 *   try (KinesisClient client = kinesis.newClient()) { ... }
 * }
 * }</pre>
 *
 * <p>The emulator's npm installation (the folder holding {@code node_modules/kinesis-local}) is found, in order,
 * from {@link Builder#emulatorDir(Path)}, the system property {@value #DIR_PROPERTY}, the environment variable
 * {@value #DIR_ENV}, then {@code target/npm}, {@code kinesis-emulator/target/npm} and
 * {@code ../kinesis-emulator/target/npm} relative to the working directory. The Maven build of the
 * {@code kinesis-emulator} module installs it there with {@code npm ci}.
 *
 * <p>kinesis-mock has no setting for its listen address (it binds 0.0.0.0); a small Node preload script shipped
 * in this jar ({@code emulator-preload.cjs}, run with {@code node --require}) rewrites its wildcard listens to
 * 127.0.0.1, and, unless data is persisted, makes it exit at once on SIGTERM instead of its multi-second graceful
 * shutdown. The emulator
 * serves plain HTTP/1.1 and h2c (HTTP/2 without TLS, for enhanced fan-out) on
 * {@link #endpoint()}, and HTTPS with a self-signed certificate on {@link #tlsEndpoint()}.
 *
 * <p>By default the emulator keeps everything in memory. With {@link Builder#persistDirectory(Path)} it writes its
 * streams and records to that folder when it stops and reloads them at start, and {@link #restart()}
 * stops and starts it on the same ports with the same data, e.g. to test how clients ride out an outage.
 *
 * <p>Its output goes to a log file ({@link #logFile()}), by default under the build's {@code target/} folder.
 * Writes to a shard slow down as the shard fills, so keep test streams small.
 */
public final class KinesisEmulator implements AutoCloseable {

  /** System property naming the folder that holds {@code node_modules/kinesis-local}. */
  public static final String DIR_PROPERTY = "tributary.kinesis.emulator.dir";
  /** Environment variable naming the folder that holds {@code node_modules/kinesis-local}. */
  public static final String DIR_ENV = "TRIBUTARY_KINESIS_EMULATOR_DIR";
  /** System property naming the {@code node} executable; default: {@code node} found on PATH. */
  public static final String NODE_PROPERTY = "tributary.node";

  /** The account kinesis-mock namespaces streams under by default. */
  public static final String ACCOUNT_ID = "000000000000";

  static final String LOOPBACK = "127.0.0.1";
  private static final String PACKAGE_PATH = "node_modules/kinesis-local";
  private static final String MAIN_JS = "main.js";
  private static final String PRELOAD_RESOURCE = "emulator-preload.cjs";
  private static final int LOG_TAIL_LINES = 40;
  private static final int PORT_ATTEMPTS = 3;

  private final Path configuredDir;
  private final Path configuredLogFile;
  private final String region;
  private final Duration startupTimeout;
  private final Map<String, String> extraEnv;
  private final Path persistDirectory;
  private final Duration persistInterval;

  private Process process;
  /** During {@link #restart()}: the endpoints stay valid while no process runs. */
  private volatile boolean restarting;
  private Thread shutdownHook;
  private int plainPort;
  private int tlsPort;
  private Path logFile;
  private Duration startupTime;
  private KinesisClient adminClient;

  private KinesisEmulator(Builder builder) {
    this.configuredDir = builder.emulatorDir;
    this.configuredLogFile = builder.logFile;
    this.region = builder.region;
    this.startupTimeout = builder.startupTimeout;
    this.extraEnv = new LinkedHashMap<>(builder.env);
    this.persistDirectory = builder.persistDirectory == null ? null : builder.persistDirectory.toAbsolutePath().normalize();
    this.persistInterval = builder.persistInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the emulator on free ports of 127.0.0.1 and waits until it answers.
   *
   * @return this
   * @throws IllegalStateException if Node.js or the emulator's npm installation is missing, or the emulator did
   *     not answer within the startup timeout (the message then holds the last lines of its log)
   */
  public synchronized KinesisEmulator start() {
    if (process != null) {
      throw new IllegalStateException("Kinesis emulator already started at " + endpoint());
    }
    String node = findNode();
    Path packageDir = emulatorPackageDir();
    Path preload = null;
    IllegalStateException lastFailure = null;
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      long startNanos = System.nanoTime();
      int[] ports = freePorts(2);
      plainPort = ports[0];
      tlsPort = ports[1];
      logFile = configuredLogFile != null ? configuredLogFile : defaultLogFile(packageDir, plainPort);
      try {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        if (preload == null) {
          preload = extractPreload(logFile.toAbsolutePath().getParent());
        }
        process = launch(node, preload, packageDir, false);
      } catch (IOException e) {
        throw new IllegalStateException("Could not start the Kinesis emulator (" + node + " in " + packageDir + "): " + e, e);
      }
      registerShutdownHook();
      try {
        awaitReady(startNanos);
        startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
        return this;
      } catch (IllegalStateException e) {
        boolean exited = !process.isAlive();
        String tail = logTail();
        stopProcess();
        lastFailure = e;
        // Another process took a port between our probe and the emulator's bind: try other ports.
        if (!(exited && tail.contains("EADDRINUSE")) || attempt == PORT_ATTEMPTS) {
          throw e;
        }
      }
    }
    throw Objects.requireNonNull(lastFailure);
  }

  /**
   * Stops the emulator gracefully (SIGTERM: kinesis-mock writes its data to the persist directory and exits), then
   * starts it again on the same plain and TLS ports, where it reloads its streams, shards and records with their
   * sequence numbers. Blocks until the new process answers. Clients keep working with the same endpoints; calls made
   * while it is down fail with connection errors.
   *
   * @return how long the emulator did not answer: from the stop signal until the new process answered
   * @throws IllegalStateException if the emulator was built without {@link Builder#persistDirectory(Path)} (a restart
   *     would silently lose every stream and record), is not started, or did not come back within the startup timeout
   *     (the message then holds the last lines of its log, and the emulator is stopped)
   */
  public synchronized Duration restart() {
    requireStarted();
    if (persistDirectory == null) {
      throw new IllegalStateException("Cannot restart a Kinesis emulator without a persist directory: kinesis-mock keeps"
          + " streams and records in memory only, so a restart would lose them all. Build it with"
          + " KinesisEmulator.builder().persistDirectory(dir) to keep its data across restarts.");
    }
    String node = findNode();
    Path packageDir = emulatorPackageDir();
    Path preload;
    try {
      preload = extractPreload(logFile.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new IllegalStateException("Could not restart the Kinesis emulator: " + e, e);
    }
    long stopNanos = System.nanoTime();
    restarting = true;
    try {
      return relaunch(node, preload, packageDir, stopNanos);
    } finally {
      restarting = false;
    }
  }

  private Duration relaunch(String node, Path preload, Path packageDir, long stopNanos) {
    stopProcess();
    // The same ports: clients hold the endpoints. The old listening sockets are closed once the process is gone,
    // but retry briefly in case the kernel has not released them yet.
    for (int attempt = 1; ; attempt++) {
      try {
        process = launch(node, preload, packageDir, true);
      } catch (IOException e) {
        throw new IllegalStateException("Could not restart the Kinesis emulator (" + node + " in " + packageDir + "): " + e, e);
      }
      registerShutdownHook();
      long startNanos = System.nanoTime();
      try {
        awaitReady(startNanos);
        startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
        return Duration.ofNanos(System.nanoTime() - stopNanos);
      } catch (IllegalStateException e) {
        boolean exited = !process.isAlive();
        String tail = logTail();
        stopProcess();
        if (!(exited && tail.contains("EADDRINUSE")) || attempt == PORT_ATTEMPTS) {
          throw e;
        }
        sleep(500);
      }
    }
  }

  /** The folder the emulator persists its data to and reloads it from, if {@link Builder#persistDirectory(Path)} was set. */
  public Optional<Path> persistDirectory() {
    return Optional.ofNullable(persistDirectory);
  }

  /** Plain-HTTP endpoint (HTTP/1.1 and h2c) on 127.0.0.1, for {@code endpointOverride}. */
  public URI endpoint() {
    requireStarted();
    return URI.create("http://" + LOOPBACK + ":" + plainPort);
  }

  /** HTTPS endpoint on 127.0.0.1 (self-signed certificate: clients must trust all certificates). */
  public URI tlsEndpoint() {
    requireStarted();
    return URI.create("https://" + LOOPBACK + ":" + tlsPort);
  }

  public String region() {
    return region;
  }

  public Region awsRegion() {
    return Region.of(region);
  }

  /** Dummy credentials that mean something only to the emulator (the access key id selects its default account). */
  public AwsCredentialsProvider credentialsProvider() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCOUNT_ID, "tributary-local-emulator-secret"));
  }

  public String accessKeyId() {
    return ACCOUNT_ID;
  }

  public String secretAccessKey() {
    return "tributary-local-emulator-secret";
  }

  /** ARN of a stream of the emulator's default account and region. */
  public String streamArn(String streamName) {
    return "arn:aws:kinesis:" + region + ":" + ACCOUNT_ID + ":stream/" + streamName;
  }

  /** Process id of the emulator's {@code node} process. */
  public synchronized long pid() {
    requireStarted();
    return process.pid();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The file the emulator's stdout and stderr go to. */
  public synchronized Path logFile() {
    requireStarted();
    return logFile;
  }

  /** How long the last {@link #start()} took until the emulator answered. */
  public synchronized Duration startupTime() {
    requireStarted();
    return startupTime;
  }

  /** A new synchronous SDK v2 client for the emulator (URL-connection HTTP client); the caller closes it. */
  public KinesisClient newClient() {
    return KinesisClient.builder()
        .endpointOverride(endpoint())
        .region(awsRegion())
        .credentialsProvider(credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)))
        .build();
  }

  /** Creates a provisioned stream and waits (at most 30 s) until it is ACTIVE. */
  public void createStream(String streamName, int shardCount) {
    createStream(streamName, shardCount, Duration.ofSeconds(30));
  }

  /** Creates a provisioned stream and waits until it is ACTIVE. */
  public void createStream(String streamName, int shardCount, Duration timeout) {
    KinesisClient client = adminClient();
    client.createStream(b -> b.streamName(streamName).shardCount(shardCount));
    awaitStreamActive(client, streamName, timeout);
  }

  /** Deletes a stream and waits (at most 30 s) until it is gone. */
  public void deleteStream(String streamName) {
    KinesisClient client = adminClient();
    client.deleteStream(b -> b.streamName(streamName).enforceConsumerDeletion(true));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        client.describeStreamSummary(b -> b.streamName(streamName));
      } catch (ResourceNotFoundException gone) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Stream " + streamName + " was not deleted within 30 s");
      }
      sleep(100);
    }
  }

  private static void awaitStreamActive(KinesisClient client, String streamName, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    StreamStatus status = null;
    while (System.nanoTime() < deadline) {
      try {
        DescribeStreamSummaryResponse summary = client.describeStreamSummary(b -> b.streamName(streamName));
        status = summary.streamDescriptionSummary().streamStatus();
        if (status == StreamStatus.ACTIVE) {
          return;
        }
      } catch (ResourceNotFoundException notYet) {
        // created asynchronously
      }
      sleep(100);
    }
    throw new IllegalStateException("Stream " + streamName + " not ACTIVE within " + timeout + " (last status " + status + ")");
  }

  /** Stops the emulator and every process it started; waits until they are gone. Idempotent. */
  @Override
  public synchronized void close() {
    if (adminClient != null) {
      adminClient.close();
      adminClient = null;
    }
    stopProcess();
  }

  // ---------------------------------------------------------------------------------------------

  private synchronized KinesisClient adminClient() {
    requireStarted();
    if (adminClient == null) {
      adminClient = newClient();
    }
    return adminClient;
  }

  private void requireStarted() {
    if (process == null && !restarting) {
      throw new IllegalStateException("Kinesis emulator not started");
    }
  }

  private Process launch(String node, Path preload, Path packageDir, boolean appendLog) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(node);
    command.add("--require");
    command.add(preload.toAbsolutePath().toString());
    command.add(MAIN_JS);
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(packageDir.toFile()) // main.js finds server.json (its TLS certificate) in the working directory
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Map<String, String> env = pb.environment();
    env.put("KINESIS_EMULATOR_BIND_HOST", LOOPBACK);
    // stdin stays a pipe from this JVM: the preload exits when it closes (this JVM died without close()).
    env.put("KINESIS_EMULATOR_EXIT_ON_STDIN_EOF", "1");
    env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort));
    env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
    env.put("AWS_REGION", region);
    env.put("AWS_ACCOUNT_ID", ACCOUNT_ID);
    if (persistDirectory != null) {
      // kinesis-mock writes <dir>/kinesis-data.json on a graceful stop (SIGTERM) and every PERSIST_INTERVAL, and
      // reloads it at start. The preload then leaves SIGTERM to kinesis-mock's own shutdown, which writes the data.
      // Without a persistInterval, the periodic write is pushed out to a day (kinesis-mock has no "never"; Node
      // timers cap at 24.8 days): see Builder#persistInterval for why.
      Files.createDirectories(persistDirectory);
      env.put("SHOULD_PERSIST_DATA", "true");
      env.put("LOAD_DATA_IF_EXISTS", "true");
      env.put("PERSIST_PATH", persistDirectory.toString());
      env.put("PERSIST_INTERVAL", persistInterval == null ? "1d" : persistInterval.toMillis() + "ms");
    } else {
      env.put("SHOULD_PERSIST_DATA", "false");
      env.put("LOAD_DATA_IF_EXISTS", "false");
    }
    env.put("LOG_LEVEL", "WARN");
    env.putAll(extraEnv);
    String header = "# kinesis emulator" + (appendLog ? " (restarted " + java.time.Instant.now() + ")" : "") + ": "
        + String.join(" ", command) + " (in " + packageDir + "), plain http " + LOOPBACK + ":" + plainPort + ", tls "
        + LOOPBACK + ":" + tlsPort + (persistDirectory != null ? ", data in " + persistDirectory : "") + "\n";
    if (appendLog) {
      Files.write(logFile, header.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } else {
      Files.write(logFile, header.getBytes(StandardCharsets.UTF_8));
    }
    return pb.start();
  }

  private void awaitReady(long startNanos) {
    long deadline = startNanos + startupTimeout.toNanos();
    URI health = URI.create("http://" + LOOPBACK + ":" + plainPort + "/healthcheck");
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kinesis emulator exited with code " + process.exitValue()
            + " before answering on " + health + "; last lines of " + logFile + ":\n" + logTail());
      }
      if (answers(health)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kinesis emulator did not answer on " + health + " within " + startupTimeout
            + "; last lines of " + logFile + ":\n" + logTail());
      }
      sleep(50);
    }
  }

  private static boolean answers(URI uri) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2000);
      return connection.getResponseCode() == 200;
    } catch (IOException notYet) {
      return false;
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private synchronized void stopProcess() {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    // Descendants first listed while the root is alive (kinesis-mock runs as one node process today, but
    // an npm wrapper or a future version may fork).
    List<ProcessHandle> descendants = new ArrayList<>();
    p.toHandle().descendants().forEach(descendants::add);
    if (persistDirectory != null) {
      // SIGTERM only: Process.destroy() would also close the emulator's stdin, and the preload ends the process at
      // once on stdin EOF. kinesis-mock's own graceful stop is what writes the data.
      p.toHandle().destroy();
    } else {
      p.destroy();
    }
    descendants.forEach(ProcessHandle::destroy);
    // With persistence, SIGTERM runs kinesis-mock's own shutdown, which writes the data (0.5 s with little data,
    // several seconds with megabytes); a SIGKILL would lose it. Without, the preload exits at once.
    awaitExit(p, descendants, persistDirectory != null ? Duration.ofSeconds(120) : Duration.ofSeconds(2));
    if (p.isAlive() || descendants.stream().anyMatch(ProcessHandle::isAlive)) {
      p.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      awaitExit(p, descendants, Duration.ofSeconds(5));
    }
    closeStreams(p);
    removeShutdownHook();
  }

  private static void closeStreams(Process p) {
    for (java.io.Closeable stream : new java.io.Closeable[] {p.getOutputStream(), p.getInputStream(), p.getErrorStream()}) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // gone with the process
      }
    }
  }

  // Polls isAlive(): ProcessHandle.onExit() of an already-reaped child of this JVM can wait for its full
  // timeout (seen on JDK 17), so it is not used here.
  private static void awaitExit(Process root, List<ProcessHandle> descendants, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      root.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      while (descendants.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void registerShutdownHook() {
    Thread hook = new Thread(this::stopProcess, "kinesis-emulator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    shutdownHook = hook;
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    shutdownHook = null;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already running its hooks
      }
    }
  }

  /** The last lines of the emulator's log, for error messages. */
  public synchronized String logTail() {
    if (logFile == null || !Files.exists(logFile)) {
      return "(no log)";
    }
    try {
      Deque<String> lines = new ArrayDeque<>();
      for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
        lines.addLast(line);
        if (lines.size() > LOG_TAIL_LINES) {
          lines.removeFirst();
        }
      }
      return lines.isEmpty() ? "(log is empty)" : String.join("\n", lines);
    } catch (IOException | UncheckedIOException e) {
      return "(could not read log: " + e + ")";
    }
  }

  private Path emulatorPackageDir() {
    List<Path> candidates = new ArrayList<>();
    String hint;
    if (configuredDir != null) {
      candidates.add(configuredDir);
      hint = "the emulatorDir given to the builder";
    } else {
      String prop = System.getProperty(DIR_PROPERTY);
      String env = System.getenv(DIR_ENV);
      if (prop != null && !prop.isBlank()) {
        candidates.add(Paths.get(prop));
      }
      if (env != null && !env.isBlank()) {
        candidates.add(Paths.get(env));
      }
      candidates.add(Paths.get("target", "npm"));
      candidates.add(Paths.get("kinesis-emulator", "target", "npm"));
      candidates.add(Paths.get("..", "kinesis-emulator", "target", "npm"));
      hint = "system property " + DIR_PROPERTY + ", environment variable " + DIR_ENV + " or the default locations";
    }
    for (Path dir : candidates) {
      Path pkg = dir.resolve(PACKAGE_PATH);
      if (Files.isRegularFile(pkg.resolve(MAIN_JS))) {
        return pkg.toAbsolutePath().normalize();
      }
    }
    StringBuilder tried = new StringBuilder();
    for (Path dir : candidates) {
      tried.append("\n  ").append(dir.resolve(PACKAGE_PATH).resolve(MAIN_JS).toAbsolutePath().normalize());
    }
    throw new IllegalStateException("Kinesis emulator (npm package kinesis-local) is not installed; looked at (" + hint
        + "):" + tried + "\nBuild the kinesis-emulator module without -DskipNpm (mvn -pl kinesis-emulator generate-resources),"
        + " which runs npm ci into kinesis-emulator/target/npm, or point " + DIR_PROPERTY + " at a folder holding "
        + PACKAGE_PATH + ".");
  }

  private static Path defaultLogFile(Path packageDir, int port) {
    // packageDir = <module>/target/npm/node_modules/kinesis-local -> logs in <module>/target/kinesis-emulator/
    Path npmDir = packageDir.getParent() == null ? null : packageDir.getParent().getParent();
    Path base = npmDir != null && npmDir.getParent() != null ? npmDir.getParent() : Paths.get("target");
    return base.resolve("kinesis-emulator").resolve("kinesis-emulator-" + port + ".log");
  }

  private static Path extractPreload(Path dir) throws IOException {
    Path target = dir.resolve(PRELOAD_RESOURCE);
    try (InputStream in = KinesisEmulator.class.getResourceAsStream(PRELOAD_RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + PRELOAD_RESOURCE + " missing from the classpath");
      }
      Path tmp = Files.createTempFile(dir, PRELOAD_RESOURCE, ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return target;
  }

  static String findNode() {
    String configured = System.getProperty(NODE_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      if (Files.isExecutable(Paths.get(configured))) {
        return configured;
      }
      throw new IllegalStateException("Node.js executable " + configured + " (system property " + NODE_PROPERTY
          + ") does not exist or is not executable");
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      for (String name : windows ? new String[] {"node.exe", "node.cmd"} : new String[] {"node"}) {
        Path candidate = Paths.get(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new IllegalStateException("Node.js was not found on PATH; the local Kinesis emulator (kinesis-mock) needs it."
        + " Install Node.js 18 or newer with npm (e.g. `apt-get install nodejs npm`, or from nodejs.org),"
        + " or set the system property " + NODE_PROPERTY + " to the node executable.");
  }

  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
        socket.setReuseAddress(true);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port on " + LOOPBACK, e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kinesis emulator", e);
    }
  }

  /** Options for a {@link KinesisEmulator}. */
  public static final class Builder {
    private Path emulatorDir;
    private Path logFile;
    private String region = "us-east-1";
    private Duration startupTimeout = Duration.ofSeconds(60);
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path persistDirectory;
    private Duration persistInterval;

    private Builder() {}

    /**
     * Keeps the emulator's streams and records in {@code dir} ({@code kinesis-data.json}, written when the emulator
     * stops: {@link KinesisEmulator#close()}, {@link KinesisEmulator#restart()}, or its parent JVM dying) and reloads
     * them at start: needed for {@link KinesisEmulator#restart()}, and lets a new emulator on the same folder continue
     * where a closed one stopped. Stopping and starting take longer as the data grows (kinesis-mock writes and parses
     * one JSON file: about 5 s and 20 s for 11 MB, some 15,000 records, on a busy 2-core machine). Default: none,
     * everything is kept in memory only.
     */
    public Builder persistDirectory(Path dir) {
      this.persistDirectory = dir;
      return this;
    }

    /**
     * Also writes the data every {@code interval} (only with {@link #persistDirectory(Path)}), so that a hard kill of
     * the emulator loses less. Off by default, because with kinesis-mock 0.6.2 each write rewrites the whole file in
     * place (CPU-heavy once it holds megabytes), and a stop that arrives during such a write can crash kinesis-mock
     * with {@code ERR_STREAM_DESTROYED}, leaving an empty file: all data lost (seen with an 11 MB file and a 1 s
     * interval).
     */
    public Builder persistInterval(Duration interval) {
      this.persistInterval = interval;
      return this;
    }

    /** Folder holding {@code node_modules/kinesis-local} (overrides the system property and defaults). */
    public Builder emulatorDir(Path dir) {
      this.emulatorDir = dir;
      return this;
    }

    /** File for the emulator's output; default {@code target/kinesis-emulator/kinesis-emulator-<port>.log}. */
    public Builder logFile(Path file) {
      this.logFile = file;
      return this;
    }

    public Builder region(String region) {
      this.region = Objects.requireNonNull(region);
      return this;
    }

    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** Extra kinesis-mock setting, e.g. {@code LOG_LEVEL=DEBUG} or {@code CREATE_STREAM_DURATION=100ms}. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public KinesisEmulator build() {
      return new KinesisEmulator(this);
    }
  }
}
