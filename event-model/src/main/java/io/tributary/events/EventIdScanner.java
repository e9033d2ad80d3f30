package io.tributary.events;

/**
 * Finds a payload's top-level {@code event_id} without parsing it: a single pass over the bytes
 * that reads the top-level object's keys and skips their values, stopping at the id. It lets the
 * events job route a record by its id before the (much dearer) parse, which then runs where the
 * id's state lives.
 *
 * <p>Contract, for any byte array (never throws):
 *
 * <ul>
 *   <li>{@link #found} results: the bytes at {@link #offset}/{@link #length} are the value of a
 *       top-level {@code "event_id"} key, a JSON string without escapes. If {@link WebEventParser}
 *       accepts the payload, its event id is exactly these bytes as text (before the contract's
 *       lower-casing).
 *   <li>{@link #ABSENT}: {@link WebEventParser} rejects the payload, whatever the rest holds (it is
 *       not a JSON object, is cut off, or its top-level object has no {@code event_id} key).
 *   <li>{@link #UNSURE}: anything else (an escape in a top-level key or in the id, an unexpected
 *       byte): only a full parse can tell.
 * </ul>
 *
 * <p>The scan is conservative: where it cannot be sure it says {@link #UNSURE}, so correctness
 * never rests on it reading malformed JSON the way the parser does. {@code EventIdScannerTest}
 * checks the contract against the parser on the malformed-payload corpus.
 */
public final class EventIdScanner {
  /** The payload cannot be an accepted event. */
  public static final long ABSENT = -1;
  /** Only a full parse can tell the id. */
  public static final long UNSURE = -2;

  private static final byte[] EVENT_ID = {'e', 'v', 'e', 'n', 't', '_', 'i', 'd'};

  private EventIdScanner() {}

  /** True if {@code result} locates an id. */
  public static boolean found(long result) {
    return result >= 0;
  }

  /** Start of the id's bytes in the payload, for a {@link #found} result. */
  public static int offset(long result) {
    return (int) (result >>> 32);
  }

  /** Length of the id's bytes, for a {@link #found} result. */
  public static int length(long result) {
    return (int) result;
  }

  /**
   * Scans {@code payload} (null: {@link #ABSENT}).
   *
   * @return a {@link #found} position ({@code offset << 32 | length}), {@link #ABSENT} or {@link #UNSURE}
   */
  public static long scan(byte[] payload) {
    if (payload == null) {
      return ABSENT;
    }
    int n = payload.length;
    int i = skipWhitespace(payload, 0);
    if (i == n || payload[i] != '{') {
      // Not an object (the parser requires one), or a byte order mark / other text before it.
      return i < n && (payload[i] & 0x80) != 0 ? UNSURE : ABSENT;
    }
    boolean escapedKey = false;
    i = skipWhitespace(payload, i + 1);
    if (i < n && payload[i] == '}') {
      return ABSENT; // {}
    }
    while (true) {
      // A key.
      if (i == n) {
        return ABSENT; // cut off
      }
      if (payload[i] != '"') {
        return UNSURE;
      }
      int keyStart = i + 1;
      int keyEnd = stringEnd(payload, keyStart);
      if (keyEnd < 0) {
        return keyEnd == -1 ? ABSENT : UNSURE;
      }
      boolean escaped = hasBackslash(payload, keyStart, keyEnd);
      escapedKey |= escaped;
      boolean isId = !escaped && equalsEventId(payload, keyStart, keyEnd);
      i = skipWhitespace(payload, keyEnd + 1);
      if (i == n) {
        return ABSENT;
      }
      if (payload[i] != ':') {
        return UNSURE;
      }
      i = skipWhitespace(payload, i + 1);
      if (i == n) {
        return ABSENT;
      }
      if (isId) {
        if (payload[i] != '"') {
          return UNSURE; // not a string: the parser says why
        }
        int idEnd = stringEnd(payload, i + 1);
        if (idEnd < 0 || hasBackslash(payload, i + 1, idEnd)) {
          return idEnd == -1 ? ABSENT : UNSURE;
        }
        return ((long) (i + 1) << 32) | (idEnd - i - 1);
      }
      i = skipValue(payload, i);
      if (i < 0) {
        return i == -1 ? ABSENT : UNSURE;
      }
      i = skipWhitespace(payload, i);
      if (i == n) {
        return ABSENT;
      }
      if (payload[i] == '}') {
        return escapedKey ? UNSURE : ABSENT; // the whole object read: no event_id key
      }
      if (payload[i] != ',') {
        return UNSURE;
      }
      i = skipWhitespace(payload, i + 1);
    }
  }

  /** Index after a value starting at {@code i}; -1 if the input ends first, -2 if unsure. */
  private static int skipValue(byte[] b, int i) {
    int n = b.length;
    byte c = b[i];
    if (c == '"') {
      int end = stringEnd(b, i + 1);
      return end < 0 ? end : end + 1;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (i < n) {
        c = b[i];
        if (c == '"') {
          int end = stringEnd(b, i + 1);
          if (end < 0) {
            return end;
          }
          i = end + 1;
          continue;
        }
        if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
          if (depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
      return -1;
    }
    // A scalar: up to the next structural byte or whitespace.
    int start = i;
    while (i < n) {
      c = b[i];
      if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        return i == start ? -2 : i;
      }
      if (c == '"' || c == '{' || c == '[' || c == ':') {
        return -2;
      }
      i++;
    }
    return -1;
  }

  /** Index of the closing quote of a string whose content starts at {@code i}; -1 if the input ends first. */
  private static int stringEnd(byte[] b, int i) {
    int n = b.length;
    while (i < n) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      i += c == '\\' ? 2 : 1;
    }
    return -1;
  }

  private static boolean hasBackslash(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\\') {
        return true;
      }
    }
    return false;
  }

  private static boolean equalsEventId(byte[] b, int from, int to) {
    if (to - from != EVENT_ID.length) {
      return false;
    }
    for (int k = 0; k < EVENT_ID.length; k++) {
      if (b[from + k] != EVENT_ID[k]) {
        return false;
      }
    }
    return true;
  }

  private static int skipWhitespace(byte[] b, int i) {
    int n = b.length;
    while (i < n) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
      i++;
    }
    return n;
  }
}
