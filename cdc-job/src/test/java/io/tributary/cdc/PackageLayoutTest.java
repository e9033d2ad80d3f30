package io.tributary.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cdc-job packages depend one way only (README, "Code layout"): {@code silver} on nothing else
 * of the job, {@code warehouse} on {@code silver}, {@code config} on both, {@code source} on
 * {@code config} and {@code silver}, the root package on all.
 * Read from the main sources' imports and fully qualified names.
 */
class PackageLayoutTest {
  private static final Path MAIN = Paths.get("src/main/java/io/tributary/cdc");
  private static final Pattern REFERENCE = Pattern.compile("io\\.tributary\\.cdc(?:\\.(\\w+))?\\.[A-Z]");

  /** Sub-packages each package may use; the root package ("") may use every one. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "silver", Set.of(),
      "warehouse", Set.of("silver"),
      "config", Set.of("silver", "warehouse"),
      "source", Set.of("config", "silver"));

  @Test
  void packagesDependOneWay() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
      Path dir = MAIN.resolve(e.getKey());
      assertThat(dir).isDirectory();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
          Matcher m = REFERENCE.matcher(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
          while (m.find()) {
            String used = m.group(1) == null ? "" : m.group(1);
            boolean ofThisJob = used.isEmpty() || ALLOWED.containsKey(used);
            if (ofThisJob && !used.equals(e.getKey()) && !e.getValue().contains(used)) {
              violations.add(e.getKey() + "/" + f.getFileName() + " uses io.tributary.cdc" + (used.isEmpty() ? "" : "." + used));
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }
}
