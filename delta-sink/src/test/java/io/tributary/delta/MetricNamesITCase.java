package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.testing.TestClusters;
import io.tributary.delta.testing.TestStreams;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric names of the sink's operators in a real job: every metric of ours is registered (a name
 * collision drops the second metric with a WARN "Name collision ... Metric will not be reported").
 *
 * <p>Flink 1.20's own committer operator re-registers its {@code pendingCommittables} gauge on
 * every checkpoint and restore ({@code CommittableCollector#copy}, FLINK-35321, fixed after
 * 1.20.3); the first registration, which reports the live value, stays. That collision is Flink's
 * and is the only one allowed here.
 */
class MetricNamesITCase {
  @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  private static final Pattern COLLISION = Pattern.compile("Name collision: Group already contains a Metric with the name '([^']+)'");

  @TempDir Path tmp;

  @Test
  void noMetricOfTheSinkCollides() throws Exception {
    List<String> collisions = new CopyOnWriteArrayList<>();
    AbstractAppender capture =
        new AbstractAppender("metric-collisions", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            Matcher m = COLLISION.matcher(event.getMessage().getFormattedMessage());
            if (m.find()) {
              collisions.add(m.group(1));
            }
          }
        };
    capture.start();
    Logger metricsLog = (Logger) LogManager.getLogger("org.apache.flink.metrics.MetricGroup");
    metricsLog.addAppender(capture);
    try {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(2);
      env.enableCheckpointing(100);
      // Two sinks in one job, as the events job has: their operators must not share metric names.
      DataStream<RowData> events = TestStreams.events(env, 3_000, 3_000);
      events.sinkTo(sink("a")).name("sink-a").uid("sink-a");
      events.sinkTo(sink("b")).name("sink-b").uid("sink-b");
      env.execute("metric-names");
    } finally {
      metricsLog.removeAppender(capture);
      capture.stop();
    }
    // Flink's own collision shows that collisions are caught here at all (drop this line once
    // Flink is upgraded past FLINK-35321).
    assertThat(collisions).contains("pendingCommittables");
    assertThat(collisions.stream().filter(name -> !name.equals("pendingCommittables")).collect(Collectors.toList()))
        .as("metric name collisions other than Flink's own pendingCommittables").isEmpty();
  }

  private DeltaSink sink(String name) {
    return DeltaSink.forRowData(TestStreams.EVENTS).tablePath(tmp.resolve(name).toString())
        .partitionColumns("event_date").sinkId("metrics-" + name).build();
  }
}
