package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.postgres.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first thing {@code ./tributary local} does on a new machine is unpack the PostgreSQL binaries
 * (an XZ archive) into an empty cache, on the CLI's class path. Every other test finds them already
 * unpacked by an earlier module, so this one unpacks into a cache of its own. It failed when the
 * CLI's class path mediated commons-io to an older version than commons-compress needs
 * (NoSuchMethodError: BoundedInputStream.builder()).
 */
class EmbeddedPostgresOnCliClassPathTest {
  @TempDir Path tmp;

  @Test
  void unpacksThePostgresBinariesIntoAnEmptyCache() throws IOException {
    Path cache = tmp.resolve("cache");
    try (EmbeddedPostgres unused =
        EmbeddedPostgres.builder().cacheDirectory(cache).dataDirectory(tmp.resolve("data")).build()) {
      List<Path> installations;
      try (Stream<Path> entries = Files.list(cache)) {
        installations = entries.filter(p -> !p.getFileName().toString().startsWith(".")).collect(Collectors.toList());
      }
      assertThat(installations).singleElement()
          .satisfies(dir -> assertThat(Files.isExecutable(dir.resolve("bin/postgres"))).isTrue())
          .satisfies(dir -> assertThat(Files.isExecutable(dir.resolve("bin/initdb"))).isTrue());
    }
  }
}
