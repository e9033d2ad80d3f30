package io.tributary.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds unpaired UTF-16 surrogates that JSON escapes put into decoded strings. Strict UTF-8
 * validation rules out raw surrogates, so an unpaired one can only come from an escape such as
 * {@code \\ud800}; {@link #mayHold} finds payloads without any such escape in one pass over the
 * bytes, and only the others need their strings checked.
 */
final class SurrogateEscapes {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

  private SurrogateEscapes() {}

  /**
   * Whether {@code payload} holds the text of an escaped surrogate ({@code \\uD800} to {@code
   * \\uDFFF}, any case). False means no decoded string of it can hold an unpaired surrogate; true
   * may be a false alarm (an escaped backslash followed by such text).
   */
  static boolean mayHold(byte[] payload) {
    int n = payload.length;
    int i = 0;
    // Most payloads hold no backslash at all: skip eight bytes at a time while none is among them
    // (the classic "has zero byte" test on the bytes XOR '\\').
    for (; i + Long.BYTES <= n; i += Long.BYTES) {
      long x = (long) LONGS.get(payload, i) ^ BACKSLASHES;
      if (((x - ONES) & ~x & HIGHS) != 0) {
        break;
      }
    }
    for (; i + 3 < n; i++) {
      if (payload[i] == '\\' && payload[i + 1] == 'u' && (payload[i + 2] | 0x20) == 'd' && isHex89AF(payload[i + 3])) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHex89AF(byte b) {
    return b == '8' || b == '9' || (b | 0x20) >= 'a' && (b | 0x20) <= 'f';
  }

  /** Whether {@code chars[off, off + len)} holds a surrogate that is not half of a valid pair. */
  static boolean hasUnpaired(char[] chars, int off, int len) {
    int end = off + len;
    for (int i = off; i < end; i++) {
      char c = chars[i];
      if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
        i++;
        continue;
      }
      return true;
    }
    return false;
  }

  static boolean hasUnpaired(String s) {
    return hasUnpaired(s.toCharArray(), 0, s.length());
  }
}
