package io.tributary.eventsjob;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The event ids one dedup subtask remembers for one key group: an open-addressing hash table
 * (linear probing) in a single {@code long[]}, three longs per slot: the id's 128 bits and a
 * packed {@code meta} word of {@value #FINGERPRINT_BITS} bits of payload fingerprint and a
 * {@value #BUCKET_BITS}-bit arrival-time bucket, plus one tag byte per slot in a {@code byte[]}
 * (0 for empty, else 7 bits of the id's hash): a probe reads the tags, 64 slots per cache line,
 * and touches a slot's 24 bytes only when its tag matches, so a lookup of a new id at a load of
 * 0.85 costs about one cache line instead of the ~20 slots linear probing walks. 25 bytes per slot
 * and no object per id: at the table's load of 0.68-0.85 that is 29-37 bytes of heap per id
 * (Flink's heap keyed state took 116 B). Not thread-safe; the operator's task thread owns it.
 *
 * <p>Buckets are stored modulo 2<sup>{@value #BUCKET_BITS}</sup> and compared by their signed
 * difference ({@link #age}): correct while every remembered id is less than 2<sup>23</sup>
 * buckets old, which the operator's sweep ensures (it keeps at most a few windows of buckets).
 */
final class SeenIds {
  static final int FINGERPRINT_BITS = 39;
  static final int BUCKET_BITS = 24;
  private static final long BUCKET_MASK = (1L << BUCKET_BITS) - 1;
  /** Set in every stored meta word, so 0 marks an empty slot whatever the id and fingerprint. */
  private static final long PRESENT = 1L << BUCKET_BITS;
  private static final int MIN_CAPACITY = 16;
  private static final double MAX_LOAD = 0.85;
  private static final int WRITE_BLOCK_IDS = 2730; // 64 KiB blocks
  private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  private long[] slots;
  /** Per slot: 0 when empty, else {@link #tag} of the id (high bit set). */
  private byte[] tags;
  private int capacity;
  private int size;
  private int growAt;

  SeenIds() {
    allocate(MIN_CAPACITY);
  }

  private void allocate(int newCapacity) {
    capacity = newCapacity;
    slots = new long[3 * newCapacity];
    tags = new byte[newCapacity];
    size = 0;
    growAt = (int) (newCapacity * MAX_LOAD);
  }

  /** The meta word of a fingerprint and a bucket (never 0). */
  static long meta(long fingerprint, long bucket) {
    return (fingerprint >>> (64 - FINGERPRINT_BITS)) << (BUCKET_BITS + 1) | PRESENT | (bucket & BUCKET_MASK);
  }

  /** Whether {@code meta} was made from this fingerprint (its kept bits). */
  static boolean sameFingerprint(long meta, long fingerprint) {
    return meta >>> (BUCKET_BITS + 1) == fingerprint >>> (64 - FINGERPRINT_BITS);
  }

  /** {@code bucket} minus the bucket stored in {@code meta}, in buckets (signed, sign-extended from 24 bits). */
  static long age(long bucket, long meta) {
    return ((bucket - meta) << (64 - BUCKET_BITS)) >> (64 - BUCKET_BITS);
  }

  int size() {
    return size;
  }

  /** Heap bytes of the table's slots and tags (what this structure holds per key group). */
  long slotBytes() {
    return 8L * slots.length + tags.length;
  }

  /**
   * The slot holding this id ({@code >= 0}), or {@code -(free slot) - 1} where {@link #insert}
   * puts it. The free slot is valid until the next insert or sweep.
   */
  int find(long high, long low) {
    long z = mix(high, low);
    int i = index(z);
    byte tag = tag(z);
    byte[] t = tags;
    long[] s = slots;
    while (true) {
      byte at = t[i];
      if (at == 0) {
        return -i - 1;
      }
      if (at == tag && s[3 * i] == high && s[3 * i + 1] == low) {
        return i;
      }
      i = next(i);
    }
  }

  long metaAt(int slot) {
    return slots[3 * slot + 2];
  }

  void setMetaAt(int slot, long meta) {
    slots[3 * slot + 2] = meta;
  }

  /** Puts an id at the free slot {@code find} returned (as {@code -slot - 1}). */
  void insert(int freeSlot, long high, long low, long meta) {
    int at = 3 * freeSlot;
    slots[at] = high;
    slots[at + 1] = low;
    slots[at + 2] = meta;
    tags[freeSlot] = tag(mix(high, low));
    if (++size > growAt) {
      // Grow by a quarter (not double): the table stays 68-85% full, keeping the heap per id
      // at 29-37 bytes; the extra rehashing is sequential and cheap next to the probes.
      rehash(grown(capacity), Long.MAX_VALUE, 0);
    }
  }

  /** Adds an id not yet in the table. */
  void add(long high, long low, long meta) {
    int slot = find(high, low);
    if (slot >= 0) {
      setMetaAt(slot, meta);
    } else {
      insert(-slot - 1, high, low, meta);
    }
  }

  /**
   * Forgets every id whose bucket is more than {@code maxAge} buckets before {@code clock}. In
   * place (backward-shift deletion, one sequential pass), so a sweep of a full table reads it once
   * instead of re-inserting every id that stays; the table is rebuilt only to shrink it when
   * mostly empty.
   */
  void sweep(long clock, long maxAge) {
    if (size == 0) {
      return;
    }
    // Start after an empty slot: no run of occupied slots then wraps around the pass, and the
    // entries a deletion moves back all come from later in the pass.
    int empty = 0;
    while (tags[empty] != 0) {
      empty++;
    }
    int i = next(empty);
    for (int scanned = 0; scanned < capacity; ) {
      if (tags[i] != 0 && age(clock, slots[3 * i + 2]) > maxAge) {
        deleteAt(i); // slot i may now hold a later entry of its run: look at it again
      } else {
        i = next(i);
        scanned++;
      }
    }
    int newCapacity = capacity;
    while (newCapacity > MIN_CAPACITY && size < newCapacity / 4) {
      newCapacity /= 2;
    }
    if (newCapacity != capacity) {
      rehash(newCapacity, Long.MAX_VALUE, 0);
    }
  }

  /** What {@link #sweep} did before it swept in place: a rebuild without the expired ids (for the benchmark). */
  void sweepByRebuild(long clock, long maxAge) {
    rehash(capacity, clock, maxAge);
  }

  /** Removes the id in {@code slot}, moving later entries of its run back so lookups still find them. */
  private void deleteAt(int slot) {
    int hole = slot;
    for (int j = next(slot); tags[j] != 0; j = next(j)) {
      int home = index(mix(slots[3 * j], slots[3 * j + 1]));
      // The entry at j may fill the hole unless its home slot lies cyclically in (hole, j].
      boolean homeAfterHole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!homeAfterHole) {
        System.arraycopy(slots, 3 * j, slots, 3 * hole, 3);
        tags[hole] = tags[j];
        hole = j;
      }
    }
    slots[3 * hole] = 0;
    slots[3 * hole + 1] = 0;
    slots[3 * hole + 2] = 0;
    tags[hole] = 0;
    size--;
  }

  private int next(int slot) {
    return slot + 1 == capacity ? 0 : slot + 1;
  }

  private static int grown(int capacity) {
    return capacity + Math.max(MIN_CAPACITY, capacity / 4);
  }

  private void rehash(int newCapacity, long clock, long maxAge) {
    long[] old = slots;
    allocate(newCapacity);
    for (int at = 0; at < old.length; at += 3) {
      long meta = old[at + 2];
      if (meta != 0 && (clock == Long.MAX_VALUE || age(clock, meta) <= maxAge)) {
        long z = mix(old[at], old[at + 1]);
        int i = index(z);
        while (tags[i] != 0) {
          i = next(i);
        }
        slots[3 * i] = old[at];
        slots[3 * i + 1] = old[at + 1];
        slots[3 * i + 2] = meta;
        tags[i] = tag(z);
        size++;
      }
    }
    if (size > growAt) {
      rehash(grown(capacity), Long.MAX_VALUE, 0);
    }
  }

  /** An id's bits mixed (ids of one key group share hash bits). */
  private static long mix(long high, long low) {
    long z = high * 0x9E3779B97F4A7C15L ^ low;
    z = (z ^ (z >>> 32)) * 0xD6E8FEB86659FD93L;
    return z ^ (z >>> 32);
  }

  /** Start slot of an id: the low 32 bits of its mix, mapped onto the capacity. */
  private int index(long z) {
    return (int) (((z & 0xFFFFFFFFL) * capacity) >>> 32);
  }

  /** An id's tag: 7 bits of its mix the start slot does not use, with the high bit set (never 0). */
  private static byte tag(long z) {
    return (byte) (0x80 | (z >>> 57));
  }

  /**
   * Writes the ids: a count, then {@code (high, low, meta)} per id, big-endian (as {@link
   * DataOutputView#writeLong} would). Copied into a buffer and written in blocks: a checkpoint
   * copies every id, and a call per long cost more than the copy.
   */
  void write(DataOutputView out) throws IOException {
    out.writeInt(size);
    byte[] buffer = new byte[Math.min(WRITE_BLOCK_IDS, Math.max(1, size)) * 24]; // small tables, small buffers
    int used = 0;
    for (int at = 0; at < slots.length; at += 3) {
      if (slots[at + 2] != 0) {
        BIG_ENDIAN_LONGS.set(buffer, used, slots[at]);
        BIG_ENDIAN_LONGS.set(buffer, used + 8, slots[at + 1]);
        BIG_ENDIAN_LONGS.set(buffer, used + 16, slots[at + 2]);
        used += 24;
        if (used == buffer.length) {
          out.write(buffer, 0, used);
          used = 0;
        }
      }
    }
    out.write(buffer, 0, used);
  }

  /** Reads what {@link #write} wrote, adding each id with its meta mapped by {@code remap}. */
  void read(DataInputView in, java.util.function.LongUnaryOperator remap) throws IOException {
    int n = in.readInt();
    for (int k = 0; k < n; k++) {
      long high = in.readLong();
      long low = in.readLong();
      add(high, low, remap.applyAsLong(in.readLong()));
    }
  }
}
