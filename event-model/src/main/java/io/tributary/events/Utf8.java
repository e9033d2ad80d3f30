package io.tributary.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** UTF-8 validity without decoding and without the decoder's exceptions. */
public final class Utf8 {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Utf8() {}

  /** Whether every byte is below 0x80: then each byte is one char, whatever the decoder. */
  public static boolean isAscii(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    for (; i + Long.BYTES <= n; i += Long.BYTES) {
      if (((long) LONGS.get(bytes, i) & 0x8080808080808080L) != 0) {
        return false;
      }
    }
    for (; i < n; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code bytes} is well-formed UTF-8 (RFC 3629): what a strict decoder accepts, so no
   * overlong forms, no surrogates (U+D800-DFFF) and nothing above U+10FFFF.
   */
  public static boolean isValid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      // Eight ASCII bytes at a time: payloads are mostly ASCII and can be 64 KiB long.
      while (i + Long.BYTES <= n && ((long) LONGS.get(bytes, i) & 0x8080808080808080L) == 0) {
        i += Long.BYTES;
      }
      if (i >= n) {
        break;
      }
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int length;
      int min2 = 0x80; // allowed range of the second byte
      int max2 = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        length = 2;
      } else if (b >= 0xE0 && b <= 0xEF) {
        length = 3;
        if (b == 0xE0) {
          min2 = 0xA0; // overlong
        } else if (b == 0xED) {
          max2 = 0x9F; // surrogates
        }
      } else if (b >= 0xF0 && b <= 0xF4) {
        length = 4;
        if (b == 0xF0) {
          min2 = 0x90; // overlong
        } else if (b == 0xF4) {
          max2 = 0x8F; // above U+10FFFF
        }
      } else {
        return false; // continuation byte, C0/C1 or F5-FF as a lead byte
      }
      if (i + length > n) {
        return false;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < min2 || second > max2) {
        return false;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }
}
