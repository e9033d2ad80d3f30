package io.tributary.cli.local;

import io.delta.kernel.engine.Engine;
import io.tributary.cli.sql.DuckDbViews;
import io.tributary.cli.sql.SilverCatalog;
import io.tributary.delta.DeltaTables;
import io.tributary.events.ParseResult;
import io.tributary.events.WebEventParser;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.postgres.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The kill -9 drill: runs {@code tributary local --keep} as a child process against a PostgreSQL
 * and a Kinesis emulator that outlive it, kills the child with SIGKILL at random moments, restarts
 * it on the same data directory, lets a last run stop cleanly, and then checks the silver tables
 * against ground truth that does not come from Tributary. In some of the killed runs it also
 * restarts PostgreSQL and/or the Kinesis emulator (which persists its streams and records) at a
 * random moment before the kill, and waits until both silver tables commit data created after
 * the restart (the producers reconnected, the jobs recovered from their last checkpoint) before
 * the kill. The ground truth:
 *
 * <ul>
 *   <li>orders: a {@code test_decoding} replication slot created before anything ran lists every
 *       committed change to {@code public.orders} with its LSN; each must be in silver
 *       {@code orders} exactly once, by {@code source_lsn} (changes made before the cdc-job's
 *       first snapshot appear as that snapshot's {@code r} rows instead);
 *   <li>events: every record in the stream, read back with GetRecords and classified with the
 *       event contract's parser: each valid {@code event_id} exactly once in {@code atomic_events},
 *       each malformed record exactly once in {@code atomic_events_quarantine}, by shard and
 *       sequence number.
 * </ul>
 */
public final class FailureDrill {
  private static final String TRUTH_SLOT = "drill_truth";
  private static final String STREAM = "drill-events";

  private final Path dir;
  private final int kills;
  private final Duration minDelay;
  private final Duration maxDelay;
  private final Duration lastRun;
  private final long seed;
  private final PrintStream out;
  private final int restartPostgresEvery;
  private final int restartKinesisEvery;
  private final Duration recoveryTimeout;
  private io.tributary.eventsjob.DedupScope dedupScope = io.tributary.eventsjob.DedupScope.STREAM;

  /** A drill without restarts of PostgreSQL or the emulator. */
  public FailureDrill(Path dir, int kills, Duration minDelay, Duration maxDelay, Duration lastRun, long seed, PrintStream out) {
    this(dir, kills, minDelay, maxDelay, lastRun, seed, 0, 0, out);
  }

  /**
   * @param restartPostgresEvery restart PostgreSQL in every run whose number is a multiple of this (0: never)
   * @param restartKinesisEvery restart the Kinesis emulator in every run whose number is a multiple of this (0: never)
   */
  public FailureDrill(Path dir, int kills, Duration minDelay, Duration maxDelay, Duration lastRun, long seed,
      int restartPostgresEvery, int restartKinesisEvery, PrintStream out) {
    if (restartPostgresEvery < 0 || restartKinesisEvery < 0) {
      throw new IllegalArgumentException("restart intervals must be >= 0");
    }
    this.dir = dir.toAbsolutePath().normalize();
    this.kills = kills;
    this.minDelay = minDelay;
    this.maxDelay = maxDelay;
    this.lastRun = lastRun;
    this.seed = seed;
    this.out = out;
    this.restartPostgresEvery = restartPostgresEvery;
    this.restartKinesisEvery = restartKinesisEvery;
    this.recoveryTimeout = Duration.ofMinutes(3);
  }

  /** Runs the events-job with this {@code events.dedup-scope} (default {@code STREAM}); call before {@link #run}. */
  public FailureDrill withDedupScope(io.tributary.eventsjob.DedupScope scope) {
    this.dedupScope = java.util.Objects.requireNonNull(scope);
    return this;
  }

  /** What the drill found. */
  public static final class Result {
    public final long orderChanges;
    public final long orderRowsMissing;
    public final long orderRowsDuplicated;
    public final long validEvents;
    public final long malformedEvents;
    public final long eventsMissing;
    public final long eventsDuplicated;
    public final long quarantineMissing;
    public final long quarantineDuplicated;
    /** PostgreSQL restarts during killed runs; after each, both silver tables committed newer data. */
    public int postgresRestarts;
    /** Kinesis emulator restarts during killed runs; after each, both silver tables committed newer data. */
    public int kinesisRestarts;
    /** Exit status of the last, cleanly stopped run. */
    public int lastRunExitStatus;

    Result(long orderChanges, long orderRowsMissing, long orderRowsDuplicated, long validEvents, long malformedEvents,
        long eventsMissing, long eventsDuplicated, long quarantineMissing, long quarantineDuplicated) {
      this.orderChanges = orderChanges;
      this.orderRowsMissing = orderRowsMissing;
      this.orderRowsDuplicated = orderRowsDuplicated;
      this.validEvents = validEvents;
      this.malformedEvents = malformedEvents;
      this.eventsMissing = eventsMissing;
      this.eventsDuplicated = eventsDuplicated;
      this.quarantineMissing = quarantineMissing;
      this.quarantineDuplicated = quarantineDuplicated;
    }

    public boolean exactlyOnce() {
      return orderRowsMissing + orderRowsDuplicated + eventsMissing + eventsDuplicated + quarantineMissing
          + quarantineDuplicated == 0;
    }
  }

  public Result run() throws Exception {
    org.apache.flink.util.FileUtils.deleteDirectory(dir.toFile());
    Files.createDirectories(dir);
    Random random = new Random(seed);
    int postgresRestarts = 0;
    int kinesisRestarts = 0;
    int lastExit;
    // The emulator persists its streams and records: a restart keeps them, and verify() reads them back.
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().dataDirectory(dir.resolve("postgres")).build().start();
        KinesisEmulator kinesis = KinesisEmulator.builder().logFile(dir.resolve("kinesis.log"))
            .persistDirectory(dir.resolve("kinesis")).build().start()) {
      pg.createDatabase(LocalPlatform.DATABASE);
      try (Connection c = pg.connect(LocalPlatform.DATABASE); Statement s = c.createStatement()) {
        s.execute("SELECT pg_create_logical_replication_slot('" + TRUTH_SLOT + "', 'test_decoding')");
      }
      out.printf("Drill in %s: PostgreSQL %s, Kinesis %s; %d kills, then a clean stop; %s%n",
          dir, pg.jdbcUrl(LocalPlatform.DATABASE), kinesis.endpoint(), kills, restartPlan());
      Engine engine = DeltaTables.engine(new org.apache.hadoop.conf.Configuration());
      for (int i = 1; ; i++) {
        boolean last = i == kills + 1;
        Process child = start(pg, kinesis, i, last);
        if (last) {
          if (!child.waitFor(lastRun.toSeconds() + 300, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new IllegalStateException("The last run did not stop in time; see " + log(i));
          }
          lastExit = child.exitValue();
          out.printf("run %d: stopped cleanly (exit %d)%n", i, lastExit);
          break;
        }
        awaitJobsStarted(child, i);
        long jobsStarted = System.nanoTime();
        long delay = minDelay.toMillis() + (long) (random.nextDouble() * (maxDelay.toMillis() - minDelay.toMillis()));
        boolean restartPostgres = restartPostgresEvery > 0 && i % restartPostgresEvery == 0;
        boolean restartKinesis = restartKinesisEvery > 0 && i % restartKinesisEvery == 0;
        StringBuilder line = new StringBuilder("run " + i + ": ");
        if (restartPostgres || restartKinesis) {
          // At a random moment before the planned kill: sometimes while the jobs are still restoring.
          sleepUntil(jobsStarted + (long) (random.nextDouble() * delay) * 1_000_000L);
          if (restartPostgres) {
            line.append(restartPostgres(pg, child, i, jobsStarted)).append("; ");
            postgresRestarts++;
          }
          if (restartKinesis) {
            line.append(restartKinesis(kinesis, child, i, jobsStarted)).append("; ");
            kinesisRestarts++;
          }
          out.println(line + "waiting for newer data in both tables...");
          line.append(awaitProgressAfter(engine, Instant.now(), child, i, (restartPostgres ? "PostgreSQL" : "")
              + (restartPostgres && restartKinesis ? " and " : "") + (restartKinesis ? "Kinesis emulator" : "")))
              .append("; ");
          // Kill at the planned moment, or, when recovering took longer, a random moment soon after.
          long now = System.nanoTime();
          long planned = jobsStarted + delay * 1_000_000L;
          sleepUntil(planned > now ? planned : now + (long) (random.nextDouble() * minDelay.toMillis()) * 1_000_000L);
        } else {
          sleepUntil(jobsStarted + delay * 1_000_000L);
        }
        if (!child.isAlive()) {
          throw new IllegalStateException("Run " + i + " ended by itself (exit " + child.exitValue()
              + ") before its SIGKILL; last lines of " + log(i) + ":\n" + tail(log(i)));
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no savepoint
        long killedAfter = System.nanoTime() - jobsStarted;
        child.waitFor(60, TimeUnit.SECONDS);
        out.println(line.append(String.format(Locale.ROOT, "killed with SIGKILL %.1f s after its jobs started",
            killedAfter / 1e9)));
      }
      Result result = verify(pg, kinesis);
      result.postgresRestarts = postgresRestarts;
      result.kinesisRestarts = kinesisRestarts;
      result.lastRunExitStatus = lastExit;
      out.printf(Locale.ROOT, "restarts:   PostgreSQL %d, Kinesis emulator %d, during killed runs; the jobs committed"
          + " newer data after each%n", postgresRestarts, kinesisRestarts);
      return result;
    }
  }

  private String restartPlan() {
    if (restartPostgresEvery == 0 && restartKinesisEvery == 0) {
      return "no restarts of PostgreSQL or the emulator";
    }
    return "PostgreSQL restarted " + every(restartPostgresEvery) + ", the Kinesis emulator " + every(restartKinesisEvery);
  }

  private static String every(int n) {
    if (n == 0) {
      return "never";
    }
    if (n == 1) {
      return "in every killed run";
    }
    String suffix = n % 100 / 10 == 1 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return "in every " + n + suffix + " killed run";
  }

  private String restartPostgres(EmbeddedPostgres pg, Process child, int run, long jobsStarted) {
    requireAlive(child, run, "PostgreSQL restart");
    long at = System.nanoTime();
    pg.restart(); // fast shutdown: open sessions and the replication connections are cut
    long down = System.nanoTime() - at;
    return String.format(Locale.ROOT, "restarted PostgreSQL %.1f s after its jobs started (down %.1f s)",
        (at - jobsStarted) / 1e9, down / 1e9);
  }

  private String restartKinesis(KinesisEmulator kinesis, Process child, int run, long jobsStarted) {
    requireAlive(child, run, "Kinesis emulator restart");
    long at = System.nanoTime();
    Duration down = kinesis.restart();
    return String.format(Locale.ROOT, "restarted the Kinesis emulator %.1f s after its jobs started (down %.1f s)",
        (at - jobsStarted) / 1e9, down.toMillis() / 1e3);
  }

  private void requireAlive(Process child, int run, String what) {
    if (!child.isAlive()) {
      throw new IllegalStateException("Run " + run + " ended by itself (exit " + child.exitValue() + ") before the "
          + what + "; last lines of " + log(run) + ":\n" + tail(log(run)));
    }
  }

  /**
   * Waits until both silver tables hold data created after {@code back}: an orders change committed in PostgreSQL
   * after it (source_commit_ts) and an event Kinesis accepted after it (ingest_timestamp, its arrival time). That
   * takes both producers writing again and both jobs reading, checkpointing and committing again.
   */
  private String awaitProgressAfter(Engine engine, Instant back, Process child, int run, String what) throws Exception {
    Path silver = dir.resolve("lake").resolve("silver");
    TableWatch orders = new TableWatch(LocalPlatform.ORDERS_TABLE, silver.resolve(LocalPlatform.ORDERS_TABLE).toString(),
        "source_commit_ts");
    TableWatch events = new TableWatch(LocalPlatform.ATOMIC_EVENTS, silver.resolve(LocalPlatform.ATOMIC_EVENTS).toString(),
        "ingest_timestamp");
    long start = System.nanoTime();
    long deadline = start + recoveryTimeout.toNanos();
    long ordersAfter = -1;
    long eventsAfter = -1;
    while (true) {
      orders.refresh(engine);
      events.refresh(engine);
      if (ordersAfter < 0 && orders.newest().filter(t -> t.isAfter(back)).isPresent()) {
        ordersAfter = System.nanoTime() - start;
      }
      if (eventsAfter < 0 && events.newest().filter(t -> t.isAfter(back)).isPresent()) {
        eventsAfter = System.nanoTime() - start;
      }
      boolean ordersAgain = ordersAfter >= 0;
      boolean eventsAgain = eventsAfter >= 0;
      if (ordersAgain && eventsAgain) {
        return String.format(Locale.ROOT, "newer data committed %.1f s later in orders, %.1f s later in atomic_events",
            ordersAfter / 1e9, eventsAfter / 1e9);
      }
      if (!child.isAlive()) {
        throw new IllegalStateException("Run " + run + " ended by itself (exit " + child.exitValue() + ") after the "
            + what + " restart; last lines of " + log(run) + ":\n" + tail(log(run)));
      }
      if (System.nanoTime() > deadline) {
        child.destroyForcibly();
        throw new IllegalStateException("Run " + run + ": " + (ordersAgain ? "" : "silver orders")
            + (ordersAgain || eventsAgain ? "" : " and ") + (eventsAgain ? "" : "atomic_events")
            + " got no data newer than the " + what + " restart within " + recoveryTimeout
            + " (a job or producer did not recover); see " + log(run) + " and " + dir.resolve("data/tributary.log"));
      }
      Thread.sleep(500);
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long rest;
    while ((rest = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, rest / 1_000_000L));
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(could not read " + log + ": " + e + ")";
    }
  }

  private Process start(EmbeddedPostgres pg, KinesisEmulator kinesis, int run, boolean last) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1500m");
    cmd.add("--add-opens=java.base/java.util=ALL-UNNAMED");
    cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    cmd.add("-Dtributary.log.dir=" + dir.resolve("data"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.tributary.cli.Tributary");
    cmd.addAll(List.of("local", "--keep", "--data-dir", dir.resolve("data").toString(), "--lake", dir.resolve("lake").toString(),
        "--postgres-url", pg.jdbcUrl(LocalPlatform.DATABASE), "--kinesis-endpoint", kinesis.endpoint().toString(),
        "--stream", STREAM, "--checkpoint-interval", "1s", "--orders-rate", "20/s", "--events-rate", "100/s",
        "--malformed-rate", "0.05", "--duplicate-rate", "0.02", "--seed", Long.toString(seed),
        "--duration", last ? lastRun.toSeconds() + "s" : "1h", "--dedup-scope", dedupScope.name()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(run).toFile()).start();
  }

  private Path log(int run) {
    return dir.resolve("run-" + run + ".log");
  }

  private void awaitJobsStarted(Process child, int run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log(run)) && Files.readString(log(run)).contains("events-job:")) {
        return;
      }
      if (!child.isAlive()) {
        throw new IllegalStateException("Run " + run + " ended before its jobs started:\n" + Files.readString(log(run)));
      }
      Thread.sleep(200);
    }
    child.destroyForcibly();
    throw new IllegalStateException("Run " + run + " did not start its jobs within 3 minutes; see " + log(run));
  }

  private Result verify(EmbeddedPostgres pg, KinesisEmulator kinesis) throws Exception {
    // Ground truth: orders changes by LSN, from the test_decoding slot.
    Map<Long, String> truth = new HashMap<>();
    try (Connection c = pg.connect(LocalPlatform.DATABASE); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT lsn::text, data FROM pg_logical_slot_peek_changes('" + TRUTH_SLOT
            + "', NULL, NULL) WHERE data LIKE 'table public.orders:%'")) {
      while (rs.next()) {
        truth.put(lsn(rs.getString(1)), rs.getString(2));
      }
    }
    // Ground truth: every record in the stream.
    Set<String> validIds = new HashSet<>();
    Set<String> malformed = new HashSet<>();
    WebEventParser parser = new WebEventParser();
    try (KinesisClient client = kinesis.newClient()) {
      for (Shard shard : client.listShards(r -> r.streamName(STREAM)).shards()) {
        String iterator = client.getShardIterator(r -> r.streamName(STREAM).shardId(shard.shardId())
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
          final String it = iterator;
          GetRecordsResponse page = client.getRecords(r -> r.shardIterator(it).limit(10_000));
          for (Record record : page.records()) {
            ParseResult parsed = parser.parse(record.data().asByteArray());
            if (parsed.isAccepted()) {
              validIds.add(parsed.getEvent().getEventId());
            } else {
              malformed.add(shard.shardId() + "/" + record.sequenceNumber());
            }
          }
          iterator = page.records().isEmpty() && page.millisBehindLatest() == 0 ? null : page.nextShardIterator();
        }
      }
    }
    SilverCatalog catalog = SilverCatalog.load(dir.resolve("lake"), Map.of(), Map.of());
    Map<Long, Integer> silverLsns = new HashMap<>();
    Set<String> snapshotIds = new HashSet<>();
    long firstStreamed = Long.MAX_VALUE;
    Map<String, Integer> silverEvents = new HashMap<>();
    Map<String, Integer> silverQuarantine = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      new DuckDbViews(dir.resolve("query-cache"), Map.of()).register(c, catalog);
      try (Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT op, source_lsn, id FROM orders")) {
          while (rs.next()) {
            if (rs.getString(1).equals("r")) {
              snapshotIds.add(rs.getString(3));
            } else {
              long l = rs.getLong(2);
              silverLsns.merge(l, 1, Integer::sum);
              firstStreamed = Math.min(firstStreamed, l);
            }
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT event_id, count(*) FROM atomic_events GROUP BY 1")) {
          while (rs.next()) {
            silverEvents.put(rs.getString(1), rs.getInt(2));
          }
        }
        try (ResultSet rs = s.executeQuery(
            "SELECT kinesis_shard_id || '/' || kinesis_sequence_number, count(*) FROM atomic_events_quarantine GROUP BY 1")) {
          while (rs.next()) {
            silverQuarantine.put(rs.getString(1), rs.getInt(2));
          }
        }
      }
    }
    long ordersMissing = 0;
    for (Map.Entry<Long, String> change : truth.entrySet()) {
      if (silverLsns.containsKey(change.getKey())) {
        continue;
      }
      // Before the cdc-job's snapshot: present as a snapshot row of the same order.
      boolean coveredBySnapshot = change.getKey() < firstStreamed && change.getValue().contains(": INSERT: ")
          && snapshotIds.contains(idOf(change.getValue()));
      if (!coveredBySnapshot) {
        ordersMissing++;
        if (ordersMissing <= 5) {
          out.println("  missing order change at LSN " + change.getKey() + ": " + change.getValue());
        }
      }
    }
    long ordersDuplicated = silverLsns.values().stream().filter(n -> n > 1).count();
    long extraLsns = silverLsns.keySet().stream().filter(l -> !truth.containsKey(l)).count();
    long eventsMissing = validIds.stream().filter(id -> !silverEvents.containsKey(id)).count();
    long eventsDuplicated = silverEvents.values().stream().filter(n -> n > 1).count()
        + silverEvents.keySet().stream().filter(id -> !validIds.contains(id)).count();
    long quarantineMissing = malformed.stream().filter(k -> !silverQuarantine.containsKey(k)).count();
    long quarantineDuplicated = silverQuarantine.values().stream().filter(n -> n > 1).count()
        + silverQuarantine.keySet().stream().filter(k -> !malformed.contains(k)).count();
    Result result = new Result(truth.size(), ordersMissing, ordersDuplicated + extraLsns, validIds.size(), malformed.size(),
        eventsMissing, eventsDuplicated, quarantineMissing, quarantineDuplicated);
    out.printf("orders:     %,d committed changes in PostgreSQL (test_decoding); silver: %d missing, %d duplicated or unknown%n",
        result.orderChanges, result.orderRowsMissing, result.orderRowsDuplicated);
    out.printf("events:     %,d valid event ids in the stream; atomic_events: %d missing, %d duplicated or unknown%n",
        result.validEvents, result.eventsMissing, result.eventsDuplicated);
    out.printf("quarantine: %,d malformed records in the stream; quarantine: %d missing, %d duplicated or unknown%n",
        result.malformedEvents, result.quarantineMissing, result.quarantineDuplicated);
    out.println(result.exactlyOnce() ? "EXACTLY ONCE: every change and every record, once" : "FAILED: see the counts above");
    return result;
  }

  /** {@code 0/1A2B3C4} as a number, as the cdc-job stores LSNs. */
  static long lsn(String text) {
    int slash = text.indexOf('/');
    return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
  }

  /** The id of an orders change in test_decoding's text: {@code ... id[bigint]:42 ...}. */
  static String idOf(String change) {
    int at = change.indexOf("id[bigint]:");
    if (at < 0) {
      return "";
    }
    int start = at + "id[bigint]:".length();
    int end = start;
    while (end < change.length() && Character.isDigit(change.charAt(end))) {
      end++;
    }
    return change.substring(start, end);
  }
}
