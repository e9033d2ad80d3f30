package io.tributary.cli.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Prints a query result as an aligned table, CSV (RFC 4180) or JSON Lines. */
public final class ResultPrinter {

  /** Output formats of {@code tributary query}. */
  public enum Format {
    TABLE,
    CSV,
    JSON
  }

  private static final int MAX_CELL = 80;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Format format;
  private final long maxRows;

  /** @param maxRows rows printed in table format (the rest are counted); CSV and JSON print all */
  public ResultPrinter(Format format, long maxRows) {
    this.format = format;
    this.maxRows = maxRows;
  }

  /** @return the number of rows in the result */
  public long print(ResultSet rs, PrintStream out) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add(md.getColumnLabel(i));
    }
    switch (format) {
      case CSV:
        return csv(rs, names, out);
      case JSON:
        return json(rs, md, names, out);
      default:
        return table(rs, md, names, out);
    }
  }

  private long table(ResultSet rs, ResultSetMetaData md, List<String> names, PrintStream out) throws SQLException {
    int n = names.size();
    List<String[]> rows = new ArrayList<>();
    long total = 0;
    while (rs.next()) {
      total++;
      if (total <= maxRows) {
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
          String v = text(rs, i + 1);
          row[i] = v == null ? "NULL" : truncate(v.replace('\n', ' '));
        }
        rows.add(row);
      }
    }
    int[] width = new int[n];
    boolean[] right = new boolean[n];
    for (int i = 0; i < n; i++) {
      width[i] = names.get(i).length();
      right[i] = isNumeric(md.getColumnType(i + 1));
    }
    for (String[] row : rows) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], row[i].codePointCount(0, row[i].length()));
      }
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < n; i++) {
      line.append(i == 0 ? "" : " | ").append(pad(names.get(i), width[i], right[i]));
    }
    out.println(line);
    line.setLength(0);
    for (int i = 0; i < n; i++) {
      line.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(line);
    for (String[] row : rows) {
      line.setLength(0);
      for (int i = 0; i < n; i++) {
        line.append(i == 0 ? "" : " | ").append(pad(row[i], width[i], right[i]));
      }
      out.println(line);
    }
    out.println(total > maxRows
        ? String.format("(%,d rows, first %,d shown; use --max-rows or --format csv)", total, maxRows)
        : String.format("(%,d row%s)", total, total == 1 ? "" : "s"));
    return total;
  }

  private static long csv(ResultSet rs, List<String> names, PrintStream out) throws SQLException {
    out.println(String.join(",", names.stream().map(ResultPrinter::csvCell).toArray(String[]::new)));
    long total = 0;
    StringBuilder line = new StringBuilder();
    while (rs.next()) {
      total++;
      line.setLength(0);
      for (int i = 1; i <= names.size(); i++) {
        String v = text(rs, i);
        line.append(i == 1 ? "" : ",").append(v == null ? "" : csvCell(v));
      }
      out.println(line);
    }
    return total;
  }

  private static long json(ResultSet rs, ResultSetMetaData md, List<String> names, PrintStream out)
      throws SQLException, IOException {
    long total = 0;
    while (rs.next()) {
      total++;
      StringWriter w = new StringWriter();
      try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
        g.writeStartObject();
        for (int i = 1; i <= names.size(); i++) {
          g.writeFieldName(names.get(i - 1));
          Object v = rs.getObject(i);
          if (v == null) {
            g.writeNull();
          } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
          } else if (v instanceof BigDecimal) {
            g.writeNumber((BigDecimal) v);
          } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
          } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
          } else if (v instanceof java.math.BigInteger) {
            g.writeNumber((java.math.BigInteger) v);
          } else {
            g.writeString(text(rs, i));
          }
        }
        g.writeEndObject();
      }
      out.println(w);
    }
    return total;
  }

  /** A cell as text: ISO-8601 for temporal values, base64 for binary. */
  static String text(ResultSet rs, int column) throws SQLException {
    Object v = rs.getObject(column);
    if (v == null) {
      return null;
    }
    if (v instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) v);
    }
    if (v instanceof java.sql.Blob) {
      java.sql.Blob b = (java.sql.Blob) v;
      return Base64.getEncoder().encodeToString(b.getBytes(1, (int) b.length()));
    }
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).toInstant().toString();
    }
    if (v instanceof java.sql.Timestamp) {
      return ((java.sql.Timestamp) v).toLocalDateTime().toString();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    return v.toString();
  }

  private static boolean isNumeric(int type) {
    switch (type) {
      case Types.BIGINT:
      case Types.INTEGER:
      case Types.SMALLINT:
      case Types.TINYINT:
      case Types.DECIMAL:
      case Types.NUMERIC:
      case Types.DOUBLE:
      case Types.FLOAT:
      case Types.REAL:
        return true;
      default:
        return false;
    }
  }

  private static String truncate(String v) {
    return v.length() <= MAX_CELL ? v : v.substring(0, MAX_CELL - 1) + "…";
  }

  private static String pad(String v, int width, boolean right) {
    int gap = width - v.codePointCount(0, v.length());
    String spaces = " ".repeat(Math.max(0, gap));
    return right ? spaces + v : v + spaces;
  }

  private static String csvCell(String v) {
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }

  static Format format(String s) {
    try {
      return Format.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown format '" + s + "': use table, csv or json");
    }
  }
}
