package io.tributary.eventsjob;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 64-bit fingerprint of a record's payload bytes, kept with each remembered {@code event_id} so
 * the dedup can tell an identical re-send (same bytes) from a different event reusing the id.
 *
 * <p>Contract: deterministic across JVMs and releases (fingerprints live in checkpoints and
 * savepoints, so never change this function); equal bytes give equal fingerprints; for different
 * bytes two fingerprints are equal with a probability of about 2<sup>-64</sup> (the dedup keeps
 * {@link SeenIds#FINGERPRINT_BITS} of them). Not cryptographic: a producer that wants to hide a
 * conflicting event can. Reads eight bytes per step (little-endian) with a multiply-xorshift mix.
 */
public final class PayloadFingerprint {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long M1 = 0x9E3779B97F4A7C15L;
  private static final long M2 = 0xBF58476D1CE4E5B9L;
  private static final long M3 = 0x94D049BB133111EBL;

  private PayloadFingerprint() {}

  /** The fingerprint of {@code bytes} (null counts as empty). */
  public static long of(byte[] bytes) {
    if (bytes == null) {
      return of(new byte[0]);
    }
    int n = bytes.length;
    long h = M1 ^ (n * M2);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long k = (long) LONGS.get(bytes, i);
      h = Long.rotateLeft(h ^ mix(k), 27) * M1 + M3;
    }
    long tail = 0;
    for (int s = 0; i < n; i++, s += 8) {
      tail |= (bytes[i] & 0xFFL) << s;
    }
    h ^= mix(tail ^ M2);
    return mix(h);
  }

  /** SplitMix64's finalizer: every input bit affects every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * M2;
    z = (z ^ (z >>> 27)) * M3;
    return z ^ (z >>> 31);
  }
}
