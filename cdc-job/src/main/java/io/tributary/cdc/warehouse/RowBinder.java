package io.tributary.cdc.warehouse;

import io.tributary.cdc.silver.PgColumnType;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.SourceTable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.TimestampData;

/**
 * Binds one silver change to the parameters of {@link WarehouseDialect#rowStatement}: the source
 * columns (Flink internal values converted to JDBC ones), then {@code source_commit_lsn}, {@code
 * source_seq}, {@code source_commit_ts} and {@code _deleted}. A delete binds a tombstone: the key,
 * the position, {@code _deleted = true} and null in every other column.
 */
final class RowBinder {
  private RowBinder() {}

  static boolean isDelete(SilverRow row) {
    return "d".equals(String.valueOf(row.values()[row.schema().metadataIndex(SilverSchema.OP)]));
  }

  static void bind(PreparedStatement st, SilverRow row) throws SQLException {
    SilverSchema schema = row.schema();
    boolean delete = isDelete(row);
    Object[] values = row.values();
    int p = 1;
    for (int i = 0; i < schema.sourceColumnCount(); i++) {
      SourceTable.Column c = schema.source().columns().get(i);
      boolean keep = !delete || schema.source().primaryKey().contains(c.name());
      bindValue(st, p++, c.type(), keep ? values[i] : null);
    }
    st.setLong(p++, row.commitLsn());
    st.setLong(p++, row.seq());
    Object ts = values[schema.metadataIndex(SilverSchema.COMMIT_TS)];
    if (ts == null) {
      st.setNull(p++, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      st.setObject(p++, OffsetDateTime.ofInstant(((TimestampData) ts).toInstant(), ZoneOffset.UTC));
    }
    st.setBoolean(p, delete);
  }

  static void bindValue(PreparedStatement st, int p, PgColumnType type, Object v) throws SQLException {
    if (v == null) {
      st.setNull(p, sqlType(type));
      return;
    }
    switch (type.kind()) {
      case BOOLEAN:
        st.setBoolean(p, (Boolean) v);
        break;
      case SMALLINT:
        st.setShort(p, (Short) v);
        break;
      case INT:
        st.setInt(p, (Integer) v);
        break;
      case BIGINT:
        st.setLong(p, (Long) v);
        break;
      case FLOAT:
        st.setFloat(p, (Float) v);
        break;
      case DOUBLE:
        st.setDouble(p, (Double) v);
        break;
      case DECIMAL:
        st.setBigDecimal(p, ((DecimalData) v).toBigDecimal());
        break;
      case STRING:
        st.setString(p, v.toString());
        break;
      case DATE:
        st.setObject(p, LocalDate.ofEpochDay((Integer) v));
        break;
      case TIME:
        st.setObject(p, LocalTime.parse(v.toString()));
        break;
      case TIMESTAMP:
        st.setObject(p, ((TimestampData) v).toLocalDateTime());
        break;
      case TIMESTAMPTZ:
        st.setObject(p, OffsetDateTime.ofInstant(((TimestampData) v).toInstant(), ZoneOffset.UTC));
        break;
      case BYTES:
        st.setBytes(p, (byte[]) v);
        break;
      case ARRAY:
        st.setString(p, arrayLiteral((ArrayData) v, type.element()));
        break;
      default:
        throw new IllegalStateException(type.kind().name());
    }
  }

  private static int sqlType(PgColumnType type) {
    switch (type.kind()) {
      case BOOLEAN:
        return Types.BOOLEAN;
      case SMALLINT:
        return Types.SMALLINT;
      case INT:
        return Types.INTEGER;
      case BIGINT:
        return Types.BIGINT;
      case FLOAT:
        return Types.REAL;
      case DOUBLE:
        return Types.DOUBLE;
      case DECIMAL:
        return Types.NUMERIC;
      case DATE:
        return Types.DATE;
      case TIME:
        return Types.TIME;
      case TIMESTAMP:
        return Types.TIMESTAMP;
      case TIMESTAMPTZ:
        return Types.TIMESTAMP_WITH_TIMEZONE;
      case BYTES:
        return Types.BINARY;
      default:
        return Types.VARCHAR; // text, and arrays (bound as their text form)
    }
  }

  /** The PostgreSQL text form of an array, e.g. {@code {"a","b",NULL}}, cast by the statement. */
  static String arrayLiteral(ArrayData array, PgColumnType element) {
    Object[] values = ((GenericArrayData) array).toObjectArray();
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      if (values[i] == null) {
        b.append("NULL");
      } else {
        String s = elementText(values[i], element);
        b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return b.append('}').toString();
  }

  private static String elementText(Object v, PgColumnType type) {
    switch (type.kind()) {
      case DECIMAL:
        return ((DecimalData) v).toBigDecimal().toPlainString();
      case DATE:
        return LocalDate.ofEpochDay((Integer) v).toString();
      case TIMESTAMP:
        return ((TimestampData) v).toLocalDateTime().toString();
      case TIMESTAMPTZ:
        return ((TimestampData) v).toInstant().toString();
      default:
        return v.toString();
    }
  }
}
