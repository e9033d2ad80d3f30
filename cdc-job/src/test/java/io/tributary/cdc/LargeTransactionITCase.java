package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.Lsns;
import io.tributary.cdc.silver.TableName;
import io.tributary.cdc.source.TransactionBuffer;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.cdc.CdcTestSupport.await;
import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One source transaction far larger than the heap the source may give it
 * ({@code cdc.transaction.buffer-memory}=64 KiB against a transaction of about 20 MB of changes):
 * its changes must go to a spill file in the TaskManager's tmp directory rather than grow the heap,
 * survive a failure in the middle of the transaction (the replication connection is killed while
 * the transaction is being spilled; the job restores from its latest checkpoint and reads the whole
 * transaction again), leave no spill file behind, and land in the silver table exactly once, in
 * order, equal to PostgreSQL row by row.
 */
class LargeTransactionITCase {
  private static final int ROWS = 40_000;
  private static final int PAD = 400;
  private static final long BOUND = 64 * 1024;
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path lake;

  /**
   * This test's spill files, with their sizes: under the TaskManager's tmp directories, which the
   * MiniCluster extension places in a JUnit folder under {@code java.io.tmpdir}.
   */
  private static Map<Path, Long> spillFiles() {
    Path root = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> files = Files.find(root, 3, (p, a) -> p.getFileName() != null
        && p.getFileName().toString().startsWith(TransactionBuffer.SPILL_PREFIX + "large_slot-"))) {
      Map<Path, Long> out = new HashMap<>();
      files.forEach(p -> {
        try {
          out.put(p, Files.size(p));
        } catch (NoSuchFileException gone) {
          // deleted meanwhile
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      return out;
    } catch (UncheckedIOException | IOException e) {
      return Map.of(); // a directory vanished while walking: look again
    }
  }

  @Test
  void aTransactionLargerThanTheBufferIsSpilledSurvivesAFailureAndLandsOnce(@InjectClusterClient ClusterClient<?> client)
      throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("large");
    try (Connection c = pg.connect("large")) {
      sql(c, "CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL, pad text NOT NULL)",
          "INSERT INTO big SELECT g, 0, repeat('p', " + PAD + ") FROM generate_series(1, " + ROWS + ") g");
    }
    Map<String, String> options = new HashMap<>();
    options.put("cdc.transaction.buffer-memory", BOUND + "b");
    CdcJobConfig config = CdcTestSupport.config(pg, "large", lake, "big", "large_slot", options);
    String table = config.tablePath(TableName.parse("big"));
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config);
    JobID job = env.executeAsync("large-transaction").getJobID();

    Set<Path> seenSpills = ConcurrentHashMap.newKeySet();
    AtomicLong largestSpill = new AtomicLong();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> {
      while (watching.get()) {
        spillFiles().forEach((p, size) -> {
          seenSpills.add(p);
          largestSpill.accumulateAndGet(size, Math::max);
        });
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "spill-watcher");
    watcher.setDaemon(true);
    watcher.start();
    try {
      CdcTestSupport.awaitValue("the snapshot", Duration.ofSeconds(120), () -> CdcTestSupport.silver(table).size(),
          n -> n >= ROWS);
      Thread.sleep(1000); // a checkpoint after the snapshot, to restore from
      try (Connection c = pg.connect("large")) {
        sql(c, "UPDATE big SET v = id * 2, pad = repeat('u', " + PAD + ") || id");
      }
      // Mid-transaction: the source is spilling it (far from its END: Debezium's queue holds a
      // few thousand changes, the transaction ten times more). Kill the replication connection.
      await("a spill file of the open transaction", Duration.ofSeconds(60), () -> !seenSpills.isEmpty());
      Path first = seenSpills.iterator().next();
      terminateReplicationConnection(pg);

      List<Map<String, Object>> rows = CdcTestSupport.awaitValue("every change", Duration.ofSeconds(180),
          () -> CdcTestSupport.silver(table), r -> r.size() >= 2 * ROWS);
      Thread.sleep(1500); // more checkpoints: nothing else may arrive
      rows = CdcTestSupport.silver(table);

      assertThat(seenSpills).as("the restored job spilled the re-read transaction to a new file").hasSizeGreaterThanOrEqualTo(2);
      assertThat(Files.exists(first)).as("the failed attempt's spill file is deleted").isFalse();
      assertThat(spillFiles()).as("no spill file is left once the transaction is emitted").isEmpty();
      assertThat(largestSpill.get())
          .as("the transaction was held on disk, not in the heap: a spill file grew far past the heap bound")
          .isGreaterThan((long) ROWS * PAD / 2);

      assertThat(rows).hasSize(2 * ROWS);
      List<Map<String, Object>> updates =
          rows.stream().filter(r -> "u".equals(r.get("op"))).collect(Collectors.toList());
      assertThat(updates).hasSize(ROWS);
      Set<Object> commitLsns = updates.stream().map(r -> r.get("source_commit_lsn")).collect(Collectors.toSet());
      assertThat(commitLsns).as("one transaction, one commit position").hasSize(1);
      assertThat(updates.stream().map(r -> (Long) r.get("source_seq")).sorted().collect(Collectors.toList()))
          .as("every change of the transaction exactly once, numbered 0..n-1")
          .isEqualTo(java.util.stream.LongStream.range(0, ROWS).boxed().collect(Collectors.toList()));
      for (Map<String, Object> r : updates) {
        assertThat(r.get("source_filename").toString()).endsWith("@" + Lsns.format((Long) r.get("source_commit_lsn")));
      }

      List<String> key = List.of("id");
      Map<List<Object>, Map<String, Object>> current = CdcTestSupport.currentState(rows, key);
      Map<List<Object>, Map<String, Object>> expected;
      try (Connection c = pg.connect("large")) {
        expected = CdcTestSupport.query(c, "SELECT id, v, pad FROM big", key);
      }
      assertThat(current.keySet()).isEqualTo(expected.keySet());
      for (Map.Entry<List<Object>, Map<String, Object>> e : expected.entrySet()) {
        Map<String, Object> silver = current.get(e.getKey());
        assertThat(silver.get("v")).as("v of %s", e.getKey()).isEqualTo(e.getValue().get("v"));
        assertThat(silver.get("pad")).as("pad of %s", e.getKey()).isEqualTo(e.getValue().get("pad"));
        assertThat(silver.get("op")).isEqualTo("u");
      }
    } finally {
      watching.set(false);
      watcher.join(5_000);
      client.cancel(job).get();
    }
  }

  private static void terminateReplicationConnection(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.connect("postgres")) {
      await("an active walsender", Duration.ofSeconds(20), () -> {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                + "WHERE slot_name = 'large_slot' AND active_pid IS NOT NULL");
            ResultSet rs = st.executeQuery()) {
          return rs.next();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }
}
