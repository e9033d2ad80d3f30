package io.tributary.clustertests;

import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.events.ParseResult;
import io.tributary.events.WebEventParser;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.postgres.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * What the sources really hold, from outside Tributary, and the row-by-row comparison of a silver
 * table with it.
 *
 * <ul>
 *   <li>orders: a {@code test_decoding} slot created before the jobs start lists every committed
 *       change of {@code public.orders} with its LSN. Each must be one streamed silver row (same
 *       {@code source_lsn}, operation and id); the rows present before the job's first snapshot are
 *       one {@code r} row each.
 *   <li>events: every record of the stream read back with GetRecords and classified by the event
 *       contract's parser: each valid {@code event_id} once in {@code atomic_events} (re-sent
 *       duplicates included once), each malformed record once in the quarantine table.
 * </ul>
 */
final class GroundTruth {
  static final String TRUTH_SLOT = "cluster_truth";

  private GroundTruth() {}

  /** Starts recording changes; call before any job and after the seed rows. */
  static void createTruthSlot(EmbeddedPostgres pg, String db) throws SQLException {
    try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
      s.execute("SELECT pg_create_logical_replication_slot('" + TRUTH_SLOT + "', 'test_decoding')");
    }
  }

  /** Committed changes of public.orders since the truth slot: LSN to test_decoding's text. */
  static Map<Long, String> orderChanges(EmbeddedPostgres pg, String db) throws SQLException {
    Map<Long, String> truth = new HashMap<>();
    try (Connection c = pg.connect(db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT lsn::text, data FROM pg_logical_slot_peek_changes('" + TRUTH_SLOT
            + "', NULL, NULL) WHERE data LIKE 'table public.orders:%'")) {
      while (rs.next()) {
        truth.put(lsn(rs.getString(1)), rs.getString(2));
      }
    }
    return truth;
  }

  /**
   * Problems of a silver orders table against the truth (empty when every change is there once).
   *
   * @param seeded ids of the rows present before the job's first snapshot
   */
  static List<String> checkOrders(List<Map<String, Object>> rows, Map<Long, String> truth, Set<Long> seeded) {
    List<String> problems = new ArrayList<>();
    Map<Long, Integer> streamed = new HashMap<>();
    Map<Long, Integer> snapshot = new HashMap<>();
    for (Map<String, Object> r : rows) {
      String op = (String) r.get("op");
      long id = ((Number) r.get("id")).longValue();
      if ("r".equals(op)) {
        snapshot.merge(id, 1, Integer::sum);
        continue;
      }
      long lsn = ((Number) r.get("source_lsn")).longValue();
      if (streamed.merge(lsn, 1, Integer::sum) > 1) {
        problems.add("duplicate change at LSN " + lsn + ": " + r);
        continue;
      }
      String change = truth.get(lsn);
      if (change == null) {
        problems.add("change not in PostgreSQL at LSN " + lsn + ": " + r);
      } else if (!change.contains(": " + operation(op) + ": ") || !change.contains("id[bigint]:" + id + " ")) {
        problems.add("wrong change at LSN " + lsn + ": silver " + op + " id " + id + ", PostgreSQL " + change);
      }
    }
    truth.forEach((lsn, change) -> {
      if (!streamed.containsKey(lsn)) {
        problems.add("missing change at LSN " + lsn + ": " + change);
      }
    });
    if (!snapshot.keySet().equals(seeded) || snapshot.values().stream().anyMatch(n -> n != 1)) {
      problems.add("snapshot rows " + snapshot + " instead of one each of " + seeded);
    }
    return problems;
  }

  /** The stream's records, classified: valid event ids and malformed records' shard/sequence. */
  static final class StreamContent {
    final Set<String> validIds = new HashSet<>();
    final Set<String> malformed = new HashSet<>();
    long records;
  }

  static StreamContent readStream(KinesisEmulator kinesis, String stream) {
    StreamContent content = new StreamContent();
    WebEventParser parser = new WebEventParser();
    try (KinesisClient client = kinesis.newClient()) {
      for (Shard shard : client.listShards(r -> r.streamName(stream)).shards()) {
        String iterator = client.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
          final String it = iterator;
          GetRecordsResponse page = client.getRecords(r -> r.shardIterator(it).limit(10_000));
          for (Record record : page.records()) {
            content.records++;
            ParseResult parsed = parser.parse(record.data().asByteArray());
            if (parsed.isAccepted()) {
              content.validIds.add(parsed.getEvent().getEventId());
            } else {
              content.malformed.add(shard.shardId() + "/" + record.sequenceNumber());
            }
          }
          iterator = page.records().isEmpty() && page.millisBehindLatest() == 0 ? null : page.nextShardIterator();
        }
      }
    }
    return content;
  }

  /** Problems of atomic_events and its quarantine against the stream (empty when each record is there once). */
  static List<String> checkEvents(List<Map<String, Object>> events, List<Map<String, Object>> quarantine,
      StreamContent stream) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    events.forEach(r -> ids.merge((String) r.get("event_id"), 1, Integer::sum));
    ids.forEach((id, n) -> {
      if (n > 1) {
        problems.add("event " + id + " written " + n + " times");
      }
      if (!stream.validIds.contains(id)) {
        problems.add("event " + id + " is not in the stream");
      }
    });
    stream.validIds.stream().filter(id -> !ids.containsKey(id)).forEach(id -> problems.add("event " + id + " missing"));
    Map<String, Integer> bad = new HashMap<>();
    quarantine.forEach(r -> bad.merge(r.get("kinesis_shard_id") + "/" + r.get("kinesis_sequence_number"), 1, Integer::sum));
    bad.forEach((k, n) -> {
      if (n > 1) {
        problems.add("malformed record " + k + " quarantined " + n + " times");
      }
      if (!stream.malformed.contains(k)) {
        problems.add("quarantined record " + k + " is not a malformed record of the stream");
      }
    });
    stream.malformed.stream().filter(k -> !bad.containsKey(k)).forEach(k -> problems.add("malformed record " + k + " missing"));
    return problems;
  }

  /** A Delta table's rows, or none while it does not exist yet. */
  static List<Map<String, Object>> rows(String table, Map<String, String> hadoopConf) {
    try {
      return DeltaTestTables.readAll(table, hadoopConf);
    } catch (RuntimeException e) {
      if (String.valueOf(e).contains("TableNotFound") || String.valueOf(e.getMessage()).contains("not found")) {
        return List.of();
      }
      throw e;
    }
  }

  /** A Delta table's row count from its log's file statistics, or 0 while it does not exist yet. */
  static long rowCount(String table, Map<String, String> hadoopConf) {
    try {
      return DeltaTestTables.rowCount(table, hadoopConf);
    } catch (RuntimeException e) {
      if (String.valueOf(e).contains("TableNotFound") || String.valueOf(e.getMessage()).contains("not found")) {
        return 0;
      }
      throw e;
    }
  }

  private static String operation(String op) {
    switch (op) {
      case "c":
        return "INSERT";
      case "u":
        return "UPDATE";
      case "d":
        return "DELETE";
      default:
        return "?" + op;
    }
  }

  /** {@code 0/1A2B3C4} as a number, as the cdc-job stores LSNs. */
  static long lsn(String text) {
    int slash = text.indexOf('/');
    return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
  }
}
