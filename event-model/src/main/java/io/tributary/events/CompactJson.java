package io.tributary.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Compact JSON text written straight from a streaming {@link JsonParser}: keys in input order, no
 * insignificant whitespace, strings with Jackson's default escaping, and numbers exactly as written
 * ({@code 1e400} stays {@code 1e400}, {@code -0.0} stays {@code -0.0}: JSON kept as text never
 * changes a value). {@code WebEventParserEquivalenceTest} checks it against an independent
 * implementation on Jackson's generator. Stateless.
 */
final class CompactJson {
  private CompactJson() {}

  /**
   * Appends the value starting at the current token {@code t} to {@code out} as compact JSON (or
   * only reads it when {@code out} is null). A hand-written writer because creating a Jackson
   * generator per event cost more than the parse itself.
   *
   * @param checkSurrogates whether to look for unpaired surrogates in keys and strings (see {@link
   *     SurrogateEscapes#mayHold})
   * @return whether a key or string holds an unpaired surrogate (always false unchecked)
   */
  static boolean copy(JsonParser p, JsonToken t, StringBuilder out, boolean checkSurrogates) throws IOException {
    boolean unpaired = false;
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
          if (checkSurrogates && !unpaired) {
            unpaired = SurrogateEscapes.hasUnpaired(p.currentName());
          }
          if (out != null) {
            fieldName(out, p.currentName());
          }
          break;
        case VALUE_STRING:
          if (checkSurrogates && !unpaired) {
            unpaired = SurrogateEscapes.hasUnpaired(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
          if (out != null) {
            quoted(comma(out), p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
          break;
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          if (out != null) {
            // The token's text is the number as written: Jackson's strict parser accepts only JSON
            // number syntax, so it is valid JSON as it stands.
            comma(out).append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
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
        return unpaired;
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
}
