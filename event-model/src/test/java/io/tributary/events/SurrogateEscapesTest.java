package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SurrogateEscapesTest {
  private static boolean mayHold(String text) {
    return SurrogateEscapes.mayHold(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsEscapedSurrogatesAtEveryOffsetAndCase() {
    for (String escape : new String[] {"\\ud800", "\\uDBFF", "\\udc00", "\\uDfFf", "\\ud83d\\ude00"}) {
      for (int pad = 0; pad < 20; pad++) {
        String text = "{\"k\":\"" + "x".repeat(pad) + escape + "\"}";
        assertThat(mayHold(text)).as(text).isTrue();
      }
    }
    assertThat(mayHold("\\ud800")).isTrue();
  }

  @Test
  void otherEscapesAndPlainTextAreNotFlagged() {
    assertThat(mayHold("")).isFalse();
    assertThat(mayHold("\\ud7ff \\ue000 \\u00e9 \\n \\\\ \\u0064800 \\ud")).isFalse();
    assertThat(mayHold("{\"a\":\"" + "y".repeat(100) + "\"}")).isFalse();
  }

  @Test
  void unpairedMeansNotHalfOfAPairInOrder() {
    assertThat(SurrogateEscapes.hasUnpaired("a\ud83d\ude00b")).isFalse();
    assertThat(SurrogateEscapes.hasUnpaired("\ud83d")).isTrue();
    assertThat(SurrogateEscapes.hasUnpaired("\ude00")).isTrue();
    assertThat(SurrogateEscapes.hasUnpaired("\ude00\ud83d")).isTrue();
    assertThat(SurrogateEscapes.hasUnpaired("\ud83d\ud83d\ude00")).isTrue();
    assertThat(SurrogateEscapes.hasUnpaired("plain")).isFalse();
  }
}
