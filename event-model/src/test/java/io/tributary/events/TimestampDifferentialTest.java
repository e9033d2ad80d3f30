package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The timestamp fast path ({@link WebEventContract#parseCommonTimestamp}) against the JDK formatter
 * ({@code OffsetDateTime.parse(text, ISO_OFFSET_DATE_TIME).toInstant()}), and the full {@link
 * WebEventContract#parseTimestamp} against the pre-optimisation formatter-only rule.
 */
class TimestampDifferentialTest {

  private static final String[] YEARS = {
    "0000", "0001", "0004", "0100", "0400", "1582", "1900", "1969", "1970", "1999", "2000", "2023",
    "2024", "2026", "2100", "2400", "9999", "+2026", "-0001", "20260", "202", "10000", "+10000",
  };

  private static String two(SplittableRandom r, int max) {
    int v = r.nextInt(max + 1);
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  private static String year(SplittableRandom r) {
    if (r.nextInt(3) == 0) {
      return String.format("%04d", r.nextInt(10_000));
    }
    return YEARS[r.nextInt(YEARS.length)];
  }

  /** A timestamp-like string: mostly well-formed, often subtly not. */
  static String randomTimestamp(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    boolean edge = r.nextInt(3) == 0;
    sb.append(year(r)).append('-');
    sb.append(edge ? two(r, 13) : two(r, 11).replace("00", "12")).append('-');
    if (r.nextInt(6) == 0) {
      sb.setLength(sb.length() - 3);
      sb.append("-02-").append(r.nextBoolean() ? "29" : two(r, 31));
    } else {
      sb.append(edge ? two(r, 32) : two(r, 27).replace("00", "28"));
    }
    sb.append(pick(r, "T", "T", "T", "t", " ", "", "TT"));
    sb.append(edge ? two(r, 25) : two(r, 23)).append(':');
    sb.append(edge ? two(r, 60) : two(r, 59));
    int secs = r.nextInt(10);
    if (secs > 0) {
      sb.append(':').append(edge ? two(r, 61) : two(r, 59));
      int frac = r.nextInt(13);
      if (frac > 0 && frac <= 11) {
        sb.append(r.nextInt(20) == 0 ? "," : ".");
        for (int i = 0; i < frac - 1; i++) {
          sb.append((char) ('0' + r.nextInt(10)));
        }
      }
    }
    switch (r.nextInt(12)) {
      case 0:
      case 1:
      case 2:
        sb.append('Z');
        break;
      case 3:
        sb.append('z');
        break;
      case 4:
        break; // no zone
      case 5:
        sb.append(pick(r, "+18:00", "-18:00", "+18:01", "+19:00", "-00:00", "+00:00", "+0200",
            "+02", "+2:00", "+02:00:00", "+02:00:30", "-05:30:60", "+02:60", "UTC", "Z[UTC]", "+02:00Z",
            "GMT", "+24:00"));
        break;
      default:
        sb.append(r.nextBoolean() ? '+' : '-').append(two(r, edge ? 19 : 14)).append(':')
            .append(edge ? two(r, 60) : pick(r, "00", "30", "45", "15"));
        break;
    }
    if (r.nextInt(50) == 0) {
      sb.append(pick(r, " ", "x", "\n"));
    }
    if (r.nextInt(50) == 0) {
      sb.insert(0, ' ');
    }
    return sb.toString();
  }

  private static String pick(SplittableRandom r, String... a) {
    return a[r.nextInt(a.length)];
  }

  private static Instant viaFormatter(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Object outcome(java.util.function.Function<String, Instant> f, String text) {
    try {
      return f.apply(text);
    } catch (ContractViolation v) {
      return v.toRejection();
    }
  }

  @Test
  void fastPathAgreesWithTheFormatter() {
    SplittableRandom r = new SplittableRandom(1);
    int fastHits = 0;
    int formatterAccepts = 0;
    for (int i = 0; i < 300_000; i++) {
      String text = randomTimestamp(r);
      Instant expected = viaFormatter(text);
      Instant fast = WebEventContract.parseCommonTimestamp(text);
      if (fast != null) {
        fastHits++;
        assertThat(fast).as(text).isEqualTo(expected);
      }
      if (expected != null) {
        formatterAccepts++;
      }
      assertThat(outcome(WebEventContract::parseTimestamp, text))
          .as(text)
          .isEqualTo(outcome(ReferenceWebEventParser::parseTimestampWithFormatter, text));
    }
    // The fast path must handle the bulk of what the formatter accepts, else it is pointless.
    assertThat(fastHits).isGreaterThan(formatterAccepts / 2);
  }

  @Test
  void everyInstantOfTheSerializerTakesTheFastPath() {
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < 100_000; i++) {
      long sec = r.nextLong(-62135596800L, 253402300799L + 1);
      int nanos = r.nextInt(4) == 0 ? 0 : r.nextInt(1_000_000_000);
      if (r.nextBoolean()) {
        nanos = nanos / 1_000_000 * 1_000_000;
      }
      Instant t = Instant.ofEpochSecond(sec, nanos);
      String text = DateTimeFormatter.ISO_INSTANT.format(t);
      assertThat(WebEventContract.parseCommonTimestamp(text)).as(text).isEqualTo(t);
      assertThat(WebEventContract.parseTimestamp(text)).as(text).isEqualTo(t);
    }
  }

  @Test
  void exhaustiveDatesOfALeapAndNonLeapYearAndCenturies() {
    for (String y : new String[] {"0000", "0001", "1900", "2000", "2023", "2024", "2100", "9999"}) {
      for (int m = 0; m <= 13; m++) {
        for (int d = 0; d <= 32; d++) {
          for (String time : new String[] {"T00:00:00Z", "t23:59:59.999999999z", "T24:00:00Z",
              "T23:59:60Z", "T12:30:00-17:59", "T12:30:00+18:00", "T00:00:00.5+01:00"}) {
            String text = String.format("%s-%02d-%02d%s", y, m, d, time);
            Instant fast = WebEventContract.parseCommonTimestamp(text);
            if (fast != null) {
              assertThat(fast).as(text).isEqualTo(viaFormatter(text));
            }
            assertThat(outcome(WebEventContract::parseTimestamp, text))
                .as(text)
                .isEqualTo(outcome(ReferenceWebEventParser::parseTimestampWithFormatter, text));
          }
        }
      }
    }
  }
}
