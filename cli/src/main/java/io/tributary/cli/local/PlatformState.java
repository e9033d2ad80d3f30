package io.tributary.cli.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What a local run leaves for the next one (with {@code --keep}): the savepoint each job stopped
 * with and how many runs there were. Stored as {@code <data-dir>/state.properties}, replaced
 * atomically so a kill never leaves half a file.
 */
final class PlatformState {
  private final Path file;
  private final Properties values = new Properties();

  private PlatformState(Path file) {
    this.file = file;
  }

  static PlatformState load(Path dataDir) {
    PlatformState state = new PlatformState(dataDir.resolve("state.properties"));
    if (Files.exists(state.file)) {
      try (Reader r = Files.newBufferedReader(state.file, StandardCharsets.UTF_8)) {
        state.values.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + state.file, e);
      }
    }
    return state;
  }

  /** The savepoint (or retained checkpoint) {@code job} should resume from. */
  Optional<String> savepoint(String job) {
    return Optional.ofNullable(values.getProperty(job + ".savepoint"));
  }

  void savepoint(String job, String path) {
    values.setProperty(job + ".savepoint", path);
  }

  int runs() {
    return Integer.parseInt(values.getProperty("runs", "0"));
  }

  void runs(int n) {
    values.setProperty("runs", Integer.toString(n));
  }

  void save() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".state-", ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        values.store(w, "tributary local: resume state (delete the data directory to start over)");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
