package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link EventIdScanner} against {@link WebEventParser}: whenever the parser accepts a payload, the
 * scan found exactly its id (up to case) or said it is unsure; whenever the scan says the id is
 * absent, the parser rejects the payload. Over valid events in many spellings, the malformed
 * corpus, every truncation of a payload and random byte damage.
 */
class EventIdScannerTest {
  private static final WebEventParser PARSER = new WebEventParser();
  private static final Instant CLOCK = Instant.parse("2026-11-20T12:00:00Z");

  private static String json(WebEvent e) {
    return new String(WebEventJson.toBytes(e), StandardCharsets.UTF_8);
  }

  /** Checks the contract for one payload; returns the scan's result. */
  private static long check(byte[] payload) {
    long r = EventIdScanner.scan(payload);
    ParseResult parsed = PARSER.parse(payload);
    if (parsed.isAccepted()) {
      assertThat(r).as("scan of an accepted payload: %s", text(payload)).isNotEqualTo(EventIdScanner.ABSENT);
      if (EventIdScanner.found(r)) {
        String id = new String(payload, EventIdScanner.offset(r), EventIdScanner.length(r), StandardCharsets.UTF_8);
        assertThat(id.toLowerCase(Locale.ROOT)).as("id of %s", text(payload)).isEqualTo(parsed.getEvent().getEventId());
      }
    }
    return r;
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void validEventsAreFoundWithoutAParse() {
    for (WebEvent e : new SessionSimulator(3, CLOCK).take(2000)) {
      long r = check(WebEventJson.toBytes(e));
      assertThat(EventIdScanner.found(r)).isTrue();
    }
  }

  @Test
  void otherSpellingsOfValidEvents() {
    List<WebEvent> events = new SessionSimulator(4, CLOCK).take(200);
    for (WebEvent e : events) {
      String j = json(e);
      String id = e.getEventId();
      String rest = j.substring(1, j.length() - 1).replace("\"event_id\":\"" + id + "\",", "").replace(",\"event_id\":\"" + id + "\"", "");
      // The id last, after nested values that hold "event_id" themselves.
      String last = "{" + rest + ",\"event_id\":\"" + id + "\"}";
      assertThat(EventIdScanner.found(check(bytes(last)))).as(last).isTrue();
      String decoy = "{\"x\":{\"event_id\":\"nope\",\"a\":[1,{\"b\":\"}\"}]},\"y\":\"event_id\"," + rest + ",\"event_id\":\"" + id + "\"}";
      assertThat(EventIdScanner.found(check(bytes(decoy)))).as(decoy).isTrue();
      // Upper case: found, keyed as its lower-case form by the job.
      assertThat(EventIdScanner.found(check(bytes(j.replace(id, id.toUpperCase(Locale.ROOT)))))).isTrue();
      // Whitespace everywhere JSON allows it.
      String spaced = " \n{ " + j.substring(1, j.length() - 1).replace("\":", "\" :\t").replace(",\"", " ,\r\n\"") + " } ";
      assertThat(EventIdScanner.found(check(bytes(spaced)))).as(spaced).isTrue();
      // Escapes: only a parse can tell.
      assertThat(check(bytes(j.replace("\"event_id\"", "\"event\\u005fid\"")))).isEqualTo(EventIdScanner.UNSURE);
      assertThat(check(bytes(j.replace(id, "\\u00" + Integer.toHexString(id.charAt(0)) + id.substring(1)))))
          .isEqualTo(EventIdScanner.UNSURE);
    }
  }

  @Test
  void recordsThatCannotBeEventsAreAbsent() {
    String j = json(new SessionSimulator(5, CLOCK).next());
    assertThat(EventIdScanner.scan(null)).isEqualTo(EventIdScanner.ABSENT);
    assertThat(check(new byte[0])).isEqualTo(EventIdScanner.ABSENT);
    assertThat(check(bytes("{}"))).isEqualTo(EventIdScanner.ABSENT);
    assertThat(check(bytes("[" + j + "]"))).isEqualTo(EventIdScanner.ABSENT);
    assertThat(check(bytes("\"" + j + "\""))).isEqualTo(EventIdScanner.ABSENT);
    assertThat(check(bytes(j.replaceFirst("\"event_id\":\"[^\"]*\",", "")))).isEqualTo(EventIdScanner.ABSENT);
    assertThat(check(bytes(j.substring(0, j.indexOf("\"event_id\""))))).isEqualTo(EventIdScanner.ABSENT);
  }

  @Test
  void theMalformedCorpus() {
    MalformedPayloads corpus = new MalformedPayloads(11);
    List<MalformedPayload> all = new ArrayList<>(corpus.oneOfEach());
    for (int i = 0; i < 3000; i++) {
      all.add(corpus.next());
    }
    for (MalformedPayload p : all) {
      check(p.getPayload());
    }
  }

  @Test
  void everyTruncationAndRandomDamage() {
    Random random = new Random(17);
    byte[] whole = WebEventJson.toBytes(new SessionSimulator(6, CLOCK).next());
    for (int cut = 0; cut <= whole.length; cut++) {
      check(java.util.Arrays.copyOf(whole, cut));
    }
    byte[] alphabet = bytes("{}[]\",:\\ \nau0-9e_");
    for (WebEvent e : new SessionSimulator(7, CLOCK).take(3000)) {
      byte[] p = WebEventJson.toBytes(e);
      int damage = 1 + random.nextInt(3);
      for (int k = 0; k < damage; k++) {
        p[random.nextInt(p.length)] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
      }
      check(p);
    }
  }
}
