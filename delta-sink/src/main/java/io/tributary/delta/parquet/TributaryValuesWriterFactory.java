package io.tributary.delta.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.DefaultV2ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Parquet's default encodings, from a factory of its own rather than Parquet's shared one, except
 * that BINARY columns written with a dictionary in the
 * Parquet 1.0 format use {@link BinaryDictionaryWriter}. The files are the same as with Parquet's
 * own factory: the same encodings, pages and fallback to plain when the dictionary grows too big.
 */
final class TributaryValuesWriterFactory implements ValuesWriterFactory {
  private ParquetProperties properties;
  private ValuesWriterFactory defaults;
  /** Whether the file is written in the Parquet 1.0 format, the one BinaryDictionaryWriter serves. */
  private boolean v1;

  @Override
  public void initialize(ParquetProperties properties) {
    this.properties = properties;
    this.v1 = properties.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_1_0;
    // Our own instance: Parquet's DefaultValuesWriterFactory initializes one static delegate, so
    // concurrent writers with different per-column settings would see each other's.
    this.defaults = v1 ? new DefaultV1ValuesWriterFactory() : new DefaultV2ValuesWriterFactory();
    defaults.initialize(properties);
  }

  @Override
  public ValuesWriter newValuesWriter(ColumnDescriptor column) {
    if (!v1
        || column.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY
        || !properties.isDictionaryEnabled(column)) {
      return defaults.newValuesWriter(column);
    }
    // As Parquet's 1.0 factory: PLAIN_DICTIONARY for both pages, plain values as the fallback.
    return FallbackValuesWriter.of(
        new BinaryDictionaryWriter(
            properties.getDictionaryPageSizeThreshold(),
            Encoding.PLAIN_DICTIONARY,
            Encoding.PLAIN_DICTIONARY,
            properties.getAllocator()),
        new PlainValuesWriter(properties.getInitialSlabSize(), properties.getPageSizeThreshold(), properties.getAllocator()));
  }
}
