package io.tributary.delta.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/**
 * {@link BinaryDictionaryWriter} against Parquet's own {@link PlainBinaryDictionaryValuesWriter}:
 * fed the same values, both must produce the same bytes for every data page, dictionary page and
 * fallback, and decide to fall back at the same value.
 */
class BinaryDictionaryWriterTest {
  private static final HeapByteBufferAllocator ALLOCATOR = new HeapByteBufferAllocator();

  @Test
  void pagesMatchParquetsWriterForRepeatedValuesOfEveryLength() throws Exception {
    Random random = new Random(42);
    List<byte[]> distinct = new ArrayList<>();
    for (int length = 0; length <= 70; length++) { // every tail length around the 8-byte steps
      for (int k = 0; k < 3; k++) {
        byte[] value = new byte[length];
        random.nextBytes(value);
        distinct.add(value);
      }
    }
    distinct.add("https://shop.example.com/product/42?ref=home".getBytes(StandardCharsets.UTF_8));
    distinct.add("https://shop.example.com/product/43?ref=home".getBytes(StandardCharsets.UTF_8));
    List<Binary> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      values.add(asVariousBinaries(distinct.get(random.nextInt(distinct.size())), i));
    }
    Compared compared = writeBoth(values, 1 << 20, 5_000);
    assertThat(compared.fellBack).isFalse();
    assertThat(compared.dictionarySize)
        .isEqualTo(distinct.stream().map(ByteBuffer::wrap).distinct().count()); // 3 empty values are one
  }

  @Test
  void fallsBackAtTheSameValueAndWritesTheSameFallbackBytes() throws Exception {
    Random random = new Random(7);
    List<Binary> values = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      // mostly unique: the 64 KiB dictionary limit is crossed within the first page
      String value = random.nextInt(4) == 0 ? "repeated-" + random.nextInt(10) : "unique-" + i + "-" + random.nextLong();
      values.add(asVariousBinaries(value.getBytes(StandardCharsets.UTF_8), i));
    }
    Compared compared = writeBoth(values, 64 * 1024, 1_000_000);
    assertThat(compared.fellBack).isTrue();
  }

  @Test
  void hashUsesEveryByte() {
    byte[] a = "0123456789abcdefXYZ".getBytes(StandardCharsets.US_ASCII);
    int base = BinaryDictionaryWriter.hash(a, 0, a.length);
    for (int i = 0; i < a.length; i++) {
      byte[] b = a.clone();
      b[i] ^= 1;
      assertThat(BinaryDictionaryWriter.hash(b, 0, b.length)).as("byte %d", i).isNotEqualTo(base);
    }
    assertThat(BinaryDictionaryWriter.hash(a, 1, 8)).isNotEqualTo(BinaryDictionaryWriter.hash(a, 1, 9));
  }

  @Test
  void parquetFileAppenderWritesBinaryColumnsWithIt() throws Exception {
    ParquetFileAppender.FasterDictionaries hook = new ParquetFileAppender.FasterDictionaries();
    assertThat(hook.enabled()).isTrue();
    TestBuilder builder = new TestBuilder();
    hook.install(builder);
    java.lang.reflect.Field field = org.apache.parquet.hadoop.ParquetWriter.Builder.class.getDeclaredField("encodingPropsBuilder");
    field.setAccessible(true);
    org.apache.parquet.column.ParquetProperties properties =
        ((org.apache.parquet.column.ParquetProperties.Builder) field.get(builder)).build();
    org.apache.parquet.schema.MessageType schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType("message m { required binary s (STRING); required int64 n; }");
    ValuesWriter binary = properties.newValuesWriter(schema.getColumnDescription(new String[] {"s"}));
    assertThat(binary).isInstanceOf(org.apache.parquet.column.values.fallback.FallbackValuesWriter.class);
    assertThat(((org.apache.parquet.column.values.fallback.FallbackValuesWriter<?, ?>) binary).initialWriter)
        .isInstanceOf(BinaryDictionaryWriter.class);
    ValuesWriter number = properties.newValuesWriter(schema.getColumnDescription(new String[] {"n"}));
    assertThat(((org.apache.parquet.column.values.fallback.FallbackValuesWriter<?, ?>) number).initialWriter)
        .isNotInstanceOf(BinaryDictionaryWriter.class);
  }

  private static final class TestBuilder
      extends org.apache.parquet.hadoop.ParquetWriter.Builder<Object, TestBuilder> {
    TestBuilder() {
      super(new org.apache.hadoop.fs.Path("/unused"));
    }

    @Override
    protected TestBuilder self() {
      return this;
    }

    @Override
    protected org.apache.parquet.hadoop.api.WriteSupport<Object> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
      throw new UnsupportedOperationException();
    }
  }

  /** The same bytes as a reused array, a slice of a larger array, a constant, or a byte buffer. */
  private static Binary asVariousBinaries(byte[] value, int i) {
    switch (i % 4) {
      case 0:
        return Binary.fromReusedByteArray(value.clone());
      case 1:
        byte[] padded = new byte[value.length + 5];
        System.arraycopy(value, 0, padded, 3, value.length);
        return Binary.fromReusedByteArray(padded, 3, value.length);
      case 2:
        return Binary.fromConstantByteArray(value.clone());
      default:
        ByteBuffer direct = ByteBuffer.allocateDirect(value.length);
        direct.put(value).flip();
        return Binary.fromReusedByteBuffer(direct);
    }
  }

  private static final class Compared {
    boolean fellBack;
    int dictionarySize;
  }

  /**
   * Writes {@code values} to both writers, cutting a page every {@code pageValues} values as a
   * column writer would, and asserts equal output along the way.
   */
  private static Compared writeBoth(List<Binary> values, int maxDictionaryBytes, int pageValues) throws Exception {
    PlainBinaryDictionaryValuesWriter parquet =
        new PlainBinaryDictionaryValuesWriter(maxDictionaryBytes, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY, ALLOCATOR);
    BinaryDictionaryWriter ours =
        new BinaryDictionaryWriter(maxDictionaryBytes, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY, ALLOCATOR);
    Compared compared = new Compared();
    List<byte[]> parquetPages = new ArrayList<>();
    List<byte[]> ourPages = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      parquet.writeBytes(values.get(i));
      ours.writeBytes(values.get(i));
      assertThat(ours.getDictionarySize()).as("dictionary size after value %d", i).isEqualTo(parquet.getDictionarySize());
      assertThat(ours.shouldFallBack()).as("fallback decision after value %d", i).isEqualTo(parquet.shouldFallBack());
      assertThat(ours.getBufferedSize()).isEqualTo(parquet.getBufferedSize());
      if (parquet.shouldFallBack()) {
        ValuesWriter parquetPlain = new PlainValuesWriter(1024, 1 << 20, ALLOCATOR);
        ValuesWriter ourPlain = new PlainValuesWriter(1024, 1 << 20, ALLOCATOR);
        parquet.fallBackAllValuesTo(parquetPlain);
        ours.fallBackAllValuesTo(ourPlain);
        assertThat(ourPlain.getBytes().toByteArray()).isEqualTo(parquetPlain.getBytes().toByteArray());
        compared.fellBack = true;
        return compared;
      }
      if ((i + 1) % pageValues == 0 || i == values.size() - 1) {
        parquetPages.add(parquet.getBytes().toByteArray());
        ourPages.add(ours.getBytes().toByteArray());
        assertThat(ours.getEncoding()).isEqualTo(parquet.getEncoding());
        parquet.reset();
        ours.reset();
      }
    }
    assertThat(ourPages).hasSameSizeAs(parquetPages);
    for (int p = 0; p < parquetPages.size(); p++) {
      assertThat(ourPages.get(p)).as("data page %d", p).isEqualTo(parquetPages.get(p));
    }
    compared.dictionarySize = ours.getDictionarySize();
    DictionaryPage parquetDictionary = parquet.toDictPageAndClose();
    DictionaryPage ourDictionary = ours.toDictPageAndClose();
    assertThat(ourDictionary.getDictionarySize()).isEqualTo(parquetDictionary.getDictionarySize());
    assertThat(ourDictionary.getEncoding()).isEqualTo(parquetDictionary.getEncoding());
    assertThat(ourDictionary.getBytes().toByteArray()).isEqualTo(parquetDictionary.getBytes().toByteArray());
    return compared;
  }
}
