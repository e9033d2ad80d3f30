package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.FaultyFileSystem;
import io.tributary.delta.testing.HookedLogStore;
import io.tributary.delta.testing.TestStreams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log checkpoints are deleted only when proven corrupt and only when the JSON commits they
 * summarize remain; a transient read error never deletes one (issue 21, hole 1).
 */
class CheckpointRepairTest {
  @TempDir Path tmp;

  @AfterEach
  void reset() {
    FaultyFileSystem.reset();
    HookedLogStore.reset();
  }

  /** A table on {@code faulty:} with a log checkpoint at version 2 (create, then two commits). */
  private DeltaSink tableWithCheckpoint(Path dir) throws Exception {
    DeltaSink sink = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(FaultyFileSystem.uri(dir))
        .partitionColumns("event_date").sinkId("c").options(FaultyFileSystem.SINK_OPTIONS)
        .option("log.checkpoint-interval", "2").build();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThat(committer.commit(new DeltaCommittable("c", "run-a", 1, SinkParts.writeEvents(sink, 0, 10)))).isTrue();
    assertThat(committer.commit(new DeltaCommittable("c", "run-a", 2, SinkParts.writeEvents(sink, 10, 20)))).isTrue();
    committer.close();
    assertThat(checkpoint(dir)).as("log checkpoint of version 2").exists();
    return sink;
  }

  private static Path checkpoint(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("_delta_log"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".checkpoint.parquet")).findFirst()
          .orElse(dir.resolve("_delta_log/00000000000000000002.checkpoint.parquet"));
    }
  }

  @Test
  void aTransientReadErrorNeverDeletesACheckpoint() throws Exception {
    Path dir = tmp.resolve("transient");
    DeltaSink sink = tableWithCheckpoint(dir);
    Path checkpoint = checkpoint(dir);
    byte[] before = Files.readAllBytes(checkpoint);
    DeltaCommittable next = new DeltaCommittable("c", "run-a", 3, SinkParts.writeEvents(sink, 20, 30));

    FaultyFileSystem.failOpen = p -> p.getName().contains(".checkpoint.");
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThatThrownBy(() -> committer.commit(next)).as("the read error fails the commit, to be retried");
    assertThat(checkpoint).as("the checkpoint survives a read error").exists();
    assertThat(Files.readAllBytes(checkpoint)).isEqualTo(before);
    assertThat(dir.resolve("_delta_log/_last_checkpoint")).exists();

    committer.close();

    FaultyFileSystem.reset(); // the store recovers: the retry commits
    DeltaCommitter retry = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThat(retry.commit(next)).isTrue();
    retry.close();
    assertThat(DeltaTestTables.readAll(dir.toString(), Collections.emptyMap())).hasSize(30);
  }

  @Test
  void aCorruptCheckpointWhoseCommitsWereCleanedUpIsKeptAndReported() throws Exception {
    Path dir = tmp.resolve("cleaned");
    DeltaSink sink = tableWithCheckpoint(dir);
    Path checkpoint = checkpoint(dir);
    Files.write(checkpoint, "PAR1".getBytes(StandardCharsets.US_ASCII)); // a cut-short write
    // Log cleanup removed the commits the checkpoint summarizes.
    Files.delete(dir.resolve("_delta_log/00000000000000000000.json"));
    Files.delete(dir.resolve("_delta_log/00000000000000000001.json"));

    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    DeltaCommittable next = new DeltaCommittable("c", "run-a", 3, SinkParts.writeEvents(sink, 20, 30));
    assertThatThrownBy(() -> committer.commit(next))
        .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo("CorruptCheckpointException"))
        .hasMessageContaining("00000000000000000002.checkpoint.parquet")
        .hasMessageContaining("Nothing was deleted");
    committer.close();
    assertThat(checkpoint).as("the only record of versions 0..2 is kept for an operator").exists();
  }

  @Test
  void aCorruptCheckpointWithItsCommitsIsRemovedAndCommitsGoOn() throws Exception {
    Path dir = tmp.resolve("corrupt");
    DeltaSink sink = tableWithCheckpoint(dir);
    Path checkpoint = checkpoint(dir);
    byte[] full = Files.readAllBytes(checkpoint);
    // Cut short in the middle: the footer is gone.
    Files.write(checkpoint, java.util.Arrays.copyOf(full, full.length / 2));

    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThat(committer.commit(new DeltaCommittable("c", "run-a", 2, Collections.emptyList())))
        .as("the replay is still recognized").isFalse();
    assertThat(committer.commit(new DeltaCommittable("c", "run-a", 3, SinkParts.writeEvents(sink, 20, 30)))).isTrue();
    committer.close();
    assertThat(Files.exists(checkpoint) && Files.size(checkpoint) == full.length / 2).as("corrupt file gone").isFalse();
    assertThat(DeltaTestTables.readAll(dir.toString(), Collections.emptyMap())).hasSize(30);
  }
}
