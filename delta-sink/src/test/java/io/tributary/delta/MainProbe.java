package io.tributary.delta;

import io.tributary.delta.runtime.UserCodeResources;
import io.tributary.delta.testing.TestStreams;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * A job's {@code main()}, run inside a {@link io.tributary.delta.testing.ChildFirstJob}: builds
 * the sink of every setting {@code table.<name>=<path>} (which creates or checks the table), then
 * calls {@link UserCodeResources#afterMain()} unless {@code afterMain=false}. Settings {@code
 * hadoop.*} go to the sinks.
 */
public final class MainProbe implements BiFunction<Object, Map<String, String>, Map<String, String>> {
  @Override
  public Map<String, String> apply(Object userCodeClassLoader, Map<String, String> settings) {
    Map<String, String> hadoop = new TreeMap<>();
    settings.forEach((k, v) -> {
      if (k.startsWith(DeltaSinkOptions.HADOOP_PREFIX)) {
        hadoop.put(k, v);
      }
    });
    Map<String, String> built = new TreeMap<>();
    try {
      settings.forEach((k, v) -> {
        if (k.startsWith("table.")) {
          DeltaSink.forRowData(TestStreams.EVENTS).tablePath(v).partitionColumns("event_date")
              .sinkId("main-probe").options(hadoop).build();
          built.put(k.substring("table.".length()), "built");
        }
      });
    } finally {
      if (!"false".equals(settings.get("afterMain"))) {
        UserCodeResources.afterMain();
      }
    }
    return built;
  }
}
