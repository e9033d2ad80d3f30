package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestStreams;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotence of commits, driven without Flink. */
class DeltaCommitterTest {
  @TempDir Path tmp;

  private DeltaSink sink(String table) {
    return DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").sinkId("c").build();
  }

  @Test
  void replayedCommittableIsSkipped() throws Exception {
    String table = tmp.resolve("t").toString();
    DeltaSink sink = sink(table);
    List<DataFile> files = SinkParts.writeEvents(sink, 0, 100);
    CapturingMetricGroup metrics = new CapturingMetricGroup();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), metrics);

    DeltaCommittable c = new DeltaCommittable("c", "job-a", 7, files);
    assertThat(committer.commit(c)).isTrue();
    long version = DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion();
    // The same checkpoint again (restore from checkpoint 7), and an older one.
    assertThat(committer.commit(c)).isFalse();
    assertThat(committer.commit(new DeltaCommittable("c", "job-a", 6, SinkParts.writeEvents(sink, 100, 110)))).isFalse();

    assertThat(DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion()).isEqualTo(version);
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(100);
    assertThat(metrics.count("deltaCommits")).isEqualTo(1);
    assertThat(metrics.count("deltaCommitsSkippedAsReplayed")).isEqualTo(2);
    assertThat(metrics.count("deltaRowsCommitted")).isEqualTo(100);
    assertThat(metrics.gaugeValue("deltaLastCommittedVersion")).isEqualTo(version);
  }

  @Test
  void aNewJobStartsItsOwnSequence() throws Exception {
    String table = tmp.resolve("t2").toString();
    DeltaSink sink = sink(table);
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThat(committer.commit(new DeltaCommittable("c", "job-a", 5, SinkParts.writeEvents(sink, 0, 10)))).isTrue();
    // A job started without state counts checkpoints from 1 again; its commits must not be skipped.
    assertThat(committer.commit(new DeltaCommittable("c", "job-b", 1, SinkParts.writeEvents(sink, 10, 20)))).isTrue();
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(20);

    DeltaTableSummary summary = DeltaTableSummary.of(DeltaTables.engine(sink.config()), sink.config().tablePath());
    assertThat(summary.version()).isEqualTo(2);
    assertThat(summary.rows()).isEqualTo(20);
    assertThat(summary.files()).isEqualTo(6); // 3 days x 2 commits
    assertThat(summary.partitions()).isEqualTo(3);
    assertThat(summary.filesWithoutStats()).isZero();
    assertThat(summary.bytes()).isPositive();
  }

  @Test
  void zombieCommitterOfTheSameCheckpointIsRejected() throws Exception {
    String table = tmp.resolve("t3").toString();
    DeltaSink sink = sink(table);
    List<DataFile> files = SinkParts.writeEvents(sink, 0, 50);
    DeltaCommittable c = new DeltaCommittable("c", "job-a", 3, files);
    DeltaCommitter first = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    DeltaCommitter zombie = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Future<Boolean> a = pool.submit(() -> first.commit(c));
      java.util.concurrent.Future<Boolean> b = pool.submit(() -> zombie.commit(c));
      assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(true, false);
    } finally {
      pool.shutdownNow();
    }
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(50);
  }

  @Test
  void aTruncatedLogCheckpointIsRemovedAndCommitsGoOn() throws Exception {
    String table = tmp.resolve("truncated").toString();
    DeltaSink sink = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date")
        .sinkId("c").option("log.checkpoint-interval", "2").build();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    DeltaCommittable c1 = new DeltaCommittable("c", "job-a", 1, SinkParts.writeEvents(sink, 0, 10));
    DeltaCommittable c2 = new DeltaCommittable("c", "job-a", 2, SinkParts.writeEvents(sink, 10, 20));
    assertThat(committer.commit(c1)).isTrue();
    assertThat(committer.commit(c2)).isTrue();
    java.nio.file.Path checkpoint;
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(tmp.resolve("truncated/_delta_log"))) {
      checkpoint = files.filter(f -> f.getFileName().toString().endsWith(".checkpoint.parquet")).findFirst().orElseThrow();
    }
    // What a checkpoint write cut short by a task cancellation leaves: the magic bytes, nothing else.
    java.nio.file.Files.write(checkpoint, "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    DeltaCommitter restored = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThat(restored.commit(c2)).as("the replay is still recognized").isFalse();
    assertThat(restored.commit(new DeltaCommittable("c", "job-a", 3, SinkParts.writeEvents(sink, 20, 30)))).isTrue();
    assertThat(java.nio.file.Files.exists(checkpoint) && java.nio.file.Files.size(checkpoint) == 4)
        .as("the truncated checkpoint is gone").isFalse();
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(30);
  }

  @Test
  void aRestoreFromAnOlderCheckpointIsRefusedUnlessAccepted() throws Exception {
    String table = tmp.resolve("rollback").toString();
    DeltaSink sink = sink(table);
    DeltaCommitter live = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    DeltaCommittable c3 = new DeltaCommittable("c", "run-a", 3, SinkParts.writeEvents(sink, 0, 10));
    DeltaCommittable c4 = new DeltaCommittable("c", "run-a", 4, SinkParts.writeEvents(sink, 10, 20));
    DeltaCommittable c5 = new DeltaCommittable("c", "run-a", 5, SinkParts.writeEvents(sink, 20, 30));
    assertThat(live.commit(c3)).isTrue();
    assertThat(live.commit(c4)).isTrue();
    assertThat(live.commit(c5)).isTrue();

    // Restore from the latest checkpoint (5), whose state still held 4's committable: plain replays.
    DeltaCommitter latest = new DeltaCommitter(sink.config(), new CapturingMetricGroup(), java.util.OptionalLong.of(5));
    assertThat(latest.commit(c4)).isFalse();
    assertThat(latest.commit(c5)).isFalse();

    // A rollback to checkpoint 3 while the table holds checkpoint 5 of the same run: refused.
    DeltaCommitter rolledBack = new DeltaCommitter(sink.config(), new CapturingMetricGroup(), java.util.OptionalLong.of(3));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> rolledBack.commit(c3))
        .isInstanceOf(OlderCheckpointRestoredException.class)
        .hasMessageContaining("Restored checkpoint 3 is older than what Delta table")
        .hasMessageContaining("records checkpoint 5 of the same writer (tributary:c:run-a)")
        .hasMessageContaining("restore.accept-older-checkpoint=true");
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(30);

    // Accepted by the operator: the restored committable is skipped and the new run commits.
    DeltaSink accepting = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date")
        .sinkId("c").option("restore.accept-older-checkpoint", "true").build();
    DeltaCommitter accepted = new DeltaCommitter(accepting.config(), new CapturingMetricGroup(), java.util.OptionalLong.of(3));
    assertThat(accepted.commit(c3)).isFalse();
    assertThat(accepted.commit(new DeltaCommittable("c", "run-b", 4, SinkParts.writeEvents(sink, 30, 40)))).isTrue();
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(40);
  }
}
