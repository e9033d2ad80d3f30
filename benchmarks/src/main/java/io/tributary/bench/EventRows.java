package io.tributary.bench;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RawValueData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;

/**
 * The benchmark's narrow event row and its generator, shared by every writer so they all write
 * exactly the same rows.
 *
 * <p>Row {@code i} is a pure function of {@code i}: {@code id = i} (unique, so the output can be
 * checked for lost and duplicated rows), {@code event_date} cycles through {@code days} dates, and
 * the other columns are scrambled from {@code i}. Generation is cheap on purpose: one mutable row
 * per generator, strings and decimals from pre-built pools, no boxing; only the timestamp is
 * allocated when a writer reads it, as with any {@link RowData}.
 */
public final class EventRows {
  private EventRows() {}

  /** 2026-11-01, the first {@code event_date}. */
  public static final int FIRST_DAY = (int) java.time.LocalDate.of(2026, 11, 1).toEpochDay();

  /** 2026-11-01T00:00:00Z, the timestamp of row 0; row i is i milliseconds later. */
  public static final long FIRST_MILLIS = FIRST_DAY * 86_400_000L;

  public static final String PARTITION_COLUMN = "event_date";

  public static final RowType ROW_TYPE =
      RowType.of(
          new LogicalType[] {
            new BigIntType(false),
            new DateType(false),
            new BigIntType(),
            new VarCharType(VarCharType.MAX_LENGTH),
            new DecimalType(10, 2),
            new LocalZonedTimestampType(3)
          },
          new String[] {"id", PARTITION_COLUMN, "user_id", "event_type", "amount", "ts"});

  /** Positions of the columns stored in data files: all but the partition column. */
  public static final int[] DATA_FIELDS = {0, 2, 3, 4, 5};

  /** Row type of {@link #DATA_FIELDS}. */
  public static final RowType DATA_ROW_TYPE =
      RowType.of(
          new LogicalType[] {
            ROW_TYPE.getTypeAt(0),
            ROW_TYPE.getTypeAt(2),
            ROW_TYPE.getTypeAt(3),
            ROW_TYPE.getTypeAt(4),
            ROW_TYPE.getTypeAt(5)
          },
          new String[] {"id", "user_id", "event_type", "amount", "ts"});

  private static final StringData[] EVENT_TYPES = strings(
      "page_view", "click", "search", "add_to_cart", "remove_from_cart", "checkout", "purchase", "login");

  private static final int AMOUNTS = 100_000;

  /** 0.00 .. 999.99, shared: DecimalData is immutable. */
  private static final DecimalData[] AMOUNT_POOL = new DecimalData[AMOUNTS];

  static {
    for (int i = 0; i < AMOUNTS; i++) {
      AMOUNT_POOL[i] = DecimalData.fromUnscaledLong(i, 10, 2);
    }
  }

