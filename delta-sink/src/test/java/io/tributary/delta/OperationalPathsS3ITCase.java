package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.delta.maintenance.CompactionSettings;
import io.tributary.delta.maintenance.Compactor;
import io.tributary.delta.maintenance.MaintainedTable;
import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.FaultyFileSystem;
import io.tributary.delta.testing.FaultyS3AFileSystem;
import io.tributary.delta.testing.HookedLogStore;
import io.tributary.delta.testing.LosingS3LogStore;
import io.tributary.delta.testing.S3ProxyExtension;
import io.tributary.delta.testing.TestStreams;
import io.tributary.delta.storage.S3ConditionalPutLogStore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 21's operational paths on S3 (the in-JVM s3proxy): holes 1, 3 and 4. */
class OperationalPathsS3ITCase {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  @AfterEach
  void reset() {
    FaultyFileSystem.reset();
    HookedLogStore.reset();
  }

  /** S3's Hadoop options with a faulty S3A and a log store that can lose acknowledgements. */
  private static Map<String, String> hadoop() {
    Map<String, String> conf = new TreeMap<>(S3.hadoopConf());
    conf.put("fs.s3a.impl", FaultyS3AFileSystem.class.getName());
    conf.put("fs.s3a.impl.disable.cache", "true");
    conf.put(S3ConditionalPutLogStore.S3A_LOG_STORE_CONF_KEY, LosingS3LogStore.class.getName());
    return conf;
  }

  private static DeltaSink sink(String table, String... options) {
    DeltaSink.Builder b = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").sinkId("s3");
    hadoop().forEach(b::hadoopOption);
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    return b.build();
  }

  private static FileSystem fs(String table) throws Exception {
    Configuration conf = new Configuration();
    hadoop().forEach(conf::set);
    return new Path(table).getFileSystem(conf);
  }

  @Test
  void throttledReadsOfALogCheckpointDeleteNothing() throws Exception {
    String table = S3.uri("silver/throttled");
    DeltaSink sink = sink(table, "log.checkpoint-interval", "2");
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThat(committer.commit(new DeltaCommittable("s3", "run", 1, SinkParts.writeEvents(sink, 0, 10)))).isTrue();
    assertThat(committer.commit(new DeltaCommittable("s3", "run", 2, SinkParts.writeEvents(sink, 10, 20)))).isTrue();
    committer.close();
    Path checkpoint = new Path(table + "/_delta_log/00000000000000000002.checkpoint.parquet");
    assertThat(fs(table).exists(checkpoint)).isTrue();

    FaultyFileSystem.failOpen = p -> p.getName().contains(".checkpoint.");
    DeltaCommittable next = new DeltaCommittable("s3", "run", 3, SinkParts.writeEvents(sink, 20, 30));
    DeltaCommitter restarted = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThatThrownBy(() -> restarted.commit(next)).hasStackTraceContaining("503 SlowDown");
    assertThat(fs(table).exists(checkpoint)).as("the checkpoint survives throttling").isTrue();
    assertThat(fs(table).exists(new Path(table + "/_delta_log/_last_checkpoint"))).isTrue();

    FaultyFileSystem.reset();
    assertThat(restarted.commit(next)).isTrue();
    assertThat(DeltaTestTables.readAll(table, S3.hadoopConf())).hasSize(30);
  }

  @Test
  void aCompactionWhosePutLandedKeepsItsFiles() throws Exception {
    String table = S3.uri("silver/lost-ack");
    DeltaSink sink = sink(table);
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    for (int i = 0; i < 3; i++) {
      assertThat(committer.commit(new DeltaCommittable("s3", "run", i + 1, SinkParts.writeEvents(sink, i * 10, i * 10 + 10))))
          .isTrue();
    }
    committer.close();
    MaintainedTable maintained = MaintainedTable.open(table, hadoop());
    long before = maintained.snapshot().getVersion();
    AtomicInteger lost = new AtomicInteger();
    // Every answer to the commit's PUTs is lost: Kernel gives up without knowing the outcome.
    HookedLogStore.loseAcknowledgement = p -> p.getName().endsWith(".json") && lost.incrementAndGet() > 0;
    try {
      new Compactor(maintained, CompactionSettings.builder().minInputFiles(2).maxPartitions(1).build()).compact();
    } catch (RuntimeException e) {
      // an unknown outcome may be reported; the files must stay either way
    }
    HookedLogStore.reset();
    assertThat(lost.get()).isPositive();
    assertThat(maintained.snapshot().getVersion()).isGreaterThan(before);
    FileSystem fs = fs(table);
    for (ActiveFile f : ActiveFile.list(maintained.engine(), maintained.snapshot())) {
      assertThat(fs.exists(new Path(f.path()))).as("active file %s exists", f.path()).isTrue();
    }
    assertThat(DeltaTestTables.readAll(table, S3.hadoopConf())).hasSize(30);
  }

  @Test
  void aPendingCommittableWhoseFileWasVacuumedIsRefused() throws Exception {
    String table = S3.uri("silver/vacuumed");
    DeltaSink sink = sink(table);
    List<DataFile> files = SinkParts.writeEvents(sink, 0, 10);
    fs(table).delete(new Path(files.get(0).path()), false);
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThatThrownBy(() -> committer.commit(new DeltaCommittable("s3", "run", 1, files)))
        .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo("MissingDataFilesException"))
        .hasMessageContaining(files.get(0).path());
    assertThat(DeltaTestTables.snapshot(table, S3.hadoopConf()).getVersion()).as("nothing committed").isZero();
  }
}
