package io.tributary.producers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Named live counters, written by the producer thread and read by any thread. The counter names
 * are fixed at construction (their order is the display order).
 */
final class Counters {

  private final Map<String, AtomicLong> counters = new LinkedHashMap<>();

  Counters(String... names) {
    for (String name : names) {
      counters.put(name, new AtomicLong());
    }
  }

  void add(String name, long delta) {
    AtomicLong c = counters.get(name);
    if (c == null) {
      throw new IllegalArgumentException("unknown counter " + name);
    }
    c.addAndGet(delta);
  }

  void increment(String name) {
    add(name, 1);
  }

  long get(String name) {
    return counters.get(name).get();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
