package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code events.max-event-age} and {@code events.max-future-skew}: defaults, values, validation. */
class EventTimeOptionsTest {
  private static EventsJobConfig config(Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put("kinesis.stream", "web-events");
    p.put("kinesis.region", "eu-west-1");
    p.put("lake.path", "s3a://lake/silver/");
    p.putAll(extra);
    return EventsJobConfig.from(JobParameters.of(p), new Secrets(k -> null, Secrets.fixed(Map.of())), k -> null);
  }

  @Test
  void offByDefault() {
    EventTimePolicy policy = config(Map.of()).eventTimePolicy();
    assertThat(policy.maxAge()).isZero();
    assertThat(policy.maxFutureSkew()).isZero();
    assertThat(config(Map.of("events.max-event-age", "30 d", "events.max-future-skew", "1 d")).toString())
        .contains("maxEventAge=PT720H", "maxFutureSkew=PT24H");
  }

  @Test
  void readsValuesAndZeroDisables() {
    EventTimePolicy policy = config(Map.of("events.max-event-age", "7 d", "events.max-future-skew", "0 s")).eventTimePolicy();
    assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(policy.maxFutureSkew()).isZero();
  }

  @Test
  void rejectsMalformedValues() {
    assertThatThrownBy(() -> config(Map.of("events.max-event-age", "-1 d", "events.max-future-skew", "soon")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("events.max-event-age")
        .hasMessageContaining("events.max-future-skew");
  }
}