  private static StringData[] strings(String... values) {
    StringData[] out = new StringData[values.length];
    for (int i = 0; i < values.length; i++) {
      // From bytes: materialized up front, so concurrent readers never race to encode it.
      out[i] = StringData.fromBytes(values[i].getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * A reusable row holding primitives. {@link #set} overwrites it; writers must consume it before
   * the next row (every writer here does; Flink copies it when object reuse is off).
   */
  public static final class EventRow implements RowData {
    private final int days;
    private long id;
    private int eventDate;
    private long userId;
    private StringData eventType;
    private DecimalData amount;
    private long tsMillis;

    public EventRow(int days) {
      if (days < 1) {
        throw new IllegalArgumentException("days must be positive");
      }
      this.days = days;
    }

    /** Makes this row the row with id {@code i}. */
    public EventRow set(long i) {
      long h = mix(i);
      this.id = i;
      this.eventDate = FIRST_DAY + (int) (i % days);
      this.userId = h >>> 44; // about a million users
      this.eventType = EVENT_TYPES[(int) (h >>> 20) & (EVENT_TYPES.length - 1)];
      this.amount = AMOUNT_POOL[(int) ((h & 0xFFFF_FFFFL) % AMOUNTS)];
      this.tsMillis = FIRST_MILLIS + i;
      return this;
    }

    /** Index of this row's {@code event_date} among the {@code days} dates. */
    public int dayIndex() {
      return eventDate - FIRST_DAY;
    }

    private static long mix(long x) {
      long z = x * 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 32)) * 0xD6E8FEB86659FD93L;
      return z ^ (z >>> 32);
    }

    @Override
    public int getArity() {
      return 6;
    }

    @Override
    public RowKind getRowKind() {
      return RowKind.INSERT;
    }

    @Override
    public void setRowKind(RowKind kind) {
      if (kind != RowKind.INSERT) {
        throw new UnsupportedOperationException("insert-only rows");
      }
    }

    @Override
    public boolean isNullAt(int pos) {
      return false;
    }

    @Override
    public long getLong(int pos) {
      switch (pos) {
        case 0:
          return id;
        case 2:
          return userId;
        default:
          throw wrong(pos, "BIGINT");
      }
    }

    @Override
    public int getInt(int pos) {
      if (pos == 1) {
        return eventDate;
      }
      throw wrong(pos, "INT/DATE");
    }

    @Override
    public StringData getString(int pos) {
      if (pos == 3) {
        return eventType;
      }
      throw wrong(pos, "STRING");
    }

    @Override
    public DecimalData getDecimal(int pos, int precision, int scale) {
      if (pos == 4) {
        return amount;
      }
      throw wrong(pos, "DECIMAL");
    }

    @Override
    public TimestampData getTimestamp(int pos, int precision) {
      if (pos == 5) {
        return TimestampData.fromEpochMillis(tsMillis);
      }
      throw wrong(pos, "TIMESTAMP");
    }

    private static IllegalArgumentException wrong(int pos, String type) {
      return new IllegalArgumentException("Field " + pos + " of the event row is not " + type);
    }

    @Override
    public boolean getBoolean(int pos) {
      throw wrong(pos, "BOOLEAN");
    }

    @Override
    public byte getByte(int pos) {
      throw wrong(pos, "TINYINT");
    }

    @Override
    public short getShort(int pos) {
      throw wrong(pos, "SMALLINT");
    }

    @Override
    public float getFloat(int pos) {
      throw wrong(pos, "FLOAT");
    }

    @Override
    public double getDouble(int pos) {
      throw wrong(pos, "DOUBLE");
    }

    @Override
    public <T> RawValueData<T> getRawValue(int pos) {
      throw wrong(pos, "RAW");
    }

    @Override
    public byte[] getBinary(int pos) {
      throw wrong(pos, "BINARY");
    }

    @Override
    public ArrayData getArray(int pos) {
      throw wrong(pos, "ARRAY");
    }

    @Override
    public MapData getMap(int pos) {
      throw wrong(pos, "MAP");
    }

    @Override
    public RowData getRow(int pos, int numFields) {
      throw wrong(pos, "ROW");
    }
  }

  /** Rows generated so far, per run, summed over the generator instances of that run. */
  static final class Progress {
    private static final ConcurrentHashMap<String, Queue<AtomicLong>> RUNS = new ConcurrentHashMap<>();

    private Progress() {}

    static AtomicLong register(String run) {
      AtomicLong counter = new AtomicLong();
      RUNS.computeIfAbsent(run, r -> new ConcurrentLinkedQueue<>()).add(counter);
      return counter;
    }

    static long generated(String run) {
      Queue<AtomicLong> counters = RUNS.get(run);
      long sum = 0;
      if (counters != null) {
        for (AtomicLong c : counters) {
          sum += c.get();
        }
      }
      return sum;
    }

    static void forget(String run) {
      RUNS.remove(run);
    }
  }

  /**
   * Flink's {@code DataGeneratorSource} function: fills one reused {@link EventRow} per reader and
   * publishes how many rows it produced (a single-writer ordered store, no contention), so the
   * driver knows when the input is exhausted. The MiniCluster runs in this JVM.
   */
  public static final class Generator implements GeneratorFunction<Long, RowData> {
    private static final long serialVersionUID = 1L;
    private final int days;
    private final String run;
    private transient EventRow row;
    private transient AtomicLong produced;
    private transient long count;

    public Generator(int days, String run) {
      this.days = days;
      this.run = run;
    }

    @Override
    public void open(SourceReaderContext readerContext) {
      row = new EventRow(days);
      produced = Progress.register(run);
    }

    @Override
    public RowData map(Long index) {
      produced.lazySet(++count);
      return row.set(index);
    }
  }
}
