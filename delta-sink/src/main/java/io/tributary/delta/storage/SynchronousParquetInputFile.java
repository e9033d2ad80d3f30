package io.tributary.delta.storage;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} whose streams are opened on the calling thread with {@link
 * FileSystem#open(Path)}, for readers that may be interrupted by a job's cancellation.
 *
 * <p>Parquet's own {@code HadoopInputFile} opens through {@code FileSystem#openFile}, which S3A
 * completes in a thread pool: an interrupted reader then leaves an open stream that only the
 * finalizer closes, pinning the job's class loader (see {@link InterruptSafeFileIO}).
 */
public final class SynchronousParquetInputFile implements InputFile {
  private final FileSystem fs;
  private final Path path;
  private final long length;

  private SynchronousParquetInputFile(FileSystem fs, Path path, long length) {
    this.fs = fs;
    this.path = path;
    this.length = length;
  }

  /** A file whose length is already known (from the Delta log), so opening costs no extra request. */
  public static SynchronousParquetInputFile of(Path path, long length, Configuration conf) throws IOException {
    return new SynchronousParquetInputFile(path.getFileSystem(conf), path, length);
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    return HadoopStreams.wrap(fs.open(path));
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
