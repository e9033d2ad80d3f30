package io.tributary.delta.parquet;

import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import org.apache.flink.table.data.RowData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * One Parquet data file being written. Not thread-safe. After {@link #close()} the exact file
 * length and the footer (row count and column statistics) are known without another request to
 * the file system.
 */
public final class ParquetFileAppender implements AutoCloseable {
  /** First size of a file's compression output buffer; it grows as pages need. */
  static final int INITIAL_COMPRESSION_BUFFER = 4 * 1024;

  private final Path path;
  private final CountingOutputFile output;
  private final ParquetWriter<RowData> writer;
  private final Set<String> plainColumns;
  private final DictionaryAdvisor dictionaries; // null: nobody learns from this file
  private long records;
  private ParquetMetadata footer;

  /** Settings shared by every file of one writer. */
  public static final class Settings {
    final CompressionCodecName codec;
    final long rowGroupSize;
    final int pageSize;

    public Settings(String codec, long rowGroupSize, long pageSize) {
      this.codec = CompressionCodecName.valueOf(codec);
      this.rowGroupSize = rowGroupSize;
      this.pageSize = (int) Math.min(Integer.MAX_VALUE, pageSize);
    }

    /** File name extension of the codec, e.g. {@code .snappy}; empty when uncompressed. */
    public String extension() {
      return codec == CompressionCodecName.UNCOMPRESSED ? "" : codec.getExtension();
    }
  }

  /** A file that tries dictionary encoding for every column. */
  public ParquetFileAppender(
      FileSystem fs, Path path, Configuration conf, WriteSupport<RowData> support, Settings settings)
      throws IOException {
    this(fs, path, conf, support, settings, Collections.emptySet(), null);
  }

  /**
   * A file whose columns use a dictionary as {@code dictionaries} advises; on {@link #close()} the
   * advisor learns from the file's footer. Share one advisor among the files of one writer.
   */
  public ParquetFileAppender(
      FileSystem fs,
      Path path,
      Configuration conf,
      WriteSupport<RowData> support,
      Settings settings,
      DictionaryAdvisor dictionaries)
      throws IOException {
    this(fs, path, conf, support, settings, dictionaries.nextFilePlainColumns(), dictionaries);
  }

  /** A file writing {@code plainColumns} (dot paths) without a dictionary; no advisor learns. */
  ParquetFileAppender(
      FileSystem fs,
      Path path,
      Configuration conf,
      WriteSupport<RowData> support,
      Settings settings,
      Set<String> plainColumns)
      throws IOException {
    this(fs, path, conf, support, settings, plainColumns, null);
  }

  private ParquetFileAppender(
      FileSystem fs,
      Path path,
      Configuration conf,
      WriteSupport<RowData> support,
      Settings settings,
      Set<String> plainColumns,
      DictionaryAdvisor dictionaries)
      throws IOException {
    this.path = path;
    this.output = new CountingOutputFile(fs, path);
    this.plainColumns = plainColumns;
    this.dictionaries = dictionaries;
    Builder builder =
        new Builder(output, support)
            .withConf(conf)
            .withCompressionCodec(settings.codec)
            // Parquet's default codec factory sizes each file's compression buffer at the page
            // size (1 MiB by default) before the first page: 64 open files of one row each held
            // 64 MiB for nothing. This one starts small and grows to the largest compressed page.
            // ParquetWriter.close() releases it, as it does its own.
            .withCodecFactory(new CodecFactory(conf, INITIAL_COMPRESSION_BUFFER))
            .withRowGroupSize(settings.rowGroupSize)
            .withPageSize(settings.pageSize)
            .withDictionaryEncoding(true)
            .withWriteMode(ParquetFileWriter.Mode.CREATE);
    for (String column : plainColumns) {
      builder.withDictionaryEncoding(column, false);
    }
    this.writer = builder.build();
  }

  public void write(RowData row) throws IOException {
    writer.write(row);
    records++;
  }

  /** Bytes written so far plus what is buffered for the current row group. */
  public long estimatedSize() {
    return writer.getDataSize();
  }

  public long records() {
    return records;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    if (footer == null) {
      writer.close();
      footer = writer.getFooter();
      if (dictionaries != null) {
        dictionaries.learn(footer, plainColumns);
      }
    }
  }

  /** Exact length of the closed file. */
  public long fileLength() {
    checkClosed();
    return output.length;
  }

  public ParquetMetadata footer() {
    checkClosed();
    return footer;
  }

  private void checkClosed() {
    if (footer == null) {
      throw new IllegalStateException("File " + path + " is still open");
    }
  }

  private static final FasterDictionaries FASTER_DICTIONARIES = new FasterDictionaries();

  /**
   * Puts {@link TributaryValuesWriterFactory} into a writer builder. ParquetWriter.Builder has no
   * setter for the values-writer factory, only its private ParquetProperties.Builder has; this
   * reaches it by reflection once per class. Should a Parquet upgrade remove the field, files are
   * written with Parquet's own (slower, equivalent) dictionary and a warning says so.
   */
  static final class FasterDictionaries {
    private final java.lang.reflect.Field field;

    FasterDictionaries() {
      java.lang.reflect.Field f;
      try {
        f = ParquetWriter.Builder.class.getDeclaredField("encodingPropsBuilder");
        f.setAccessible(true);
      } catch (ReflectiveOperationException | RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(ParquetFileAppender.class)
            .warn("Parquet's own binary dictionary writer is used: {}", e.toString());
        f = null;
      }
      this.field = f;
    }

    /** Whether the faster dictionary is in use. */
    boolean enabled() {
      return field != null;
    }

    void install(ParquetWriter.Builder<?, ?> builder) {
      if (field != null) {
        try {
          ((ParquetProperties.Builder) field.get(builder)).withValuesWriterFactory(new TributaryValuesWriterFactory());
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("Cannot configure the Parquet writer", e);
        }
      }
    }
  }

  private static final class Builder extends ParquetWriter.Builder<RowData, Builder> {
    private final WriteSupport<RowData> support;

    Builder(OutputFile file, WriteSupport<RowData> support) {
      super(file);
      this.support = support;
      FASTER_DICTIONARIES.install(this);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<RowData> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  /** Creates the file through Hadoop and remembers how many bytes went into it. */
  private static final class CountingOutputFile implements OutputFile {
    private final FileSystem fs;
    private final Path path;
    private long length = -1;

    CountingOutputFile(FileSystem fs, Path path) {
      this.fs = fs;
      this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return open(false);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      return open(true);
    }

    private PositionOutputStream open(boolean overwrite) throws IOException {
      FSDataOutputStream out = fs.create(path, overwrite);
      return new PositionOutputStream() {
        @Override
        public long getPos() throws IOException {
          return out.getPos();
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          long pos = out.getPos();
          out.close();
          length = pos;
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    @Override
    public String getPath() {
      return path.toString();
    }
  }
}
