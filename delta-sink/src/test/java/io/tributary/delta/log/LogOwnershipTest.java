package io.tributary.delta.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Delta log has one owner: only {@code io.tributary.delta.log} uses Kernel internals, and
 * table maintenance reaches the log through it, not through the sink's committer. Checked on the
 * main sources of every module of the project (tests may use internals to inspect tables).
 */
class LogOwnershipTest {
  private static final String OWNER = "io/tributary/delta/log/";

  /** The project root: the parent of this module's directory. */
  private static Path projectRoot() {
    Path module = Paths.get("").toAbsolutePath();
    assertThat(module.resolve("src/main/java/" + OWNER + "DeltaLog.java")).as("run from the delta-sink module").exists();
    return module.getParent();
  }

  private static List<Path> mainSources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root, 12)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
          .collect(Collectors.toList());
    }
  }

  @Test
  void onlyTheLogOwnerUsesKernelInternals() throws IOException {
    List<Path> sources = mainSources(projectRoot());
    assertThat(sources).as("main sources found").hasSizeGreaterThan(50);
    List<String> offenders = new ArrayList<>();
    int ownerUses = 0;
    for (Path p : sources) {
      String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
      if (!text.contains("io.delta.kernel.internal")) {
        continue;
      }
      if (p.toString().replace('\\', '/').contains("/delta-sink/src/main/java/" + OWNER)) {
        ownerUses++;
      } else {
        offenders.add(projectRoot().relativize(p).toString());
      }
    }
    assertThat(offenders).as("main sources outside %s that use io.delta.kernel.internal", OWNER).isEmpty();
    assertThat(ownerUses).as("the owner is where the internals went").isPositive();
  }

  @Test
  void maintenanceDependsOnTheLogOwnerNotOnTheCommitter() throws IOException {
    Path root = projectRoot().resolve("delta-sink/src/main/java/io/tributary/delta");
    List<String> problems = new ArrayList<>();
    try (Stream<Path> files = Files.list(root.resolve("maintenance"))) {
      for (Path p : files.collect(Collectors.toList())) {
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        if (text.contains("DeltaCommitter") || text.contains("PostCommitWork")) {
          problems.add(p.getFileName() + " uses the committer");
        }
      }
    }
    // The committer starts in-job maintenance (issue 23) and hands it the table, nothing more: the
    // runs happen on maintenance's own thread, never inside a commit.
    String committer = new String(Files.readAllBytes(root.resolve("DeltaCommitter.java")), StandardCharsets.UTF_8);
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("io\\.tributary\\.delta\\.maintenance\\.(\\w+)")
        .matcher(committer);
    while (used.find()) {
      if (!List.of("StreamingMaintenance", "MaintainedTable").contains(used.group(1))) {
        problems.add("DeltaCommitter uses maintenance." + used.group(1));
      }
    }
    String compactor = new String(Files.readAllBytes(root.resolve("maintenance/Compactor.java")), StandardCharsets.UTF_8);
    if (!compactor.contains("commitRewrite")) {
      problems.add("Compactor does not commit through the log owner");
    }
    assertThat(problems).isEmpty();
  }
}
