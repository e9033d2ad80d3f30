package io.tributary.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 17 server on 127.0.0.1, from zonky's binaries, with logical replication on.
 *
 * <p>Unlike zonky's own {@code EmbeddedPostgres} this one can be stopped and started again on the
 * same port and data directory (to test that clients survive a database restart), keeps its data
 * between runs when asked to, and runs as root: PostgreSQL refuses to run as uid 0, so when the JVM
 * is root every server command runs inside a user namespace ({@code unshare --user}) that maps an
 * unprivileged uid onto root; nothing is installed and no user is created.
 *
 * <p>Authentication is {@code trust} for loopback connections (the server listens on 127.0.0.1
 * only and has no Unix socket). Not thread-safe; one owner starts and stops it.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  /** Superuser created by initdb. */
  public static final String SUPERUSER = "postgres";

  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static final int NAMESPACE_UID = 1000;

  private final Path installation;
  private final Path dataDirectory;
  private final boolean deleteOnClose;
  private final int port;
  private final Map<String, String> settings;
  private final Thread shutdownHook;
  private boolean running;

  private EmbeddedPostgres(Builder builder) throws IOException {
    this.installation = PostgresBinaries.install(builder.cacheDirectory);
    this.deleteOnClose = builder.dataDirectory == null;
    this.dataDirectory =
        builder.dataDirectory != null
            ? builder.dataDirectory.toAbsolutePath()
            : Files.createTempDirectory("tributary-postgres-");
    this.port = builder.port != 0 ? builder.port : freePort();
    this.settings = new LinkedHashMap<>(builder.settings);
    this.shutdownHook = new Thread(this::stopQuietly, "embedded-postgres-shutdown");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Initializes the data directory if it is empty, then starts the server and waits for it. */
  public synchronized EmbeddedPostgres start() {
    if (running) {
      return this;
    }
    try {
      if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
        initdb();
      }
      Files.write(dataDirectory.resolve("postgresql.auto.conf"), autoConf().getBytes(StandardCharsets.UTF_8));
      run(List.of(bin("pg_ctl"), "start", "-w", "-t", "120", "-D", dataDirectory.toString(),
          "-l", dataDirectory.resolve("postgres.log").toString(), "-o", "-p " + port));
      running = true;
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start PostgreSQL in " + dataDirectory, e);
    }
  }

  /** Stops the server ({@code fast} mode: open sessions are rolled back). Data is kept. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    try {
      run(List.of(bin("pg_ctl"), "stop", "-w", "-m", "fast", "-D", dataDirectory.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop PostgreSQL in " + dataDirectory, e);
    }
    running = false;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // Called from the hook itself.
    }
  }

  /** Stops and starts the server on the same port and data. */
  public EmbeddedPostgres restart() {
    stop();
    return start();
  }

  public boolean isRunning() {
    return running;
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  /** A new connection to {@code database} as the superuser; the caller closes it. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "");
  }

  /** Creates {@code database} unless it exists. */
  public void createDatabase(String database) {
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create database " + database + ": " + e.getMessage(), e);
    }
  }

  /** Stops the server; deletes the data directory if it was a temporary one. */
  @Override
  public void close() {
    stop();
    if (deleteOnClose) {
      PostgresBinaries.deleteRecursively(dataDirectory);
    }
  }

  private void stopQuietly() {
    try {
      run(List.of(bin("pg_ctl"), "stop", "-w", "-m", "immediate", "-D", dataDirectory.toString()));
    } catch (IOException | RuntimeException ignored) {
      // JVM exit: best effort, nothing to report to.
    }
  }

  private void initdb() throws IOException {
    Files.createDirectories(dataDirectory);
    run(List.of(bin("initdb"), "-D", dataDirectory.toString(), "-U", SUPERUSER, "-A", "trust",
        "-E", "UTF8", "--locale=C", "--no-sync"));
  }

  private String autoConf() {
    StringBuilder conf = new StringBuilder("# Written by Tributary's EmbeddedPostgres at every start.\n");
    settings.forEach((k, v) -> conf.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
    return conf.toString();
  }

  private String bin(String name) {
    return installation.resolve("bin").resolve(name).toString();
  }

  /** Runs a server command, as an unprivileged uid in a user namespace when we are root. */
  private void run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("unshare", "--user", "--map-user=" + NAMESPACE_UID, "--map-group=" + NAMESPACE_UID));
    }
    full.addAll(command);
    Path output = Files.createTempFile("tributary-pg-", ".out");
    try {
      Process process = new ProcessBuilder(full)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
          .start();
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(Paths.get(command.get(0)).getFileName() + " did not finish in " + COMMAND_TIMEOUT);
      }
      if (process.exitValue() != 0) {
        String log = tail(dataDirectory.resolve("postgres.log"));
        throw new IOException(Paths.get(command.get(0)).getFileName() + " " + command.get(1) + " failed (exit "
            + process.exitValue() + "):\n" + Files.readString(output) + (log.isEmpty() ? "" : "\nserver log:\n" + log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while running " + command.get(0), e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String tail(Path log) {
    try {
      if (!Files.exists(log)) {
        return "";
      }
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Configures an {@link EmbeddedPostgres}; {@link #build()} unpacks the binaries if needed. */
  public static final class Builder {
    private Path cacheDirectory = defaultCache();
    private Path dataDirectory;
    private int port;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder() {
      settings.put("listen_addresses", "127.0.0.1");
      settings.put("unix_socket_directories", "");
      settings.put("wal_level", "logical");
      settings.put("max_wal_senders", "10");
      settings.put("max_replication_slots", "10");
      settings.put("max_connections", "100");
      settings.put("fsync", "off");
      settings.put("synchronous_commit", "off");
      settings.put("full_page_writes", "off");
      settings.put("timezone", "UTC");
    }

    /** Keeps the cluster in this directory (created and initialized if empty); default a temp dir deleted on close. */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory);
      return this;
    }

    /** TCP port on 127.0.0.1; default a free one, chosen once and kept across restarts. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** A server setting written to {@code postgresql.auto.conf} at every start. */
    public Builder setting(String name, String value) {
      settings.put(name, value);
      return this;
    }

    /** Where the binaries are unpacked; default {@code ~/.cache/tributary}. */
    public Builder cacheDirectory(Path cacheDirectory) {
      this.cacheDirectory = Objects.requireNonNull(cacheDirectory);
      return this;
    }

    public EmbeddedPostgres build() {
      try {
        return new EmbeddedPostgres(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Path defaultCache() {
      return Paths.get(System.getProperty("user.home"), ".cache", "tributary");
    }
  }
}
