package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/** The producers' duration syntax is the jobs' (Flink's): the same texts parse to the same durations. */
class DurationSyntaxTest {

  @Test
  void acceptsWhatFlinkAcceptsAndNothingElse() {
    List<String> texts = List.of("30s", "500ms", "500 ms", "10m", "10 min", "10 minutes", "2h", "2 hours", "1d",
        "3 days", "5secs", " 7 ", "0", "1 MIN", "1µs", "4 micros", "9ns", "12 nanoseconds", "1 milli", "3 millis",
        "1h30m", "10 mins", "-1s", "", "  ", "s", "1.5s", "1 week", "99999999999999999999", "9223372036854775807 d");
    for (String text : texts) {
      Duration flink = null;
      try {
        flink = TimeUtils.parseDuration(text);
      } catch (RuntimeException e) {
        // Flink refuses it: so must we.
      }
      if (flink == null) {
        assertThatThrownBy(() -> DurationSyntax.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
      } else {
        assertThat(DurationSyntax.parse(text)).as(text).isEqualTo(flink);
      }
    }
  }

  @Test
  void theMessageShowsTheForm() {
    assertThatThrownBy(() -> DurationSyntax.parse("soon"))
        .hasMessageContaining("'soon' is not a duration")
        .hasMessageContaining("30s");
  }
}
