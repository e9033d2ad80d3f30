package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our unpacking of zonky's archive gives the tree GNU tar gives: paths, types, links, modes, bytes. */
class PostgresBinariesTest {
  @TempDir Path tmp;

  @Test
  void unpacksTheArchiveExactlyAsGnuTarDoes() throws Exception {
    Path ours = PostgresBinaries.install(tmp.resolve("cache"));

    Path theirs = Files.createDirectories(tmp.resolve("tar"));
    Process tar = new ProcessBuilder("tar", "-xJf", "-", "-C", theirs.toString()).redirectErrorStream(true).start();
    try (InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream("postgres-linux-x86_64.txz");
        OutputStream out = tar.getOutputStream()) {
      in.transferTo(out);
    }
    assertThat(tar.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();

    Map<String, String> expected = describe(theirs);
    assertThat(expected).hasSizeGreaterThan(1000).containsKey("bin/postgres");
    assertThat(describe(ours)).isEqualTo(expected);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (e.getValue().startsWith("file")) {
        assertThat(Files.mismatch(ours.resolve(e.getKey()), theirs.resolve(e.getKey()))).as(e.getKey()).isEqualTo(-1L);
      }
    }
  }

  /** Relative path -> type, size, owner-executable bit or link target. */
  private static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          tree.put(rel, "link " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          tree.put(rel, "dir");
        } else {
          tree.put(rel, "file " + Files.size(p) + (Files.isExecutable(p) ? " x" : ""));
        }
      }
    }
    return tree;
  }
}
