package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionSimulatorTest {

  private static final Instant START = Instant.parse("2026-11-22T08:00:00Z");
  private static final int N = 10_000;

  @Test
  void sameSeedGivesSameEvents() {
    assertThat(new SessionSimulator(42, START).take(N)).isEqualTo(new SessionSimulator(42, START).take(N));
  }

  @Test
  void differentSeedGivesDifferentEvents() {
    List<WebEvent> a = new SessionSimulator(42, START).take(1000);
    List<WebEvent> b = new SessionSimulator(43, START).take(1000);
    assertThat(a).isNotEqualTo(b);
    Set<String> ids = new HashSet<>();
    a.forEach(e -> ids.add(e.getEventId()));
    b.forEach(e -> assertThat(ids).doesNotContain(e.getEventId()));
  }

  @Test
  void everyEventPassesTheParserAndRoundTrips() {
    WebEventParser parser = new WebEventParser();
    SessionSimulator sim = new SessionSimulator(1, START);
    for (int i = 0; i < N; i++) {
      WebEvent e = sim.next();
      ParseResult r = parser.parse(WebEventJson.toBytes(e));
      assertThat(r.isAccepted()).as("%s", r).isTrue();
      assertThat(r.getEvent()).isEqualTo(e);
    }
  }

  @Test
  void realisticInvariants() {
    List<WebEvent> events = new SessionSimulator(2, START).take(N);
    Map<String, Instant> lastTimeBySession = new HashMap<>();
    Map<String, EventType> lastTypeBySession = new HashMap<>();
    Set<String> eventIds = new HashSet<>();
    Set<String> orderIds = new HashSet<>();
    Set<String> sessions = new HashSet<>();
    Set<Device> devices = new HashSet<>();
    Set<String> countries = new HashSet<>();
    Set<EventType> types = new HashSet<>();
    int anonymous = 0;
    int purchases = 0;
    int directLandings = 0;
    int landings = 0;
    for (WebEvent e : events) {
      assertThat(eventIds.add(e.getEventId())).as("unique event_id").isTrue();
      assertThat(e.getSessionId()).isNotNull();
      assertThat(e.getEventTimestamp()).isAfterOrEqualTo(START);
      types.add(e.getEventType());
      devices.add(e.getDevice());
      countries.add(e.getCountry());
      if (e.getUserId() == null) {
        anonymous++;
      }
      Instant last = lastTimeBySession.put(e.getSessionId(), e.getEventTimestamp());
      if (last == null) {
        assertThat(sessions.add(e.getSessionId())).as("sessions are not split").isTrue();
        assertThat(e.getEventType()).as("session starts with a landing page view").isEqualTo(EventType.PAGE_VIEW);
        landings++;
        if (e.getReferrer() == null) {
          directLandings++;
        }
      } else {
        assertThat(e.getEventTimestamp()).as("non-decreasing within session").isAfterOrEqualTo(last);
      }
      if (e.getEventType() == EventType.PURCHASE) {
        purchases++;
        assertThat(e.getOrderId()).isNotNull();
        assertThat(orderIds.add(e.getOrderId())).as("unique order_id").isTrue();
        assertThat(lastTypeBySession.get(e.getSessionId())).isEqualTo(EventType.CHECKOUT);
        assertThat(e.getProperties()).contains("\"order_total\":");
      } else {
        assertThat(e.getOrderId()).isNull();
      }
      if (e.getEventType() == EventType.ADD_TO_CART) {
        assertThat(e.getProperties()).contains("\"product_id\":").contains("\"price\":");
      }
      lastTypeBySession.put(e.getSessionId(), e.getEventType());
    }
    assertThat(types).containsExactlyInAnyOrder(EventType.values());
    assertThat(devices).contains(Device.DESKTOP, Device.MOBILE, Device.TABLET);
    assertThat(countries.size()).isGreaterThan(5);
    assertThat(anonymous).isBetween(N / 10, N / 2);
    assertThat(purchases).isBetween(landings / 50, landings / 3);
    assertThat(directLandings).isBetween(landings / 10, landings / 2);
    assertThat(landings).isGreaterThan(500);
  }

  @Test
  void endlessIterator() {
    SessionSimulator sim = new SessionSimulator(3, START);
    assertThat(sim.hasNext()).isTrue();
    sim.take(100);
    assertThat(sim.hasNext()).isTrue();
    assertThat(sim.sessionsStarted()).isPositive();
  }
}
