package io.tributary.cli.options;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cdc.config.CdcJobOptions;
import io.tributary.config.CheckpointOptions;
import io.tributary.config.LakeOptions;
import io.tributary.config.Secrets;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.eventsjob.EventsJobOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * No option key appears as a string literal in main sources outside its options class: code that
 * sets or reads an option names its constant ({@code CdcJobOptions.LAKE_PATH.key()}), so a renamed
 * key cannot leave a stale copy behind.
 */
class OptionKeyLiteralsTest {

  private static final Path ROOT = Path.of(System.getProperty("tributary.repo.root", ".."));

  /** Where the keys may be written, and why. */
  private static final Map<String, String> ALLOWED = Map.of(
      "cdc-job/src/main/java/io/tributary/cdc/config/CdcJobOptions.java", "defines the cdc-job options",
      "events-job/src/main/java/io/tributary/eventsjob/EventsJobOptions.java", "defines the events-job options",
      "job-config/src/main/java/io/tributary/config/CheckpointOptions.java", "defines the checkpoint options",
      "job-config/src/main/java/io/tributary/config/LakeOptions.java", "defines the shared lake options",
      "delta-sink/src/main/java/io/tributary/delta/DeltaSinkOptions.java", "defines the Delta sink options",
      "deploy/src/main/java/io/tributary/deploy/JobOptionKeys.java", "deploy's key constants, generated from the "
          + "option lists by OptionReference (the CDK app cannot depend on the jobs) and checked by OptionReferenceTest",
      "deploy/src/main/java/io/tributary/deploy/EnvironmentConfig.java", "the CDK app's own context keys "
          + "(<env>.postgres.host, ...), named like the job options they feed",
      "deploy/src/main/java/io/tributary/deploy/TributaryStack.java", "reads the CDK app's own context keys "
          + "(EnvironmentConfig); the job parameters it deploys come from JobProperties, built on JobOptionKeys");

  /** Single literals that equal a key but mean something else, and why ({@code file|literal}). */
  private static final Map<String, String> ALLOWED_LITERALS = Map.of(
      "benchmarks/src/main/java/io/tributary/bench/FlinkRuns.java|parquet.compression",
      "Parquet's own Hadoop key, for Flink's FileSink (the sink option has the same name by design)");

  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

  @Test
  void optionKeysAreNotWrittenOutsideTheirOptionsClasses() throws IOException {
    Set<String> keys = keys();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file : (Iterable<Path>) files.filter(OptionKeyLiteralsTest::isMainSource)::iterator) {
        String relative = ROOT.relativize(file).toString().replace('\\', '/');
        if (ALLOWED.keySet().stream().anyMatch(relative::startsWith)) {
          continue;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = LITERAL.matcher(lines.get(i));
          while (m.find()) {
            String literal = m.group(1);
            if (keys.contains(literal) && !ALLOWED_LITERALS.containsKey(relative + "|" + literal)) {
              found.add(relative + ":" + (i + 1) + ": \"" + literal + "\"");
            }
          }
        }
      }
    }
    assertThat(found).as("option keys written as literals; use the option's constant (or allow-list the file "
        + "with a reason in " + OptionKeyLiteralsTest.class.getSimpleName() + ")").isEmpty();
  }

  @Test
  void theScanSeesTheSources() throws IOException {
    // Guards against a wrong root: the scan must find the options classes it allows.
    for (String allowed : ALLOWED.keySet()) {
      assertThat(ROOT.resolve(allowed)).as(allowed).exists();
    }
  }

  /** Every key of both jobs (with their sink and secret-source keys) and of the sink itself. */
  static Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (List<ConfigOption<?>> list : List.of(CdcJobOptions.ALL, EventsJobOptions.ALL, CheckpointOptions.ALL,
        LakeOptions.ALL)) {
      list.forEach(o -> keys.add(o.key()));
    }
    keys.addAll(Secrets.keysRead(CdcJobOptions.POSTGRES_PASSWORD.key()));
    keys.addAll(Secrets.keysRead(EventsJobOptions.KINESIS_SECRET_ACCESS_KEY.key()));
    for (ConfigOption<?> o : DeltaSinkOptions.ALL) {
      keys.add(o.key());
      keys.add(LakeOptions.SINK_PREFIX + o.key());
    }
    return keys;
  }

  private static boolean isMainSource(Path p) {
    String s = p.toString().replace('\\', '/');
    return s.endsWith(".java") && s.contains("/src/main/java/") && !s.contains("/target/");
  }
}
