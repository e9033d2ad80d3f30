package io.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.events.ParseResult;
import io.tributary.events.RejectReason;
import io.tributary.events.WebEventParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {

  private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

  @Test
  void recordsFollowTheContractAndTheRates() {
    EventGenerator generator = new EventGenerator(9, START, 0.05, 0.02);
    WebEventParser parser = new WebEventParser();
    int n = 6_000;
    int malformed = 0;
    int duplicates = 0;
    Set<String> eventIds = new HashSet<>();
    Set<RejectReason> reasons = EnumSet.noneOf(RejectReason.class);
    for (int i = 0; i < n; i++) {
      EventGenerator.Record r = generator.next();
      ParseResult parsed = parser.parse(r.data());
      switch (r.kind()) {
        case VALID:
          assertThat(parsed.isAccepted()).as(r.toString()).isTrue();
          assertThat(r.partitionKey()).isEqualTo(parsed.getEvent().getSessionId());
          assertThat(eventIds.add(parsed.getEvent().getEventId())).isTrue();
          break;
        case DUPLICATE:
          duplicates++;
          assertThat(parsed.isAccepted()).isTrue();
          assertThat(eventIds).contains(parsed.getEvent().getEventId());
          assertThat(r.partitionKey()).isEqualTo(parsed.getEvent().getSessionId());
          break;
        default:
          malformed++;
          assertThat(parsed.isAccepted()).as(r.toString()).isFalse();
          reasons.add(parsed.getRejection().getReason());
          assertThat(r.size()).isLessThan(1024 * 1024);
      }
    }
    assertThat(malformed / (double) n).isCloseTo(0.05, within(0.012));
    assertThat(duplicates / (double) n).isCloseTo(0.02, within(0.008));
    // Over 300 malformed records cover every rejection reason of the parser, including oversized
    // payloads (the event-time reasons are the job's policy, not a property of the payload).
    Set<RejectReason> parserReasons = EnumSet.noneOf(RejectReason.class);
    for (RejectReason reason : RejectReason.values()) {
      if (reason.isParserReason()) {
        parserReasons.add(reason);
      }
    }
    assertThat(reasons).isEqualTo(parserReasons);
  }

  @Test
  void sameSeedSameRecords() {
    List<byte[]> a = take(new EventGenerator(1, START, 0.1, 0.1), 500);
    List<byte[]> b = take(new EventGenerator(1, START, 0.1, 0.1), 500);
    List<byte[]> c = take(new EventGenerator(2, START, 0.1, 0.1), 500);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).isEqualTo(b.get(i));
    }
    assertThat(a.get(0)).isNotEqualTo(c.get(0));
  }

  @Test
  void noBadRecordsByDefault() {
    EventGenerator generator = new EventGenerator(3, START, 0, 0);
    for (int i = 0; i < 1000; i++) {
      assertThat(generator.next().kind()).isEqualTo(EventGenerator.Kind.VALID);
    }
  }

  private static List<byte[]> take(EventGenerator g, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(g.next().data());
    }
    return out;
  }
}
