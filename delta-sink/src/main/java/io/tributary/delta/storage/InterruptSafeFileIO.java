package io.tributary.delta.storage;

import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.defaults.engine.hadoopio.HadoopInputFile;
import io.delta.kernel.defaults.engine.hadoopio.HadoopSeekableInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Kernel's Hadoop file I/O, with input streams opened on the calling thread.
 *
 * <p>Kernel's {@link HadoopInputFile#newStream()} opens through {@code
 * FileSystem#openFile(path).build().get()}. On S3A that open runs in the file system's {@code
 * s3a-transfer} pool; when the waiting task thread is interrupted (Flink cancels a job, or
 * restores it), {@code get()} throws while the open completes in the pool, and the stream it
 * returns belongs to nobody. S3A's leak reporter then closes it from the JVM's finalizer thread
 * ("Stream not closed while reading"), and that close leaves Hadoop's per-thread statistics of the
 * job's class loader in a thread-local of the finalizer thread, which lives as long as the JVM: the
 * cancelled job's class loader and all its classes can never be unloaded (metaspace grows with
 * every restore until the TaskManager dies).
 *
 * <p>{@link FileSystem#open(Path)} opens on the calling thread: an interrupt either happens before
 * the stream exists (nothing to close) or after the caller owns it (the caller's {@code finally}
 * closes it). Kernel reads whole files or seeks explicitly, so the length hint {@code openFile}
 * passes is not needed.
 */
public final class InterruptSafeFileIO extends HadoopFileIO {
  private final Configuration hadoopConf;

  public InterruptSafeFileIO(Configuration hadoopConf) {
    super(hadoopConf);
    this.hadoopConf = hadoopConf;
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    Path hadoopPath = new Path(path);
    try {
      return new SynchronousInputFile(hadoopPath.getFileSystem(hadoopConf), hadoopPath, fileSize);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot get the file system of " + path, e);
    }
  }

  /** Kernel's Hadoop input file, opening with {@link FileSystem#open(Path)}. */
  private static final class SynchronousInputFile extends HadoopInputFile {
    private final FileSystem fs;
    private final Path path;

    SynchronousInputFile(FileSystem fs, Path path, long fileSize) {
      super(fs, path, fileSize);
      this.fs = fs;
      this.path = path;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      return new HadoopSeekableInputStream(fs.open(path));
    }
  }
}
