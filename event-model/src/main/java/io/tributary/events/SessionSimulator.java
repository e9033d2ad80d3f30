package io.tributary.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic generator of realistic browsing sessions on a small web shop.
 *
 * <p>Contract: the sequence of events is a pure function of the seed and the clock start (same
 * seed and start, same events, on every JVM); {@link #next()} never ends. Every generated event is
 * a valid {@link WebEvent} of contract version 1.
 *
 * <p>Shape of the traffic:
 *
 * <ul>
 *   <li>sessions follow each other; each session has a fresh {@code session_id} (UUID) and belongs
 *       to one user from a fixed pool, or is anonymous ({@code user_id} null) about 35% of the time;
 *       an anonymous session that signs up or logs in carries the user id from then on;</li>
 *   <li>a session starts with a landing {@code page_view} whose referrer is a search engine, a
 *       social network, a newsletter, or null (direct); it continues with page views, pings,
 *       clicks and searches; items may be added to and removed from the cart; a fraction of
 *       sessions with a non-empty cart check out, and most of those purchase, with an {@code
 *       order_id};</li>
 *   <li>{@code event_timestamp} never decreases within a session (steps of 0.2 s to 60 s with
 *       microsecond jitter); the next session starts 0 to 20 s after the previous one started, so
 *       sessions overlap in time like real traffic although they are emitted one after another;</li>
 *   <li>device, user agent and country follow a fixed mix per user; {@code properties} carry the
 *       product catalogue ({@code product_id}, {@code category}, {@code price}), search queries,
 *       quantities, order totals.</li>
 * </ul>
 *
 * <p>Not thread-safe (one instance per producer thread).
 */
public final class SessionSimulator implements Iterator<WebEvent> {

  /** Base URL of the simulated shop. */
  public static final String SITE = "https://shop.example.com";

  private static final int USER_POOL = 5_000;
  private static final double ANONYMOUS_SHARE = 0.35;

  private static final String[][] CATALOG = {
    {"P-1001", "shoes", "59.90"}, {"P-1002", "shoes", "89.00"}, {"P-1003", "shoes", "129.99"},
    {"P-2001", "jackets", "149.00"}, {"P-2002", "jackets", "79.50"}, {"P-3001", "bags", "39.95"},
    {"P-3002", "bags", "24.99"}, {"P-4001", "watches", "199.00"}, {"P-4002", "watches", "349.00"},
    {"P-5001", "socks", "9.99"}, {"P-5002", "socks", "12.49"}, {"P-6001", "hats", "19.90"},
  };
  private static final String[] QUERIES = {
    "running shoes", "rain jacket", "leather bag", "smart watch", "wool socks", "summer hat",
    "trail shoes", "gift ideas", "sale", "backpack",
  };
  private static final String[] SEARCH_REFERRERS = {
    "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/",
  };
  private static final String[] SOCIAL_REFERRERS = {
    "https://www.facebook.com/", "https://t.co/", "https://www.instagram.com/",
    "https://www.reddit.com/",
  };
  private static final String NEWSLETTER = SITE + "/?utm_source=newsletter&utm_medium=email";
  private static final String[] COUNTRIES = {"FR", "DE", "GB", "US", "ES", "IT", "NL", "BE", "CH", "PL", "SE", "CA"};
  private static final int[] COUNTRY_WEIGHTS = {22, 18, 14, 14, 7, 7, 5, 4, 3, 3, 2, 1};
  private static final String[] UA_DESKTOP = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  };
  private static final String[] UA_MOBILE = {
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  };
  private static final String[] UA_TABLET = {
    "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  };

  private final SplittableRandom random;
  private final ArrayDeque<WebEvent> pending = new ArrayDeque<>();
  private Instant nextSessionStart;
  private long sessions;

  /**
   * @param seed determines the whole sequence
   * @param clockStart event time of the first session's landing page view
   */
  public SessionSimulator(long seed, Instant clockStart) {
    this.random = new SplittableRandom(seed);
    this.nextSessionStart = Objects.requireNonNull(clockStart, "clockStart");
  }

  /** Always true: the simulator is an endless source. */
  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public WebEvent next() {
    while (pending.isEmpty()) {
      generateSession();
    }
    return pending.poll();
  }

  /** Number of sessions started so far (including the one being emitted). */
  public long sessionsStarted() {
    return sessions;
  }

  /** The next {@code n} events as a list. */
  public List<WebEvent> take(int n) {
    List<WebEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  private void generateSession() {
    sessions++;
    Session s = new Session();
    s.sessionId = uuid();
    s.time = nextSessionStart;
    nextSessionStart = nextSessionStart.plusMillis(random.nextLong(0, 20_000)).plusNanos(random.nextLong(0, 1000) * 1000);

    int user = random.nextInt(USER_POOL);
    s.userId = random.nextDouble() < ANONYMOUS_SHARE ? null : String.format(Locale.ROOT, "u-%06d", user);
    // Per-user profile: device, agent and country derive from the user number, stable across sessions.
    SplittableRandom profile = new SplittableRandom(0x5EED_0000L + user);
    int d = profile.nextInt(100);
    if (d < 52) {
      s.device = Device.MOBILE;
      s.userAgent = UA_MOBILE[profile.nextInt(UA_MOBILE.length)];
    } else if (d < 90) {
      s.device = Device.DESKTOP;
      s.userAgent = UA_DESKTOP[profile.nextInt(UA_DESKTOP.length)];
    } else {
      s.device = Device.TABLET;
      s.userAgent = UA_TABLET[0];
    }
    s.country = COUNTRIES[weighted(profile, COUNTRY_WEIGHTS)];
    if (profile.nextInt(100) < 3) {
      s.country = null; // geo lookup failed
    }

    // Landing page view.
    int r = random.nextInt(100);
    String landingReferrer;
    if (r < 40) {
      landingReferrer = pick(SEARCH_REFERRERS);
    } else if (r < 60) {
      landingReferrer = pick(SOCIAL_REFERRERS);
    } else if (r < 70) {
      landingReferrer = NEWSLETTER;
    } else {
      landingReferrer = null;
    }
    String[] product = pick(CATALOG);
    boolean landOnProduct = random.nextBoolean();
    String landingUrl = landOnProduct ? productUrl(product) : SITE + "/";
    s.referrer = landingReferrer;
    s.emit(EventType.PAGE_VIEW, landingUrl, landOnProduct ? productProps(product) : obj());
    s.currentProduct = landOnProduct ? product : null;

    // Browsing.
    int steps = 1 + random.nextInt(14);
    for (int i = 0; i < steps; i++) {
      int a = random.nextInt(100);
      if (a < 30) {
        String[] p = pick(CATALOG);
        s.navigate(productUrl(p), EventType.PAGE_VIEW, productProps(p));
        s.currentProduct = p;
      } else if (a < 45) {
        ObjectNode props = obj();
        props.put("scroll_depth_pct", 10 * (1 + random.nextInt(10)));
        props.put("engaged_seconds", 10 + random.nextInt(50));
        s.emit(EventType.PAGE_PING, s.pageUrl, props);
      } else if (a < 60) {
        ObjectNode props = obj();
        props.put("element_id", pick(new String[] {"nav-menu", "hero-banner", "size-picker", "reviews-tab", "footer-link"}));
        s.emit(EventType.CLICK, s.pageUrl, props);
      } else if (a < 72) {
        String q = pick(QUERIES);
        ObjectNode props = obj();
        props.put("query", q);
        props.put("results", random.nextInt(0, 120));
        s.navigate(SITE + "/search?q=" + q.replace(' ', '+'), EventType.SEARCH, props);
        s.currentProduct = null;
      } else if (a < 92) {
        if (s.currentProduct != null) {
          ObjectNode props = productProps(s.currentProduct);
          int qty = 1 + (random.nextInt(10) == 0 ? 1 : 0);
          props.put("quantity", qty);
          s.emit(EventType.ADD_TO_CART, s.pageUrl, props);
          s.cart.add(s.currentProduct);
          s.cartQty.add(qty);
        }
      } else if (!s.cart.isEmpty()) {
        int idx = random.nextInt(s.cart.size());
        String[] p = s.cart.remove(idx);
        int qty = s.cartQty.remove(idx);
        ObjectNode props = productProps(p);
        props.put("quantity", qty);
        s.emit(EventType.REMOVE_FROM_CART, s.pageUrl, props);
      }
    }

    // Funnel.
    if (!s.cart.isEmpty() && random.nextInt(100) < 55) {
      s.navigate(SITE + "/checkout", EventType.PAGE_VIEW, obj());
      if (s.userId == null && random.nextInt(100) < 60) {
        boolean signUp = random.nextInt(100) < 40;
        s.userId = String.format(Locale.ROOT, "u-%06d", signUp ? USER_POOL + random.nextInt(1_000_000) : user);
        ObjectNode props = obj();
        props.put("method", pick(new String[] {"password", "google", "apple"}));
        s.emit(signUp ? EventType.SIGN_UP : EventType.LOGIN, s.pageUrl, props);
      }
      BigDecimal total = BigDecimal.ZERO;
      for (int i = 0; i < s.cart.size(); i++) {
        total = total.add(new BigDecimal(s.cart.get(i)[2]).multiply(BigDecimal.valueOf(s.cartQty.get(i))));
      }
      ObjectNode checkout = obj();
      checkout.put("items", s.cart.size());
      checkout.put("cart_total", total);
      checkout.put("currency", "EUR");
      s.emit(EventType.CHECKOUT, s.pageUrl, checkout);
      if (random.nextInt(100) < 75) {
        s.orderId = String.format(Locale.ROOT, "O-%s-%06d", Long.toString(sessions, 36).toUpperCase(Locale.ROOT), random.nextInt(1_000_000));
        ObjectNode purchase = obj();
        purchase.put("items", s.cart.size());
        purchase.put("order_total", total);
        purchase.put("currency", "EUR");
        purchase.put("payment_method", pick(new String[] {"card", "paypal", "apple_pay"}));
        s.navigate(SITE + "/order/confirmation", EventType.PURCHASE, purchase);
      }
    }
  }

  private String uuid() {
    long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L; // version 4
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L; // IETF variant
    return new UUID(msb, lsb).toString();
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  private static int weighted(SplittableRandom r, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int x = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static ObjectNode obj() {
    return Json.MAPPER.createObjectNode();
  }

  private static String productUrl(String[] p) {
    return SITE + "/p/" + p[0];
  }

  private static ObjectNode productProps(String[] p) {
    ObjectNode props = obj();
    props.put("product_id", p[0]);
    props.put("category", p[1]);
    props.put("price", new BigDecimal(p[2]));
    props.put("currency", "EUR");
    return props;
  }

  /** Mutable state of the session being generated. */
  private final class Session {
    String sessionId;
    String userId;
    Device device;
    String userAgent;
    String country;
    String pageUrl;
    String referrer;
    String orderId;
    Instant time;
    String[] currentProduct;
    final List<String[]> cart = new ArrayList<>();
    final List<Integer> cartQty = new ArrayList<>();
    boolean first = true;

    /** A page view (or search/purchase) that moves to {@code url}; the previous page becomes the referrer. */
    void navigate(String url, EventType type, ObjectNode props) {
      referrer = pageUrl;
      emit(type, url, props);
    }

    void emit(EventType type, String url, ObjectNode props) {
      if (!first) {
        // 0.2 s .. 60 s, with microsecond resolution.
        time = time.plus(Duration.ofNanos(random.nextLong(200_000L, 60_000_000L) * 1000L));
      }
      first = false;
      pageUrl = url;
      pending.add(
          WebEvent.builder()
              .eventId(uuid())
              .eventType(type)
              .eventTimestamp(time)
              .userId(userId)
              .sessionId(sessionId)
              .pageUrl(url)
              .referrer(referrer)
              .userAgent(userAgent)
              .device(device)
              .country(country)
              .orderId(type == EventType.PURCHASE ? orderId : null)
              .properties(props == null ? null : Json.compact(props))
              .build());
    }
  }
}
