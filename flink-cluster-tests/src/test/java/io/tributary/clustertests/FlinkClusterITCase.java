package io.tributary.clustertests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.delta.testing.S3ProxyExtension;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.kinesis.KinesisEmulatorExtension;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import io.tributary.producers.EventsConfig;
import io.tributary.producers.EventsProducer;
import io.tributary.producers.OrdersConfig;
import io.tributary.producers.OrdersProducer;
import io.tributary.producers.ProducerStats;
import io.tributary.producers.Rate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The shaded job jars on a real Flink 1.20 session cluster, as production runs them (Managed
 * Flink, EMR, the Kubernetes operator): JobManager and TaskManager in their own JVMs, started from
 * Flink's entry points on a distribution's {@code lib/} without Hadoop or any class of ours; the
 * jars uploaded and run through the REST API, each job in its own child-first class loader, which
 * is created anew at every submission, restore and failover. Real PostgreSQL, Kinesis emulator and
 * S3 server; producers write the whole time.
 *
 * <ol>
 *   <li>{@link #restoreCycle}: cdc-job and events-job, each with its tables on local disk and on S3
 *       (four jobs at once): stop with a savepoint, restore into the same running cluster, a task
 *       failure (the cdc-job's replication connection is terminated in PostgreSQL), stop with a
 *       savepoint again, a new cluster on fresh JVMs, restore, catch up, stop; then every change and
 *       every event must be in the tables exactly once, row by row against the sources.
 *   <li>{@link #repeatedResubmission}: events-job with its tables on S3 submitted and cancelled
 *       {@value #RESUBMISSIONS} times in one cluster: no job may fail, metaspace of the TaskManager
 *       and of the JobManager may not grow by more than {@value #MAX_METASPACE_GROWTH_MB} MB per
 *       cycle after a full GC, the number of live user-code class loaders may not grow, no thread of
 *       a cancelled job may remain and no stream may be left to S3A's leak reporter.
 * </ol>
 *
 * Logs of the cluster and the emulator are under {@code target/flink-cluster/} and printed on failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterITCase {
  static final int RESUBMISSIONS = 10;
  static final double MAX_METASPACE_GROWTH_MB = 5.0;
  /** Thread kinds of Flink's runtime pools (bounded by its configuration, created on demand). */
  private static final java.util.regex.Pattern FLINK_POOLS = java.util.regex.Pattern.compile(
      "flink-taskexecutor-io-thread-#|flink-pekko\\..*|flink-metrics-.*|Flink-RocksDBStateDataTransferHelper-thread-#"
          + "|AsyncOperations-thread-#|jobmanager-io-thread-#|flink-rest-.*");
  /** Threads of the local management agent that {@link JvmInspector} starts in the cluster JVMs. */
  private static final java.util.regex.Pattern INSPECTOR_THREADS =
      java.util.regex.Pattern.compile("RMI .*|JMX server connection timeout.*|Attach Listener");
  private static final String DB = "shop";
  private static final String STREAM = "cluster-events";
  private static final int SLOTS = 8;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final long START = System.nanoTime();

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension(
      KinesisEmulator.builder().logFile(Path.of("target", "kinesis-emulator", "FlinkClusterITCase.log")));

  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  /** Names the cluster's log files when a test fails. */
  @RegisterExtension
  final TestExecutionExceptionHandler printLogs = (context, error) -> {
    System.out.println("FAILED: " + error);
    if (cluster != null) {
      System.out.println(cluster.logFiles());
    }
    throw error;
  };

  private static final Path HOME = Path.of("target", "flink-cluster").toAbsolutePath();
  private static FlinkSessionCluster cluster;
  private static Thread killer;
  private static final Map<Deployment.Jar, String> uploaded = new java.util.EnumMap<>(Deployment.Jar.class);
  private static int uploadedTo;

  @BeforeAll
  static void startCluster() throws Exception {
    deleteRecursively(HOME); // a previous run's checkpoints, savepoints, tables and logs
    cluster = new FlinkSessionCluster(lib(), HOME, SLOTS);
    // The cluster's JVMs must not outlive this one, whatever ends it.
    killer = new Thread(cluster::close, "flink-cluster-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    cluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
      Runtime.getRuntime().removeShutdownHook(killer);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // 1. Savepoints, same-cluster restore, task failure, fresh-JVM restore, exactly once.
  // -----------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void restoreCycle() throws Exception {
    EmbeddedPostgres pg = PG.server();
    KinesisEmulator kinesis = KINESIS.emulator();
    pg.createDatabase(DB);
    kinesis.createStream(STREAM, 2);
    // The orders table with its first orders, then the truth slot: every later change is streamed.
    new OrdersProducer(ordersConfig(pg, 5).transactionSize(1).build()).run();
    Set<Long> seeded = ids(pg);
    GroundTruth.createTruthSlot(pg, DB);

    List<Deployment> all = List.of(
        cdcJob("cdc-job local", HOME.resolve("lake-local").toString(), Map.of(), "cluster_local"),
        cdcJob("cdc-job s3", S3.uri("lake"), S3.hadoopConf(), "cluster_s3"),
        // Both dedup scopes: per shard (no exchange, shards aligned with key groups) on local disk,
        // by stream (the default keyBy) on S3.
        eventsJob("events-job local", HOME.resolve("lake-local").toString(), Map.of(), STREAM, "SHARD"),
        eventsJob("events-job s3", S3.uri("lake"), S3.hadoopConf()));
    List<Deployment> cdc = of(all, Deployment.Jar.CDC);
    List<Deployment> eventJobs = of(all, Deployment.Jar.EVENTS);

    inParallel(all, FlinkClusterITCase::submit);
    for (Deployment d : cdc) {
      awaitRows(d, "orders", rows -> rows >= seeded.size(), "the snapshot of " + seeded.size() + " orders");
    }
    progress(all.size() + " jobs running; cdc-job snapshots committed; producers start");

    OrdersProducer orders = new OrdersProducer(ordersConfig(pg, 0).rate(Rate.perSecond(8)).build());
    EventsProducer events = new EventsProducer(EventsConfig.builder()
        .stream(STREAM).region(kinesis.region()).endpoint(kinesis.endpoint())
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .seed(19).rate(Rate.perSecond(20)).malformedRate(0.05).duplicateRate(0.03).maxAttempts(60)
        .build());
    CompletableFuture<ProducerStats> ordersDone = orders.runInBackground("orders-producer");
    CompletableFuture<ProducerStats> eventsDone = events.runInBackground("events-producer");
    try {
      awaitProgress(all, "first commits with produced data");

      stopAll(all, "stop with savepoint");
      restoreAll(all, "restore into the same running cluster");
      awaitProgress(all, "commits after the same-cluster restore");

      terminateReplicationConnections(pg, cdc);
      for (Deployment d : cdc) {
        awaitRecovered(d);
      }
      awaitProgress(all, "commits after the task failure");
      progress("cdc-jobs recovered from the task failure: " + cdc.stream()
          .map(d -> d.name + " " + exceptions(d)).reduce((a, b) -> a + "; " + b).orElse(""));

      stopAll(all, "stop with savepoint again");
      cluster.close();
      progress("cluster stopped; starting a new one on fresh JVMs");
      cluster.start();
      restoreAll(all, "restore on fresh JVMs");
      awaitProgress(all, "commits on the new cluster");
    } finally {
      orders.stop();
      events.stop();
    }
    ProducerStats ordersStats = ordersDone.get(1, TimeUnit.MINUTES);
    ProducerStats eventsStats = eventsDone.get(1, TimeUnit.MINUTES);
    progress("producers stopped: " + ordersStats.line() + " | " + eventsStats.line());

    // Catch up: every slot confirmed the WAL end, every stream record is in a table; then stop.
    String walEnd = currentWalLsn(pg);
    GroundTruth.StreamContent stream = GroundTruth.readStream(kinesis, STREAM);
    for (Deployment d : cdc) {
      awaitSlotConfirmed(pg, d.slot, walEnd);
    }
    for (Deployment d : eventJobs) {
      awaitRows(d, "atomic_events", rows -> rows >= stream.validIds.size(), stream.validIds.size() + " events");
      awaitRows(d, "atomic_events_quarantine", rows -> rows >= stream.malformed.size(),
          stream.malformed.size() + " malformed records");
    }
    Thread.sleep(3_000); // more checkpoints: nothing else may arrive
    stopAll(all, "caught up; final stop with savepoint");

    Map<Long, String> truth = GroundTruth.orderChanges(pg, DB);
    List<String> problems = new ArrayList<>();
    for (Deployment d : cdc) {
      List<Map<String, Object>> rows = GroundTruth.rows(d.tables.get("orders"), d.hadoopConf);
      GroundTruth.checkOrders(rows, truth, seeded).stream().limit(20).forEach(p -> problems.add(d.name + ": " + p));
      progress(d.name + ": " + rows.size() + " rows in orders for " + truth.size() + " changes + " + seeded.size()
          + " snapshot rows");
    }
    for (Deployment d : eventJobs) {
      List<Map<String, Object>> ev = GroundTruth.rows(d.tables.get("atomic_events"), d.hadoopConf);
      List<Map<String, Object>> q = GroundTruth.rows(d.tables.get("atomic_events_quarantine"), d.hadoopConf);
      GroundTruth.checkEvents(ev, q, stream).stream().limit(20).forEach(p -> problems.add(d.name + ": " + p));
      progress(d.name + ": " + ev.size() + " rows in atomic_events for " + stream.validIds.size()
          + " valid events, " + q.size() + " quarantined for " + stream.malformed.size() + " malformed ("
          + stream.records + " records in the stream)");
    }
    assertThat(truth).as("order changes produced").hasSizeGreaterThan(100);
    assertThat(stream.validIds).as("events produced").hasSizeGreaterThan(500);
    assertThat(problems).as("every change and every event exactly once (first 20 problems per table)").isEmpty();
  }

  // -----------------------------------------------------------------------------------------------
  // 2. Repeated resubmission into one cluster: nothing of a cancelled job stays behind.
  // -----------------------------------------------------------------------------------------------

  @Test
  @Order(2)
  void repeatedResubmission() throws Exception {
    cancelRunningJobs(); // whatever an earlier failed scenario left behind
    KinesisEmulator kinesis = KINESIS.emulator();
    String stream = "resubmit-events";
    kinesis.createStream(stream, 2);
    EventsProducer events = new EventsProducer(EventsConfig.builder()
        .stream(stream).region(kinesis.region()).endpoint(kinesis.endpoint())
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .seed(20).rate(Rate.perSecond(10)).maxAttempts(60).build());
    CompletableFuture<ProducerStats> eventsDone = events.runInBackground("resubmit-producer");
    JvmInspector inspector = new JvmInspector(List.of(jar("tributary.events-job.jar"), jar("tributary.cdc-job.jar")), lib());
    long tm = cluster.taskManagerPid();
    long jm = cluster.jobManagerPid();
    // Metaspace and live class loaders after the first and the last cycles. A leak raises the floor
    // with every cycle; the TaskManager may still hold the last cancelled job's class loader until
    // the next job runs (seen: one job's 50 MB at some cycles, gone at the next), which raises a
    // single reading, not the floor. So each end is the lowest of its cycles.
    Set<Integer> measured = Set.of(1, 2, 3, RESUBMISSIONS - 2, RESUBMISSIONS - 1, RESUBMISSIONS);
    Map<Integer, double[]> readings = new java.util.TreeMap<>(); // cycle -> tm MB, jm MB, tm loaders, jm loaders
    Map<String, Integer> tmThreadsAfterFirst = null;
    Map<String, Integer> jmThreadsAfterFirst = null;
    List<String> leaks = new ArrayList<>();
    Set<String> reported = new java.util.HashSet<>();
    try {
      for (int cycle = 1; cycle <= RESUBMISSIONS; cycle++) {
        Deployment d = eventsJob("events-job s3 #" + cycle, S3.uri("resubmit-" + cycle), S3.hadoopConf(), stream);
        submit(d);
        awaitRows(d, "atomic_events", rows -> rows > 0, "a first commit");
        String state = cluster.rest().state(d.jobId);
        assertThat(state).as(d.name + " state before cancel (" + cluster.rest().rootException(d.jobId) + ")")
            .isEqualTo("RUNNING");
        cluster.rest().cancel(d.jobId);

        // Threads running job code after the job was cancelled: definitely the job's. The release
        // hook itself runs job code for a few seconds after the cancel (it waits for the job's
        // threads to end), so a thread counts only if it still runs job code after 30 s.
        List<JvmInspector.JvmThread> tmThreads = inspector.threads(tm);
        List<JvmInspector.JvmThread> jmThreads = inspector.threads(jm);
        for (int wait = 0; wait < 30 && concat(tmThreads, jmThreads).stream().anyMatch(t -> !t.jobFrames().isEmpty());
            wait++) {
          Thread.sleep(1_000);
          tmThreads = inspector.threads(tm);
          jmThreads = inspector.threads(jm);
        }
        for (JvmInspector.JvmThread t : concat(tmThreads, jmThreads)) {
          if (!t.jobFrames().isEmpty() && reported.add(t.name())) {
            leaks.add("cycle " + cycle + ": thread \"" + t.name() + "\" still runs " + t.jobFrames());
          }
        }
        if (cycle == 1) {
          tmThreadsAfterFirst = JvmInspector.kinds(tmThreads);
          jmThreadsAfterFirst = JvmInspector.kinds(jmThreads);
        }
        if (cycle == RESUBMISSIONS) {
          // Threads of a kind that grew since the first cycle: one more per cancelled job.
          leaks.addAll(grown("TaskManager", tmThreadsAfterFirst, JvmInspector.kinds(tmThreads)));
          leaks.addAll(grown("JobManager", jmThreadsAfterFirst, JvmInspector.kinds(jmThreads)));
        }
        String figures = "";
        if (measured.contains(cycle)) {
          // Full GCs until metaspace stops shrinking; then the class histogram (itself a full GC) counts loaders.
          double[] r = {JvmInspector.settledMetaspaceUsedMb(tm), JvmInspector.settledMetaspaceUsedMb(jm),
              JvmInspector.liveUserCodeClassLoaders(tm), JvmInspector.liveUserCodeClassLoaders(jm)};
          readings.put(cycle, r);
          figures = String.format(": metaspace TaskManager %.1f MB, JobManager %.1f MB; live user-code class loaders"
              + " TM %.0f, JM %.0f", r[0], r[1], r[2], r[3]);
        }
        progress(String.format("resubmission %d/%d%s; threads TM %d, JM %d", cycle, RESUBMISSIONS, figures,
            tmThreads.size(), jmThreads.size()));
      }
    } finally {
      events.stop();
      eventsDone.get(1, TimeUnit.MINUTES);
    }
    String[] what = {"TaskManager metaspace", "JobManager metaspace", "TaskManager user-code class loaders",
        "JobManager user-code class loaders"};
    int span = RESUBMISSIONS - 3; // from the floor of cycles 1-3 to the floor of the last three
    for (int i = 0; i < what.length; i++) {
      double first = floor(readings, i, 1, 3);
      double last = floor(readings, i, RESUBMISSIONS - 2, RESUBMISSIONS);
      if (i < 2) {
        double growth = (last - first) / span;
        progress(String.format("%s: lowest %.1f MB in cycles 1-3, %.1f MB in cycles %d-%d: %+.2f MB per resubmission",
            what[i], first, last, RESUBMISSIONS - 2, RESUBMISSIONS, growth));
        if (growth > MAX_METASPACE_GROWTH_MB) {
          leaks.add(String.format("%s grows by %.1f MB per resubmission (limit %.0f MB)", what[i], growth,
              MAX_METASPACE_GROWTH_MB));
        }
      } else if (last > first) {
        // A cancelled job's class loader is released; one held by a leak stays: one more per cycle.
        leaks.add(String.format("%s: at least %.0f alive in each of the last three cycles, %.0f in the first three",
            what[i], last, first));
      }
    }
    // A stream a cancelled task abandoned is closed by S3A's leak reporter on the finalizer thread,
    // which then pins the job's class loader through Hadoop's thread-local statistics.
    for (String line : cluster.logLines("Stream not closed")) {
      leaks.add("stream left open by a cancelled job: " + line);
    }
    assertThat(leaks).as("what cancelled jobs left behind (metaspace, class loaders, threads, streams)").isEmpty();
  }

  private static double floor(Map<Integer, double[]> readings, int index, int fromCycle, int toCycle) {
    double min = Double.MAX_VALUE;
    for (int c = fromCycle; c <= toCycle; c++) {
      min = Math.min(min, readings.get(c)[index]);
    }
    return min;
  }

  // -----------------------------------------------------------------------------------------------
  // Jobs
  // -----------------------------------------------------------------------------------------------

  private static Deployment cdcJob(String name, String lake, Map<String, String> hadoop, String slot) {
    EmbeddedPostgres pg = PG.server();
    Map<String, String> args = new LinkedHashMap<>();
    args.put("postgres.host", "127.0.0.1");
    args.put("postgres.port", Integer.toString(pg.port()));
    args.put("postgres.database", DB);
    args.put("postgres.user", EmbeddedPostgres.SUPERUSER);
    args.put("cdc.tables", "public.orders");
    args.put("cdc.slot", slot);
    args.put("cdc.publication", slot + "_pub");
    args.put("cdc.heartbeat.interval", "1s");
    args.put("cdc.event-time-columns", "public.orders.created_at");
    args.put("lake.path", lake);
    args.put("parallelism", "1");
    args.put("checkpoint.interval", "2s");
    hadoop.forEach((k, v) -> args.put("hadoop." + k, v));
    return new Deployment(name, Deployment.Jar.CDC, args, Map.of("orders", lake + "/orders"), hadoop, slot);
  }

  private static Deployment eventsJob(String name, String lake, Map<String, String> hadoop) {
    return eventsJob(name, lake, hadoop, STREAM);
  }

  private static Deployment eventsJob(String name, String lake, Map<String, String> hadoop, String stream) {
    return eventsJob(name, lake, hadoop, stream, "STREAM");
  }

  /** @param dedupScope {@code events.dedup-scope} */
  private static Deployment eventsJob(String name, String lake, Map<String, String> hadoop, String stream,
      String dedupScope) {
    KinesisEmulator kinesis = KINESIS.emulator();
    Map<String, String> args = new LinkedHashMap<>();
    args.put("kinesis.stream", stream);
    args.put("kinesis.region", kinesis.region());
    args.put("kinesis.endpoint", kinesis.endpoint().toString());
    args.put("kinesis.initial-position", "TRIM_HORIZON");
    args.put("kinesis.access-key-id", "local");
    args.put("kinesis.secret-access-key", "local");
    args.put("kinesis.shard-discovery-interval", "2 s");
    args.put("lake.path", lake);
    args.put("events.parallelism", "2");
    args.put("events.dedup-scope", dedupScope);
    args.put("checkpoint.interval", "2s");
    hadoop.forEach((k, v) -> args.put("hadoop." + k, v));
    return new Deployment(name, Deployment.Jar.EVENTS, args,
        Map.of("atomic_events", lake + "/atomic_events", "atomic_events_quarantine", lake + "/atomic_events_quarantine"),
        hadoop, null);
  }

  private static List<Deployment> of(List<Deployment> all, Deployment.Jar jar) {
    return all.stream().filter(d -> d.jar == jar).collect(java.util.stream.Collectors.toList());
  }

  /** Uploads both jars once per cluster (a new cluster has an empty upload directory). */
  private static synchronized Map<Deployment.Jar, String> upload() throws Exception {
    if (uploadedTo != cluster.generation()) {
      uploaded.put(Deployment.Jar.CDC, cluster.rest().uploadJar(jar("tributary.cdc-job.jar")));
      uploaded.put(Deployment.Jar.EVENTS, cluster.rest().uploadJar(jar("tributary.events-job.jar")));
      uploadedTo = cluster.generation();
    }
    return uploaded;
  }

  /** Runs the deployment's jar (uploaded once per cluster), from its savepoint if it has one, and waits until it runs. */
  private static void submit(Deployment d) throws Exception {
    String jarId = upload().get(d.jar);
    try {
      d.jobId = cluster.rest().runJar(jarId, d.args, d.savepoint);
    } catch (IllegalStateException e) {
      throw new AssertionError(d.name + (d.savepoint == null ? " could not be submitted: " : " could not be restored from "
          + d.savepoint + ": ") + e.getMessage(), e);
    }
    cluster.rest().awaitRunning(d.jobId, TIMEOUT);
    if (d.savepoint != null) {
      JsonNode restored = cluster.rest().checkpoints(d.jobId).path("latest").path("restored");
      assertThat(restored.path("external_path").asText()).as(d.name + " restored from its savepoint")
          .isEqualTo(d.savepoint);
    }
  }

  private static void stopAll(List<Deployment> all, String what) throws Exception {
    inParallel(all, d -> d.savepoint = cluster.rest().stopWithSavepoint(d.jobId, cluster.savepoints(), TIMEOUT));
    progress(what + ": " + all.size() + " savepoints");
  }

  private static void restoreAll(List<Deployment> all, String what) throws Exception {
    inParallel(all, FlinkClusterITCase::submit);
    progress(what + ": " + all.size() + " jobs running from their savepoints");
  }

  interface DeploymentAction {
    void run(Deployment d) throws Exception;
  }

  /** Runs {@code action} for every deployment at once, as an operator's scripts would; rethrows the first failure. */
  private static void inParallel(List<Deployment> all, DeploymentAction action) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(all.size());
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (Deployment d : all) {
        futures.add(pool.submit(() -> {
          action.run(d);
          return null;
        }));
      }
      Throwable first = null;
      for (java.util.concurrent.Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (first == null) {
            first = e.getCause();
          } else {
            first.addSuppressed(e.getCause());
          }
        }
      }
      if (first instanceof Exception) {
        throw (Exception) first;
      } else if (first != null) {
        throw (Error) first;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits until each job committed more rows than it had now. */
  private static void awaitProgress(List<Deployment> all, String what) throws Exception {
    Map<Deployment, Long> before = new LinkedHashMap<>();
    for (Deployment d : all) {
      before.put(d, GroundTruth.rowCount(mainTable(d), d.hadoopConf));
    }
    for (Deployment d : all) {
      long n = before.get(d);
      awaitRows(d, mainTableName(d), rows -> rows > n, "more than " + n + " rows");
    }
    progress(what);
  }

  private static String mainTableName(Deployment d) {
    return d.jar == Deployment.Jar.CDC ? "orders" : "atomic_events";
  }

  private static String mainTable(Deployment d) {
    return d.tables.get(mainTableName(d));
  }

  /**
   * Polls a table's row count (from its log's file statistics: no data file is read) until {@code
   * done}; fails when the job ended or after the timeout.
   */
  private static void awaitRows(Deployment d, String table, java.util.function.LongPredicate done, String what)
      throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    long rows = 0;
    while (System.nanoTime() < deadline) {
      rows = GroundTruth.rowCount(d.tables.get(table), d.hadoopConf);
      if (done.test(rows)) {
        return;
      }
      String state = cluster.rest().state(d.jobId);
      if (FlinkRest.isTerminal(state)) {
        throw new AssertionError(d + " ended " + state + " while waiting for " + what + " in " + table + ": "
            + cluster.rest().rootException(d.jobId));
      }
      Thread.sleep(500);
    }
    throw new AssertionError(d + ": timed out after " + TIMEOUT + " waiting for " + what + " in " + table + " (has "
        + rows + " rows); job " + cluster.rest().state(d.jobId) + ", exceptions " + exceptions(d));
  }

  /** A task failure, not a process kill: PostgreSQL ends the walsender of each cdc-job's slot. */
  private static void terminateReplicationConnections(EmbeddedPostgres pg, List<Deployment> cdc) throws Exception {
    try (Connection c = pg.connect("postgres")) {
      for (Deployment d : cdc) {
        try (PreparedStatement st = c.prepareStatement(
            "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL")) {
          st.setString(1, d.slot);
          try (ResultSet rs = st.executeQuery()) {
            assertThat(rs.next() && rs.getBoolean(1)).as(d.name + ": its walsender was terminated").isTrue();
          }
        }
      }
    }
    progress("replication connections of the cdc-jobs terminated in PostgreSQL");
  }

  /** The job saw the failure (its exception history has it) and runs again. */
  private static void awaitRecovered(Deployment d) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (exceptions(d).isEmpty()) {
      assertThat(System.nanoTime()).as(d.name + " noticed the task failure").isLessThan(deadline);
      Thread.sleep(250);
    }
    cluster.rest().awaitRunning(d.jobId, TIMEOUT);
  }

  private static List<String> exceptions(Deployment d) {
    try {
      return cluster.rest().exceptions(d.jobId);
    } catch (Exception e) {
      return List.of("(not readable: " + e + ")");
    }
  }

  private static void cancelRunningJobs() throws Exception {
    for (Map.Entry<String, String> job : cluster.rest().jobs().entrySet()) {
      if (!FlinkRest.isTerminal(job.getValue())) {
        cluster.rest().cancel(job.getKey());
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Sources
  // -----------------------------------------------------------------------------------------------

  private static OrdersConfig.Builder ordersConfig(EmbeddedPostgres pg, long count) {
    OrdersConfig.Builder b = OrdersConfig.builder()
        .jdbcUrl(pg.jdbcUrl(DB)).user(EmbeddedPostgres.SUPERUSER).password("").producerId("cluster-tests").seed(19);
    return count > 0 ? b.count(count) : b;
  }

  private static Set<Long> ids(EmbeddedPostgres pg) throws Exception {
    Set<Long> ids = new TreeSet<>();
    try (Connection c = pg.connect(DB); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM orders")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static String currentWalLsn(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.connect(DB); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Every change before {@code lsn} is in a completed checkpoint of the job reading {@code slot}. */
  private static void awaitSlotConfirmed(EmbeddedPostgres pg, String slot, String lsn) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Connection c = pg.connect(DB); PreparedStatement s = c.prepareStatement(
        "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
      s.setString(1, lsn);
      s.setString(2, slot);
      while (true) {
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("slot " + slot + " confirmed " + lsn).isLessThan(deadline);
        Thread.sleep(250);
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Helpers
  // -----------------------------------------------------------------------------------------------

  private static List<String> grown(String process, Map<String, Integer> first, Map<String, Integer> last) {
    List<String> out = new ArrayList<>();
    last.forEach((kind, n) -> {
      if (FLINK_POOLS.matcher(kind).matches()) {
        return; // Flink's own pools, bounded by its configuration, grow to their size on demand
      }
      if (INSPECTOR_THREADS.matcher(kind).matches()) {
        return; // the JMX agent JvmInspector talks to
      }
      int before = first.getOrDefault(kind, 0);
      // One per cancelled job would be RESUBMISSIONS - 1 more; small pools may add a thread or two.
      if (n - before >= (RESUBMISSIONS - 1) / 2) {
        out.add(process + ": " + (n - before) + " more threads \"" + kind + "\" than after the first job (" + n + " now)");
      }
    });
    return out;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  private static Path lib() {
    return Path.of(property("tributary.flink.lib"));
  }

  private static Path jar(String property) {
    Path jar = Path.of(property(property));
    assertThat(jar).as(property).isRegularFile();
    return jar;
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isEmpty() || value.startsWith("${")) {
      throw new IllegalStateException("System property " + name + " not set: run this test through Maven");
    }
    return value;
  }

  /** A progress line, on stdout and in {@code target/flink-cluster/progress.log} (readable while the test runs). */
  private static void progress(String line) {
    long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - START);
    String text = String.format("[%02d:%02d] %s%n", s / 60, s % 60, line);
    System.out.print(text);
    try {
      Files.writeString(HOME.resolve("progress.log"), text, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      // stdout has it
    }
  }
}
