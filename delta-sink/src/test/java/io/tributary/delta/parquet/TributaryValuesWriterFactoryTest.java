package io.tributary.delta.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

class TributaryValuesWriterFactoryTest {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType("message m { required int64 n; required binary s (STRING); }");
  private static final ColumnDescriptor N = SCHEMA.getColumnDescription(new String[] {"n"});
  private static final ColumnDescriptor S = SCHEMA.getColumnDescription(new String[] {"s"});

  @Test
  void eachFileKeepsItsOwnPerColumnDictionarySettings() {
    // Two files open at once, as two sink writers have: one writes n and s plain (as its
    // DictionaryAdvisor said), the other tries the dictionary. Parquet's default factory keeps one
    // static delegate, which the second file's settings would overwrite for the first.
    ParquetProperties plain =
        ParquetProperties.builder()
            .withDictionaryEncoding(true)
            .withDictionaryEncoding("n", false)
            .withDictionaryEncoding("s", false)
            .withValuesWriterFactory(new TributaryValuesWriterFactory())
            .build();
    ParquetProperties dictionary =
        ParquetProperties.builder().withDictionaryEncoding(true).withValuesWriterFactory(new TributaryValuesWriterFactory()).build();

    ValuesWriter plainN = plain.newValuesWriter(N);
    ValuesWriter plainS = plain.newValuesWriter(S);
    ValuesWriter dictionaryN = dictionary.newValuesWriter(N);
    ValuesWriter dictionaryS = dictionary.newValuesWriter(S);

    assertThat(plainN).isInstanceOf(PlainValuesWriter.class);
    assertThat(plainS).isInstanceOf(PlainValuesWriter.class);
    assertThat(dictionaryN).isInstanceOf(FallbackValuesWriter.class);
    assertThat(((FallbackValuesWriter<?, ?>) dictionaryS).initialWriter).isInstanceOf(BinaryDictionaryWriter.class);
  }
}
