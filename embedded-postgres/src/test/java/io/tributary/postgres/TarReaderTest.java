package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link TarReader} reads what GNU tar writes in each format it may meet: ustar (with the name
 * prefix for long paths), GNU (long names and links as {@code L}/{@code K} entries) and pax
 * (extended headers), with files, directories, symbolic links and modes.
 */
class TarReaderTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"ustar", "gnu", "pax"})
  void readsWhatGnuTarWrites(String format) throws Exception {
    Path src = tmp.resolve("src");
    String deep = "share/" + "d".repeat(60) + "/" + "e".repeat(30); // a path over 100 bytes
    Files.createDirectories(src.resolve(deep));
    Files.writeString(src.resolve(deep + "/" + "f".repeat(40) + ".sql"), "select 1;\n");
    Files.writeString(src.resolve("share/empty"), "");
    Path bin = Files.createDirectories(src.resolve("bin"));
    Files.write(bin.resolve("postgres"), new byte[70_000]); // several blocks, not a multiple of 512
    Files.setPosixFilePermissions(bin.resolve("postgres"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(bin.resolve("postmaster"), Path.of("postgres"));
    if (!format.equals("ustar")) { // ustar cannot hold a link target over 100 bytes
      Files.createSymbolicLink(bin.resolve("long-link"), Path.of("../" + deep));
    }
    Path archive = tmp.resolve("a.tar");
    Process tar = new ProcessBuilder("tar", "--format=" + format, "-cf", archive.toString(), "-C", src.toString(), "bin", "share")
        .redirectErrorStream(true).start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

    Map<String, String> read = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(archive)) {
      TarReader reader = new TarReader(in);
      for (TarReader.Entry e; (e = reader.next()) != null; ) {
        String name = e.name.endsWith("/") ? e.name.substring(0, e.name.length() - 1) : e.name;
        switch (e.type) {
          case FILE:
            byte[] content = reader.content().readAllBytes();
            assertThat(content).as(name).hasSize((int) e.size);
            read.put(name, "file " + content.length + ((e.mode & 0100) != 0 ? " x" : "")
                + (name.endsWith(".sql") ? " " + new String(content, StandardCharsets.UTF_8).trim() : ""));
            break;
          case DIRECTORY:
            read.put(name, "dir");
            break;
          default:
            read.put(name, "link " + e.linkName);
        }
      }
    }
    assertThat(read).containsEntry("bin/postgres", "file 70000 x")
        .containsEntry("bin/postmaster", "link postgres")
        .containsEntry("share/empty", "file 0")
        .containsEntry(deep + "/" + "f".repeat(40) + ".sql", "file 10 select 1;")
        .containsEntry(deep, "dir");
    if (!format.equals("ustar")) {
      assertThat(read).containsEntry("bin/long-link", "link ../" + deep);
    }
  }

  @Test
  void aDamagedHeaderIsAnErrorNotASkippedEntry() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a"), "a");
    Path archive = tmp.resolve("a.tar");
    Process tar = new ProcessBuilder("tar", "-cf", archive.toString(), "-C", src.toString(), "a").start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    byte[] bytes = Files.readAllBytes(archive);
    bytes[3] ^= 1; // a name byte: the checksum no longer matches
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(bytes)).next())
        .isInstanceOf(IOException.class).hasMessageContaining("checksum");
  }
}
