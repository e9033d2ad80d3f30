package io.tributary.delta;

import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.TestStreams;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A job's work, run inside a {@link io.tributary.delta.testing.ChildFirstJob}: for every setting
 * {@code table.<name>=<path>} creates the table, writes ten rows with the sink's writer (which
 * registers the release hook) and commits them with its committer. Settings {@code hadoop.*}
 * go to the sink. Returns {@code <name>=committed}.
 */
public final class ReleaseProbe implements BiFunction<Object, Map<String, String>, Map<String, String>> {
  @Override
  public Map<String, String> apply(Object userCodeClassLoader, Map<String, String> settings) {
    SinkParts.userCodeClassLoader = (UserCodeClassLoader) userCodeClassLoader;
    Map<String, String> hadoop = new TreeMap<>();
    settings.forEach((k, v) -> {
      if (k.startsWith(DeltaSinkOptions.HADOOP_PREFIX)) {
        hadoop.put(k, v);
      }
    });
    Map<String, String> versions = new TreeMap<>();
    settings.forEach((k, v) -> {
      if (k.startsWith("table.")) {
        try {
          DeltaSink sink =
              DeltaSink.forRowData(TestStreams.EVENTS).tablePath(v).partitionColumns("event_date")
                  .sinkId("release-probe").options(hadoop).build();
          List<DataFile> files = SinkParts.writeEvents(sink, 0, 10);
          DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
          committer.commit(new DeltaCommittable("release-probe", "job-1", 1, files));
          committer.close();
          versions.put(k.substring("table.".length()), "committed");
        } catch (Exception e) {
          throw new IllegalStateException("Probe failed on " + v, e);
        }
      }
    });
    return versions;
  }
}
