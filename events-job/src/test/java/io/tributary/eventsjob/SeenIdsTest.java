package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SeenIds} against a plain map, through inserts, updates, growth, sweeps that expire and
 * shrink, and ids that share hash bits: every id is found with its meta word exactly while the
 * model holds it, and never after.
 */
class SeenIdsTest {

  @Test
  void behavesLikeAMapThroughGrowthAndSweeps() {
    Random random = new Random(7);
    SeenIds table = new SeenIds();
    Map<List<Long>, Long> model = new HashMap<>();
    List<List<Long>> known = new ArrayList<>();
    long clock = 0;
    for (int step = 0; step < 200_000; step++) {
      if (step % 5_000 == 4_999) {
        clock += 3;
        long maxAge = 4;
        table.sweep(clock, maxAge);
        long c = clock;
        model.values().removeIf(meta -> SeenIds.age(c, meta) > maxAge);
        assertThat(table.size()).isEqualTo(model.size());
        continue;
      }
      List<Long> id;
      if (!known.isEmpty() && random.nextInt(4) == 0) {
        id = known.get(random.nextInt(known.size())); // seen before (maybe expired since)
      } else {
        // Every fourth id shares its high word with others (ids of one key group share hash bits).
        long high = random.nextInt(4) == 0 ? 0x1234L : random.nextLong();
        id = List.of(high, random.nextLong());
        known.add(id);
      }
      long meta = SeenIds.meta(random.nextLong(), clock + random.nextInt(3));
      int slot = table.find(id.get(0), id.get(1));
      Long expected = model.get(id);
      assertThat(slot >= 0).as("found %s", id).isEqualTo(expected != null);
      if (slot >= 0) {
        assertThat(table.metaAt(slot)).isEqualTo(expected);
        table.setMetaAt(slot, meta);
      } else {
        table.insert(-slot - 1, id.get(0), id.get(1), meta);
      }
      model.put(id, meta);
      assertThat(table.size()).isEqualTo(model.size());
    }
    for (List<Long> id : known) {
      int slot = table.find(id.get(0), id.get(1));
      assertThat(slot >= 0).as("found %s at the end", id).isEqualTo(model.containsKey(id));
      if (slot >= 0) {
        assertThat(table.metaAt(slot)).isEqualTo(model.get(id));
      }
    }
  }
}
