package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.delta.storage.FaultyLogStore;
import io.tributary.delta.storage.LocalPutIfAbsentLogStore;
import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestStreams;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the committer retries failed Delta log writes, with failures injected by the log store. */
class CommitRetryEngineTest {
  @TempDir Path tmp;

  @BeforeEach
  @AfterEach
  void reset() {
    FaultyLogStore.reset();
    Thread.interrupted();
  }

  private DeltaSink sink(String table) {
    return DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").sinkId("r")
        .hadoopOption(LocalPutIfAbsentLogStore.LOG_STORE_CONF_KEY, FaultyLogStore.class.getName())
        .build();
  }

  @Test
  void interruptedWriteEndsTheCommitAtOnceAndKeepsTheInterrupt() throws Exception {
    String table = tmp.resolve("t").toString();
    DeltaSink sink = sink(table);
    DeltaCommittable c = new DeltaCommittable("r", "job", 1, SinkParts.writeEvents(sink, 0, 10));
    FaultyLogStore.reset();
    FaultyLogStore.interruptNext();

    assertThatThrownBy(() -> new DeltaCommitter(sink.config(), new CapturingMetricGroup()).commit(c))
        .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, CommitRetryEngine.CommitInterruptedException.class)).isPresent());
    assertThat(FaultyLogStore.ATTEMPTS.get()).as("write attempts").isEqualTo(1);
    assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();

    // The restored job's committer commits the same checkpoint once.
    FaultyLogStore.reset();
    assertThat(new DeltaCommitter(sink.config(), new CapturingMetricGroup()).commit(c)).isTrue();
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(10);
  }

  @Test
  void transientFailuresAreRetriedWithExponentialBackoff() throws Exception {
    String table = tmp.resolve("t").toString();
    DeltaSink sink = sink(table);
    DeltaCommittable c = new DeltaCommittable("r", "job", 1, SinkParts.writeEvents(sink, 0, 10));
    FaultyLogStore.reset();
    FaultyLogStore.failNext(3);

    long start = System.nanoTime();
    assertThat(new DeltaCommitter(sink.config(), new CapturingMetricGroup()).commit(c)).isTrue();
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(FaultyLogStore.ATTEMPTS.get()).isEqualTo(4);
    long base = CommitRetryEngine.BASE_BACKOFF_MILLIS;
    assertThat(elapsedMs).as("waited 1x, 2x and 4x the base backoff").isGreaterThanOrEqualTo(base + 2 * base + 4 * base);
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(10);
  }

  @Test
  void backoffDoublesUpToTheCap() {
    assertThat(CommitRetryEngine.backoffMillis(100, 1)).isEqualTo(100);
    assertThat(CommitRetryEngine.backoffMillis(100, 2)).isEqualTo(200);
    assertThat(CommitRetryEngine.backoffMillis(100, 4)).isEqualTo(800);
    assertThat(CommitRetryEngine.backoffMillis(100, 100)).isEqualTo(CommitRetryEngine.MAX_BACKOFF_MILLIS);
  }

  @Test
  void interruptionsAreToldFromTimeouts() {
    assertThat(CommitRetryEngine.isInterruption(new IOException(new InterruptedIOException("x")))).isTrue();
    assertThat(CommitRetryEngine.isInterruption(new ClosedByInterruptException())).isTrue();
    assertThat(CommitRetryEngine.isInterruption(new IOException(new InterruptedException()))).isTrue();
    assertThat(CommitRetryEngine.isInterruption(new SocketTimeoutException("read timed out"))).isFalse();
    assertThat(CommitRetryEngine.isInterruption(new IOException("503 Slow Down"))).isFalse();
  }
}
