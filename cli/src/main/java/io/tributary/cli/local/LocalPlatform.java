package io.tributary.cli.local;

import io.delta.kernel.engine.Engine;
import io.tributary.cdc.CdcPipeline;
import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.config.CdcJobOptions;
import io.tributary.config.CheckpointOptions;
import io.tributary.config.JobParameters;
import io.tributary.config.LakeOptions;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.delta.DeltaTables;
import io.tributary.eventsjob.EventsJob;
import io.tributary.eventsjob.EventsJobConfig;
import io.tributary.eventsjob.EventsJobOptions;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.producers.EventsConfig;
import io.tributary.producers.EventsProducer;
import io.tributary.producers.OrdersConfig;
import io.tributary.producers.OrdersProducer;
import io.tributary.producers.ProducerStats;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * The local platform: embedded PostgreSQL and the Kinesis emulator (or external ones), both
 * producers, and both jobs on one Flink MiniCluster writing the silver tables under
 * {@code <lake>/silver/}. Runs until {@link #requestStop()} (Ctrl-C) or the configured duration,
 * then stops cleanly: producers first, then, once the tables caught up, both jobs with a
 * savepoint, then the services. With {@code keep}, the next run resumes from those savepoints
 * on the same database and stream; without, it starts from empty.
 */
public final class LocalPlatform {

  static final String EVENTS_JOB = "events-job";
  static final String CDC_JOB = "cdc-job";
  static final String DATABASE = "shop";
  static final String ORDERS_TABLE = "orders";
  /** {@code --warehouse}: the warehouse's data directory under the data dir, and its database. */
  public static final String WAREHOUSE_DIR = "warehouse";
  public static final String WAREHOUSE_DATABASE = "warehouse";
  static final String ATOMIC_EVENTS = "atomic_events";
  static final String QUARANTINE = "atomic_events_quarantine";
  static final String CDC_SLOT = "tributary_local";

  private final LocalSettings settings;
  private final PrintStream out;
  private final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);

  private EmbeddedPostgres postgres;
  /** The embedded warehouse of {@code --warehouse}, else null. */
  private EmbeddedPostgres warehouse;
  private KinesisEmulator kinesis;
  private LocalFlink flink;
  private OrdersProducer orders;
  private EventsProducer events;
  private CompletableFuture<ProducerStats> ordersDone;
  private CompletableFuture<ProducerStats> eventsDone;
  private JobID eventsJob;
  private JobID cdcJob;
  private String stream;
  /** A job resumed from a retained checkpoint (the run before did not stop cleanly), not from a savepoint. */
  private boolean resumedAfterInterruption;

  public LocalPlatform(LocalSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Asks {@link #run()} to shut down cleanly (from a signal handler or another thread). */
  public void requestStop() {
    stop.countDown();
  }

  /** Runs the platform; returns the summary of what was produced and committed. */
  public LocalSummary run() throws Exception {
    Path data = settings.dataDir();
    Path silver = settings.lake().resolve("silver");
    if (!settings.keep()) {
      startFresh(data, silver);
    }
    Files.createDirectories(data);
    PlatformState state = PlatformState.load(data);
    int run = state.runs() + 1;
    // Counted at start: a run killed before its end still gets its own seeds and stream.
    state.runs(run);
    state.save();
    out.printf("Tributary local, run %d%s: data in %s, silver tables in %s%n", run,
        settings.keep() && run > 1 ? " (resuming)" : "", data, silver);
    try {
      String jdbcUrl = startPostgres(data);
      if (settings.warehouse()) {
        warehouse = startWarehouse(data);
      }
      URI kinesisEndpoint = startKinesis(data, run);

      // The cdc-job reads the table's schema at start, and its first snapshot collapses earlier
      // changes into one row each: create the table with one order, and produce the rest only
      // once the job streams, so every produced change is one silver row.
      long seeded = ordersTableExists() ? 0 : seedOrdersTable(jdbcUrl, run);

      flink = new LocalFlink(data.resolve("flink"), settings.slots(), settings.webUiPort());
      out.println("Flink web UI:      " + flink.webUi());
      Engine engine = DeltaTables.engine(new org.apache.hadoop.conf.Configuration());
      Progress progress = new Progress(silver, out, System.console() != null, seeded);
      progress.markBaseline(engine);
      cdcJob = submitCdcJob(silver);
      if (seeded > 0) {
        progress.awaitOrdersSnapshot(engine, seeded, Duration.ofMinutes(2));
      }
      orders = new OrdersProducer(ordersConfig(jdbcUrl, run, 0), msg -> out.println("\norders producer: " + msg));
      ordersDone = orders.runInBackground("orders-producer");
      eventsJob = submitEventsJob(silver, kinesisEndpoint);
      events = new EventsProducer(eventsConfig(kinesisEndpoint, run), msg -> out.println("\nevents producer: " + msg));
      eventsDone = events.runInBackground("events-producer");

      long end = settings.duration().map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
      String failure = null;
      while (System.nanoTime() < end && !stop.await(1, TimeUnit.SECONDS)) {
        failure = failedJob();
        if (failure == null) {
          failure = failedProducer();
        }
        if (failure != null) {
          break;
        }
        progress.print(engine, orders.stats(), events.stats());
      }
      out.println();
      LocalSummary summary = shutDown(engine, progress, state, run, failure);
      summary.print(out, settings);
      return summary;
    } finally {
      closeQuietly();
    }
  }

  private void startFresh(Path data, Path silver) throws IOException {
    boolean existed = Files.exists(data.resolve("state.properties"));
    org.apache.flink.util.FileUtils.deleteDirectory(data.toFile());
    for (String table : new String[] {ORDERS_TABLE, ATOMIC_EVENTS, QUARANTINE}) {
      org.apache.flink.util.FileUtils.deleteDirectory(silver.resolve(table).toFile());
    }
    if (existed) {
      out.println("Starting from empty (the previous run's data was removed; use --keep to resume instead).");
    }
  }

  /** The second embedded PostgreSQL of {@code --warehouse}, kept in {@code <data-dir>/warehouse} like the source. */
  static EmbeddedPostgres startWarehouse(Path data) {
    EmbeddedPostgres w = EmbeddedPostgres.builder().dataDirectory(data.resolve(WAREHOUSE_DIR)).build().start();
    w.createDatabase(WAREHOUSE_DATABASE);
    return w;
  }

  private String startPostgres(Path data) {
    if (settings.postgresUrl().isPresent()) {
      out.println("PostgreSQL:        " + OrdersConfig.redactUrl(settings.postgresUrl().get()) + " (external)");
      return settings.postgresUrl().get();
    }
    postgres = EmbeddedPostgres.builder().dataDirectory(data.resolve("postgres")).build().start();
    postgres.createDatabase(DATABASE);
    out.println("PostgreSQL:        " + postgres.jdbcUrl(DATABASE) + " (embedded 17, logical replication)");
    return postgres.jdbcUrl(DATABASE);
  }

  /**
   * An external Kinesis keeps its stream across runs. The embedded emulator runs without
   * persistence: it could reload its data ({@link KinesisEmulator.Builder#persistDirectory}), but
   * it parses the whole stream from one JSON file at start (about a minute for 24 MB), which a long
   * local session would pay at every start. So each run gets a new stream, {@code <stream>-<run>}:
   * a resumed events-job finds no state for its shards and reads them from the start, while its
   * dedup and sink state carry over.
   */
  private URI startKinesis(Path data, int run) {
    URI endpoint;
    if (settings.kinesisEndpoint().isPresent()) {
      endpoint = settings.kinesisEndpoint().get();
      stream = settings.stream();
      out.println("Kinesis:           " + endpoint + " (external, stream " + stream + ")");
    } else {
      kinesis = KinesisEmulator.builder()
          .region(settings.region())
          .logFile(data.resolve("kinesis/emulator.log"))
          .build()
          .start();
      endpoint = kinesis.endpoint();
      stream = settings.stream() + "-" + run;
      out.println("Kinesis emulator:  " + endpoint + " (kinesis-local, stream " + stream + ")");
    }
    try (KinesisClient client = kinesisClient(endpoint)) {
      try {
        client.describeStreamSummary(r -> r.streamName(stream));
      } catch (ResourceNotFoundException e) {
        client.createStream(r -> r.streamName(stream).shardCount(settings.shards()));
        client.waiter().waitUntilStreamExists(r -> r.streamName(stream));
      }
    }
    return endpoint;
  }

  private KinesisClient kinesisClient(URI endpoint) {
    return KinesisClient.builder()
        .endpointOverride(endpoint)
        .region(software.amazon.awssdk.regions.Region.of(settings.region()))
        .credentialsProvider(credentials())
        .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
  }

  private StaticCredentialsProvider credentials() {
    // The emulator accepts any key; a real endpoint is used through the default chain instead.
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
  }

  /** @param count orders changes to produce, 0 for until stopped */
  private OrdersConfig ordersConfig(String jdbcUrl, int run, long count) {
    OrdersConfig.Builder b = OrdersConfig.builder();
    if (count > 0) {
      b.count(count).transactionSize(1);
    }
    return b
        .jdbcUrl(jdbcUrl)
        .user(settings.postgresUser())
        .password(postgresPassword())
        .producerId("tributary-local")
        .seed(settings.seed() + run)
        .rate(io.tributary.producers.Rate.perSecond(settings.ordersPerSecond()))
        .build();
  }

  private EventsConfig eventsConfig(URI endpoint, int run) {
    return EventsConfig.builder()
        .stream(stream)
        .region(settings.region())
        .endpoint(endpoint)
        .credentials(credentials())
        .seed(settings.seed() + run) // a new seed per run: event ids never repeat across runs
        .rate(io.tributary.producers.Rate.perSecond(settings.eventsPerSecond()))
        .malformedRate(settings.malformedRate())
        .duplicateRate(settings.duplicateRate())
        // Ride out a Kinesis outage of a few minutes (an emulator restart with a large stream takes 20 s and more)
        // instead of giving up after the default 10 attempts (about 10-20 s).
        .maxAttempts(60)
        .build();
  }

  private boolean ordersTableExists() throws SQLException {
    try (Connection c = connectToPostgres();
        ResultSet rs = c.getMetaData().getTables(null, "public", ORDERS_TABLE, null)) {
      return rs.next();
    }
  }

  /** Creates the orders table (the producer's schema) holding one order; returns the changes made. */
  private long seedOrdersTable(String jdbcUrl, int run) {
    ProducerStats seed = new OrdersProducer(ordersConfig(jdbcUrl, run, 1), msg -> out.println("orders producer: " + msg)).run();
    return Progress.orderChanges(seed);
  }

  private JobID submitCdcJob(Path silver) throws Exception {
    URI pg = URI.create(jdbcUrlOf().substring("jdbc:".length()));
    JobParameters.Builder builder = JobParameters.builder()
        .set(CdcJobOptions.POSTGRES_HOST, pg.getHost())
        .set(CdcJobOptions.POSTGRES_PORT, pg.getPort() < 0 ? 5432 : pg.getPort())
        .set(CdcJobOptions.POSTGRES_DATABASE, pg.getPath().substring(1))
        .set(CdcJobOptions.POSTGRES_USER, settings.postgresUser())
        .setRaw(io.tributary.config.Secrets.envKey(CdcJobOptions.POSTGRES_PASSWORD.key()), "PGPASSWORD")
        .set(CdcJobOptions.TABLES, "public." + ORDERS_TABLE)
        .set(CdcJobOptions.SLOT_NAME, CDC_SLOT)
        .set(CdcJobOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1))
        .set(CdcJobOptions.PUBLICATION_NAME, "tributary_local")
        .set(CdcJobOptions.EVENT_TIME_COLUMNS, "public." + ORDERS_TABLE + ".created_at")
        .set(LakeOptions.LAKE_PATH, silver.toString())
        .set(CdcJobOptions.PARALLELISM, 1)
        .set(CheckpointOptions.INTERVAL, settings.checkpointInterval())
        .set(LakeOptions.SINK_PREFIX, DeltaSinkOptions.MANIFEST_ENABLED, true);
    if (warehouse != null) {
      builder.set(io.tributary.cdc.warehouse.WarehouseOptions.TABLES, "public." + ORDERS_TABLE)
          .set(io.tributary.cdc.warehouse.WarehouseOptions.URL, warehouse.jdbcUrl(WAREHOUSE_DATABASE))
          .set(io.tributary.cdc.warehouse.WarehouseOptions.USER, EmbeddedPostgres.SUPERUSER);
      out.println("Warehouse:         " + warehouse.jdbcUrl(WAREHOUSE_DATABASE) + " (embedded 17; table public."
          + ORDERS_TABLE + ", view public." + ORDERS_TABLE + "_current)");
    }
    JobParameters params = builder.build();
    CdcJobConfig config = CdcJobConfig.from(params, new io.tributary.config.Secrets(
        name -> name.equals("PGPASSWORD") ? postgresPassword() : System.getenv(name),
        io.tributary.config.Secrets::fromSecretsManager));
    StreamExecutionEnvironment env = flink.environment(CDC_JOB);
    CheckpointOptions.apply(params, env);
    CdcPipeline.addTo(env, config);
    Optional<String> restore = restorePoint(CDC_JOB);
    JobID id = flink.submit(env, "tributary " + CDC_JOB, restore);
    out.println("cdc-job:           public." + ORDERS_TABLE + " -> " + silver.resolve(ORDERS_TABLE)
        + restore.map(r -> " (resumed from " + r + ")").orElse(""));
    return id;
  }

  private JobID submitEventsJob(Path silver, URI endpoint) throws Exception {
    JobParameters params = JobParameters.builder()
        .set(EventsJobOptions.KINESIS_STREAM, stream)
        .set(EventsJobOptions.KINESIS_REGION, settings.region())
        .set(EventsJobOptions.KINESIS_ENDPOINT, endpoint.toString())
        .set(EventsJobOptions.KINESIS_INITIAL_POSITION, EventsJobOptions.InitialPosition.TRIM_HORIZON)
        .set(EventsJobOptions.KINESIS_ACCESS_KEY_ID, "local")
        .set(EventsJobOptions.KINESIS_SECRET_ACCESS_KEY, "local")
        .set(LakeOptions.LAKE_PATH, silver.toString())
        .set(EventsJobOptions.EVENTS_PARALLELISM, settings.parallelism())
        .set(EventsJobOptions.EVENTS_DEDUP_SCOPE, settings.dedupScope())
        .set(CheckpointOptions.INTERVAL, settings.checkpointInterval())
        .set(LakeOptions.SINK_PREFIX, DeltaSinkOptions.MANIFEST_ENABLED, true)
        .build();
    EventsJobConfig config = EventsJobConfig.from(params);
    StreamExecutionEnvironment env = flink.environment(EVENTS_JOB);
    CheckpointOptions.apply(params, env);
    EventsJob.addTo(env, config);
    Optional<String> restore = restorePoint(EVENTS_JOB);
    JobID id = flink.submit(env, "tributary " + EVENTS_JOB, restore);
    out.println("events-job:        kinesis " + stream + " -> " + silver.resolve(ATOMIC_EVENTS) + ", "
        + silver.resolve(QUARANTINE) + restore.map(r -> " (resumed from " + r + ")").orElse(""));
    return id;
  }

  private Optional<String> restorePoint(String job) {
    Optional<String> restore = settings.keep() ? flink.newestRestorePoint(job) : Optional.empty();
    resumedAfterInterruption |= restore.filter(r -> r.startsWith(flink.checkpoints(job).toUri().toString())).isPresent();
    return restore;
  }

  private String jdbcUrlOf() {
    return settings.postgresUrl().orElseGet(() -> postgres.jdbcUrl(DATABASE));
  }

  /** A job that failed for good, or null. */
  private String failedJob() throws Exception {
    for (JobID id : new JobID[] {cdcJob, eventsJob}) {
      JobStatus s = flink.status(id);
      if (s.isGloballyTerminalState()) {
        return (id.equals(cdcJob) ? CDC_JOB : EVENTS_JOB) + " ended with status " + s + " (see the Flink web UI / log)";
      }
    }
    return null;
  }

  private LocalSummary shutDown(Engine engine, Progress progress, PlatformState state, int run, String failure) throws Exception {
    out.println(failure != null ? "Stopping: " + failure : "Stopping: producers first...");
    orders.stop();
    events.stop();
    ProducerStats ordersStats = statsOf(orders, ordersDone);
    ProducerStats eventsStats = statsOf(events, eventsDone);
    if (failure == null) {
      out.println("Waiting for the jobs to commit what was produced...");
      Duration timeout = settings.checkpointInterval().multipliedBy(3).plusSeconds(30);
      // Counts alone can be met early when a resumed run also commits what a killed run left
      // behind: the cdc-job must also have confirmed the WAL position of the last change, and the
      // events-job gets time to poll the stream's tail.
      String walEnd = currentWalLsn();
      long minimum = System.nanoTime() + Math.max(3_000, settings.checkpointInterval().toMillis() * 2) * 1_000_000L;
      progress.awaitCaughtUp(engine, ordersStats, eventsStats, timeout);
      awaitSlotConfirmed(walEnd, timeout);
      long rest = (minimum - System.nanoTime()) / 1_000_000L;
      if (rest > 0) {
        Thread.sleep(rest);
      }
      out.println("Stopping the jobs with a savepoint (commits their last checkpoint)...");
      state.savepoint(CDC_JOB, flink.stopWithSavepoint(cdcJob, CDC_JOB, Duration.ofMinutes(2)));
      state.savepoint(EVENTS_JOB, flink.stopWithSavepoint(eventsJob, EVENTS_JOB, Duration.ofMinutes(2)));
    }
    state.save();
    progress.refresh(engine);
    WarehouseCheck check = null;
    if (warehouse != null && failure == null) {
      // The savepoint flushed the warehouse sink: it holds every change the slot confirmed.
      try (Connection source = connectToPostgres(); Connection w = warehouse.connect(WAREHOUSE_DATABASE)) {
        check = WarehouseCheck.compare(source, w, ORDERS_TABLE);
      }
    }
    return new LocalSummary(ordersStats, eventsStats, progress, failure, resumedAfterInterruption, check);
  }

  /**
   * A producer that gave up (its service stayed unreachable beyond its retries) ends the run with an
   * error instead of leaving the platform running without input.
   */
  private String failedProducer() {
    String orders = producerFailure("orders", ordersDone);
    return orders != null ? orders : producerFailure("events", eventsDone);
  }

  private static String producerFailure(String name, CompletableFuture<ProducerStats> done) {
    if (done == null || !done.isCompletedExceptionally()) {
      return null;
    }
    try {
      done.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "the " + name + " producer stopped: " + cause.getMessage();
    }
  }

  /** What a producer produced, also when it failed (its counters stay valid). */
  private static ProducerStats statsOf(io.tributary.producers.Producer producer, CompletableFuture<ProducerStats> done)
      throws Exception {
    try {
      return done.get(2, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      return producer.stats();
    }
  }

  private Connection connectToPostgres() throws SQLException {
    return DriverManager.getConnection(jdbcUrlOf(), settings.postgresUser(), postgresPassword());
  }

  /** PGPASSWORD, or empty for the embedded server (trust authentication on loopback). */
  private static String postgresPassword() {
    return System.getenv().getOrDefault("PGPASSWORD", "");
  }

  private String currentWalLsn() throws SQLException {
    try (Connection c = connectToPostgres(); java.sql.Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Waits until the cdc-job's slot confirmed {@code lsn}: every change before it is in a completed checkpoint. */
  private void awaitSlotConfirmed(String lsn, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = connectToPostgres();
          java.sql.PreparedStatement s = c.prepareStatement(
              "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
        s.setString(1, lsn);
        s.setString(2, CDC_SLOT);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            return;
          }
        }
      }
      Thread.sleep(250);
    }
    out.println("(the cdc-job did not confirm WAL position " + lsn + " within " + timeout + "; stopping anyway)");
  }

  private void closeQuietly() {
    if (orders != null) {
      orders.stop();
    }
    if (events != null) {
      events.stop();
    }
    try {
      if (flink != null) {
        flink.close();
      }
    } catch (Exception e) {
      out.println("Flink did not stop cleanly: " + e.getMessage());
    }
    if (kinesis != null) {
      kinesis.close();
    }
    if (postgres != null) {
      postgres.stop();
    }
    if (warehouse != null) {
      warehouse.stop();
    }
  }


  static Instant now() {
    return Instant.now();
  }
}
