package io.tributary.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Compact JSON text written straight from a streaming {@link JsonParser}: the same text, byte for
 * byte, that {@code Json.compact} wrote for the tree model (keys in input order, no whitespace,
 * numbers as the tree held them), so {@code properties} and extra fields keep their stored form.
 * {@code WebEventParserEquivalenceTest} checks it against the tree. Stateless.
 */
final class CompactJson {
  private CompactJson() {}

  /**
   * Appends the value starting at the current token {@code t} to {@code out} as compact JSON (or
   * only reads it when {@code out} is null), converting every number exactly as the tree model
   * does, so number errors surface the same way. The text is byte-for-byte what {@code
   * Json.compact} of the tree writes (checked by the differential test); a hand-written writer
   * because creating a Jackson generator per event cost more than the parse itself.
   */
  static void copy(JsonParser p, JsonToken t, StringBuilder out) throws IOException {
    int depth = 0;
    while (true) {
      switch (t) {
        case START_OBJECT:
          depth++;
          if (out != null) {
            comma(out).append('{');
          }
          break;
        case START_ARRAY:
          depth++;
          if (out != null) {
            comma(out).append('[');
          }
          break;
        case END_OBJECT:
          depth--;
          if (out != null) {
            out.append('}');
          }
          break;
        case END_ARRAY:
          depth--;
          if (out != null) {
            out.append(']');
          }
          break;
        case FIELD_NAME:
          if (out != null) {
            fieldName(out, p.currentName());
          }
          break;
        case VALUE_STRING:
          if (out != null) {
            quoted(comma(out), p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
          break;
        case VALUE_NUMBER_INT:
          number(out, readInt(p));
          break;
        case VALUE_NUMBER_FLOAT:
          number(out, readFloat(p));
          break;
        case VALUE_TRUE:
          if (out != null) {
            comma(out).append("true");
          }
          break;
        case VALUE_FALSE:
          if (out != null) {
            comma(out).append("false");
          }
          break;
        case VALUE_NULL:
          if (out != null) {
            comma(out).append("null");
          }
          break;
        default:
          throw new IllegalStateException("unexpected token " + t);
      }
      if (depth == 0) {
        return;
      }
      t = p.nextToken();
      if (t == null) {
        throw new IllegalStateException("unexpected end of input");
      }
    }
  }

  /**
   * Appends the separator a new element needs: none right after '{', '[' or a field name's ':'
   * (no value or closed container can end with ':'), else a comma.
   */
  private static StringBuilder comma(StringBuilder out) {
    int n = out.length();
    if (n > 0) {
      char last = out.charAt(n - 1);
      if (last != '{' && last != '[' && last != ':') {
        out.append(',');
      }
    }
    return out;
  }

  static void fieldName(StringBuilder out, String name) {
    quoted(comma(out), name.toCharArray(), 0, name.length()).append(':');
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Jackson's default escaping: '"', '\\' and control characters only; all else verbatim. */
  private static StringBuilder quoted(StringBuilder out, char[] c, int off, int len) {
    out.append('"');
    int end = off + len;
    int start = off;
    for (int i = off; i < end; i++) {
      char ch = c[i];
      if (ch >= 0x20 && ch != '"' && ch != '\\') {
        continue;
      }
      out.append(c, start, i - start);
      start = i + 1;
      switch (ch) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\f':
          out.append("\\f");
          break;
        case '\r':
          out.append("\\r");
          break;
        default:
          out.append("\\u00").append(HEX[ch >> 4]).append(HEX[ch & 0xF]);
          break;
      }
    }
    out.append(c, start, end - start);
    return out.append('"');
  }

  /** As Jackson writes these Number types; a non-finite double is quoted (QUOTE_NON_NUMERIC_NUMBERS). */
  private static void number(StringBuilder out, Number n) {
    if (out == null) {
      return;
    }
    comma(out);
    if (n instanceof Double && !Double.isFinite(n.doubleValue())) {
      out.append('"').append(n).append('"');
    } else {
      out.append(n.toString());
    }
  }

  /** Same calls as Jackson 2.15's tree deserializer: IntNode, LongNode or BigIntegerNode. */
  static Number readInt(JsonParser p) throws IOException {
    JsonParser.NumberType nt = p.getNumberType();
    if (nt == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    if (nt == JsonParser.NumberType.LONG) {
      return p.getLongValue();
    }
    return p.getBigIntegerValue();
  }

  /**
   * Same calls as Jackson 2.15's tree deserializer with USE_BIG_DECIMAL_FOR_FLOATS: a BigDecimal
   * (trailing zeros kept), except that a value overflowing a double (e.g. {@code 1e400}) becomes
   * a Double infinity there (the parser's isNaN() check), and so it does here.
   */
  static Number readFloat(JsonParser p) throws IOException {
    JsonParser.NumberType nt = p.getNumberType();
    if (nt == JsonParser.NumberType.BIG_DECIMAL) {
      return p.getDecimalValue();
    }
    if (p.isNaN()) {
      return p.getDoubleValue();
    }
    return p.getDecimalValue();
  }

  // ---------------------------------------------------------------------------------------------
  // Rare path: the character-based tree parser (the pre-optimisation implementation).
}
