package io.tributary.delta.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.delta.testing.CommitRaceScenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalPutIfAbsentLogStoreTest {
  @TempDir java.nio.file.Path dir;

  private final Configuration conf = new Configuration();

  @ParameterizedTest(name = "append first: {0}, loser past the existence check: {1}")
  @CsvSource({"true, false", "false, false", "true, true", "false, true"})
  void kernelRebasesTheLoserOfARaceWithItsActions(boolean appendFirst, boolean lateLoser) throws Exception {
    Configuration registered = new Configuration();
    registered.set(LocalPutIfAbsentLogStore.LOG_STORE_CONF_KEY,
        (lateLoser ? LateLoser.class : LocalPutIfAbsentLogStore.class).getName());
    new CommitRaceScenario(registered).loserIsRebasedWithItsActions(dir.toUri() + "t", appendFirst);
  }

  /** Never sees the winner's commit before it has written its own and tries to link it. */
  public static final class LateLoser extends LocalPutIfAbsentLogStore {
    public LateLoser(Configuration conf) {
      super(conf);
    }

    @Override
    boolean taken(java.nio.file.Path target) {
      return false;
    }
  }

  @Test
  void ofWritersRacingForOneVersionExactlyOneWinsAndItsContentIsTheFile() throws Exception {
    Path commit = new Path(dir.toUri().toString(), "00000000000000000010.json");
    int writers = 8;
    for (int round = 0; round < 50; round++) {
      Files.deleteIfExists(dir.resolve(commit.getName()));
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        // A store per writer, as each Kernel engine (committer, compactor) has its own.
        LocalPutIfAbsentLogStore store = new LocalPutIfAbsentLogStore(conf);
        String line = "{\"writer\":" + w + "}";
        outcomes.add(pool.submit(() -> {
          start.await();
          try {
            store.write(commit, List.of(line, line).iterator(), false, conf);
            return true;
          } catch (FileAlreadyExistsException e) {
            return false;
          }
        }));
      }
      start.countDown();
      int winners = 0;
      for (Future<Boolean> f : outcomes) {
        winners += f.get() ? 1 : 0;
      }
      pool.shutdown();
      assertThat(winners).as("round %d", round).isEqualTo(1);
      List<String> lines = Files.readAllLines(dir.resolve(commit.getName()), StandardCharsets.UTF_8);
      assertThat(lines).hasSize(2);
      assertThat(lines.get(1)).isEqualTo(lines.get(0)).startsWith("{\"writer\":");
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly(commit.getName());
      }
    }
  }

  @Test
  void aCommitIsReadBackThroughHadoopAndASecondWriteOfItFails() throws Exception {
    LocalPutIfAbsentLogStore store = new LocalPutIfAbsentLogStore(conf);
    Path commit = new Path(dir.toUri().toString(), "00000000000000000000.json");
    store.write(commit, List.of("{\"a\":1}", "{\"b\":2}").iterator(), false, conf);
    List<String> read = new ArrayList<>();
    try (var lines = store.read(commit, conf)) {
      lines.forEachRemaining(read::add);
    }
    assertThat(read).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThatThrownBy(() -> store.write(commit, List.of("{}").iterator(), false, conf))
        .isInstanceOf(FileAlreadyExistsException.class);
    // Kernel writes log checkpoints through a temporary name only if this says true.
    assertThat(store.isPartialWriteVisible(commit, conf)).isTrue();
  }

  @Test
  void overwriteReplacesTheFileAndDropsAStaleHadoopChecksum() throws Exception {
    LocalPutIfAbsentLogStore store = new LocalPutIfAbsentLogStore(conf);
    Path last = new Path(dir.toUri().toString(), "_last_checkpoint");
    // As an earlier Hadoop write leaves it: the file and its .crc side file.
    org.apache.hadoop.fs.FileSystem fs = last.getFileSystem(conf);
    try (var out = fs.create(last)) {
      out.write("{\"version\":1}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(dir.resolve("._last_checkpoint.crc")).exists();
    store.write(last, List.of("{\"version\":20}").iterator(), true, conf);
    assertThat(dir.resolve("._last_checkpoint.crc")).doesNotExist();
    List<String> read = new ArrayList<>();
    try (var lines = store.read(last, conf)) {
      lines.forEachRemaining(read::add);
    }
    assertThat(read).containsExactly("{\"version\":20}");
  }
}
