package io.tributary.delta.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.testing.S3ProxyExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A read interrupted by a job's cancellation must leave no open S3A stream behind. An orphaned
 * stream is closed by S3A's leak reporter from the finalizer thread, which then keeps Hadoop's
 * per-thread statistics, and so the cancelled job's class loader, for the life of the JVM (issue
 * 19: metaspace growth per restore on S3). The test counts the leak reporter's warnings.
 */
class InterruptSafeFileIOTest {

  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  private static final String LEAK_LOGGER = "org.apache.hadoop.fs.resource.leaks";
  private static final int READS = 5;

  private final List<String> leakWarnings = Collections.synchronizedList(new ArrayList<>());
  private AbstractAppender appender;
  private Configuration conf;

  @BeforeEach
  void captureLeakReports() {
    appender = new AbstractAppender("leaks", null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        leakWarnings.add(event.getMessage().getFormattedMessage());
      }
    };
    appender.start();
    Logger logger = (Logger) LogManager.getLogger(LEAK_LOGGER);
    logger.addAppender(appender);
    logger.setLevel(Level.WARN);
    conf = S3.newHadoopConfiguration();
    // A private file system per test: the leak reporter only runs for streams of a live instance.
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
  }

  @AfterEach
  void stopCapture() {
    ((Logger) LogManager.getLogger(LEAK_LOGGER)).removeAppender(appender);
    appender.stop();
  }

  @Test
  void kernelReadInterruptedByCancellationLeavesNoStream() throws Exception {
    Path file = writeObject("kernel/00000000000000000000.json", "{\"n\":1}\n{\"n\":2}\n");
    Engine engine = DeltaTables.engine(conf);
    FileStatus status = FileStatus.of(file.toString(), size(file), 0L);
    StructType schema = new StructType().add("n", LongType.LONG);

    assertThat(readJson(engine, status, schema)).containsExactly(1L, 2L);
    for (int i = 0; i < READS; i++) {
      Thread.currentThread().interrupt(); // Flink interrupts the task thread on cancel
      try {
        readJson(engine, status, schema);
      } catch (RuntimeException expected) {
        // the read is cancelled; what matters is what it leaves behind
      } finally {
        Thread.interrupted();
      }
    }

    assertNoLeakReports();
  }

  @Test
  void parquetInputInterruptedByCancellationLeavesNoStream() throws Exception {
    Path file = writeObject("parquet/part-0.bin", "0123456789");
    InputFile input = SynchronousParquetInputFile.of(file, 10, conf);
    try (SeekableInputStream in = input.newStream()) {
      byte[] bytes = new byte[10];
      in.readFully(bytes);
      assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("0123456789");
    }
    for (int i = 0; i < READS; i++) {
      Thread.currentThread().interrupt();
      try (SeekableInputStream in = input.newStream()) {
        in.read();
      } catch (IOException | RuntimeException expected) {
        // cancelled
      } finally {
        Thread.interrupted();
      }
    }

    assertNoLeakReports();
  }

  private static List<Long> readJson(Engine engine, FileStatus status, StructType schema) throws IOException {
    List<Long> values = new ArrayList<>();
    try (CloseableIterator<ColumnarBatch> batches = engine.getJsonHandler()
        .readJsonFiles(singleton(status), schema, Optional.empty())) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            values.add(rows.next().getLong(0));
          }
        }
      }
    }
    return values;
  }

  private void assertNoLeakReports() throws InterruptedException {
    // Orphaned streams are only found when they become unreachable.
    for (int i = 0; i < 5; i++) {
      System.gc();
      System.runFinalization();
      Thread.sleep(100);
    }
    assertThat(leakWarnings).as("streams closed by S3A's leak reporter instead of their reader").isEmpty();
  }

  private Path writeObject(String key, String content) throws IOException {
    Path path = new Path(S3.uri(key));
    FileSystem fs = path.getFileSystem(conf);
    try (FSDataOutputStream out = fs.create(path, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return path;
  }

  private long size(Path path) throws IOException {
    return path.getFileSystem(conf).getFileStatus(path).getLen();
  }

  private static CloseableIterator<FileStatus> singleton(FileStatus status) {
    return new CloseableIterator<FileStatus>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public FileStatus next() {
        done = true;
        return status;
      }

      @Override
      public void close() {}
    };
  }
}
