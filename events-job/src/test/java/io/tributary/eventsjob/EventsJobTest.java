package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.testing.DeltaTestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry points, without running a job. */
class EventsJobTest {
  @TempDir Path tmp;

  @Test
  void mainReportsEveryMissingOptionAndDoesNotExit() {
    assertThatThrownBy(() -> EventsJob.main(new String[] {"--kinesis.initial-position", "SOMEWHERE"}))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("kinesis.stream is required")
        .hasMessageContaining("lake.path is required")
        .hasMessageContaining("kinesis.initial-position");
  }

  @Test
  void addToBuildsTheTopologyWithStableUidsAndCreatesBothTables() {
    EventsJobConfig config =
        EventsJobConfig.from(
            JobParameters.of(Map.of(
                "kinesis.stream", "web-events",
                "kinesis.region", "eu-west-1",
                "lake.path", tmp.toString(),
                "events.parallelism", "3")),
            new Secrets(k -> null, Secrets.fixed(Map.of())),
            k -> null);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(1000);
    EventsJob.addTo(env, config);
    // Every operator is reuse-safe; the ITCases run the job this way.
    assertThat(env.getConfig().isObjectReuseEnabled()).isTrue();

    List<StreamNode> nodes = List.copyOf(env.getStreamGraph().getStreamNodes());
    List<String> uids = nodes.stream().map(StreamNode::getTransformationUID).filter(Objects::nonNull).collect(Collectors.toList());
    assertThat(uids).contains(
        EventsPipeline.SOURCE_UID, EventsPipeline.ROUTE_UID, EventsPipeline.DEDUP_UID);
    // The arrival-time dedup with fingerprints has its own uid (docs/reliability.md): never reuse
    // the old "events-job-dedup" for other state.
    assertThat(EventsPipeline.DEDUP_UID).isEqualTo("events-job-dedup-v2");
    assertThat(uids).anyMatch(u -> u.startsWith(EventsPipeline.ATOMIC_SINK_UID));
    assertThat(uids).anyMatch(u -> u.startsWith(EventsPipeline.QUARANTINE_SINK_UID));
    assertThat(nodes.stream().filter(n -> EventsPipeline.SOURCE_UID.equals(n.getTransformationUID())))
        .allSatisfy(n -> assertThat(n.getParallelism()).isEqualTo(3));

    assertThat(Files.isDirectory(tmp.resolve("atomic_events/_delta_log"))).isTrue();
    assertThat(Files.isDirectory(tmp.resolve("atomic_events_quarantine/_delta_log"))).isTrue();
    assertThat(DeltaTestTables.snapshot(config.atomicEventsTablePath(), Map.of()).getSchema().fieldNames())
        .containsExactlyElementsOf(AtomicEventsTable.COLUMNS);
    assertThat(DeltaTestTables.snapshot(config.quarantineTablePath(), Map.of()).getSchema().fieldNames())
        .containsExactlyElementsOf(QuarantineTable.COLUMNS);
  }
}
