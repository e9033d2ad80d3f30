package io.tributary.producers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Pure, seeded generator of realistic order changes. No I/O: it plans transactions against its model
 * of the <em>open</em> orders (status {@code pending}, {@code paid} or {@code shipped}), and the
 * caller tells it what was committed ({@link #committed}) or replaces the model with what the
 * database holds ({@link #reload}).
 *
 * <p>Contract: the planned operations are a pure function of the seed, the mix and the sequence of
 * model updates. The model is kept sorted by id and capped to the newest {@code maxTracked} open
 * orders; while the table holds no more open orders than that (and only this producer writes it),
 * reloading the model from the table gives exactly the state that applying the committed
 * transactions gives, so a reconnect does not change the generated sequence. Targets are chosen by
 * position in the model, so gaps in database ids do not change the choices.
 *
 * <p>Traffic shape: a catalogue of products in six categories with list prices, occasional
 * discounts; quantities mostly 1-2; 20,000 customers with a skew towards loyal ones; orders move
 * {@code pending -> paid -> shipped -> delivered} (delivered orders are final and leave the model),
 * pending orders may change quantity, open orders may be cancelled (deleted). Within one transaction
 * an order is changed at most once, and orders inserted in it are not changed.
 *
 * <p>Not thread-safe.
 */
public final class OrderGenerator {

  /** Statuses, in lifecycle order. */
  public static final String PENDING = "pending";
  public static final String PAID = "paid";
  public static final String SHIPPED = "shipped";
  public static final String DELIVERED = "delivered";

  /** Default cap of tracked open orders. */
  public static final int DEFAULT_MAX_TRACKED = 10_000;

  static final int CUSTOMERS = 20_000;

  private static final Object[][] CATALOG = {
    {"Trail Running Shoes", "89.90"}, {"Road Running Shoes", "119.00"}, {"Leather Sneakers", "74.50"},
    {"Hiking Boots", "149.99"}, {"Rain Jacket", "129.00"}, {"Down Jacket", "219.00"},
    {"Fleece Pullover", "54.90"}, {"Softshell Jacket", "99.00"}, {"Canvas Backpack", "49.95"},
    {"Leather Messenger Bag", "159.00"}, {"Travel Duffel", "79.00"}, {"Belt Bag", "24.99"},
    {"Smart Watch", "249.00"}, {"Diver Watch", "399.00"}, {"Fitness Band", "59.99"},
    {"Wool Socks (3 pack)", "19.90"}, {"Running Socks", "12.49"}, {"Merino Beanie", "29.00"},
    {"Sun Hat", "22.50"}, {"Baseball Cap", "17.99"}, {"Water Bottle", "14.95"},
    {"Headlamp", "34.90"}, {"Trekking Poles", "69.00"}, {"Yoga Mat", "39.00"},
  };
  private static final int[] QUANTITY_WEIGHTS = {60, 25, 9, 4, 2}; // 1..5

  private final SplittableRandom random;
  private final OrderMix mix;
  private final int maxTracked;
  private final List<OpenOrder> open = new ArrayList<>();

  /**
   * @param seed determines every choice
   * @param mix insert/update/delete weights
   * @param maxTracked how many of the newest open orders to keep as targets (at least 1)
   */
  public OrderGenerator(long seed, OrderMix mix, int maxTracked) {
    if (maxTracked < 1) {
      throw new IllegalArgumentException("maxTracked must be >= 1");
    }
    this.random = new SplittableRandom(seed);
    this.mix = Objects.requireNonNull(mix);
    this.maxTracked = maxTracked;
  }

  /** An open order as the model knows it. Immutable. */
  public static final class OpenOrder {
    private final long id;
    private final String status;
    private final int quantity;

    public OpenOrder(long id, String status, int quantity) {
      this.id = id;
      this.status = Objects.requireNonNull(status);
      this.quantity = quantity;
    }

    public long id() {
      return id;
    }

    public String status() {
      return status;
    }

    public int quantity() {
      return quantity;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof OpenOrder && ((OpenOrder) o).id == id && ((OpenOrder) o).status.equals(status)
          && ((OpenOrder) o).quantity == quantity;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(id) * 31 + status.hashCode() + quantity;
    }

    @Override
    public String toString() {
      return id + ":" + status + "x" + quantity;
    }
  }

  /** True for statuses that can still change. */
  public static boolean isOpen(String status) {
    return PENDING.equals(status) || PAID.equals(status) || SHIPPED.equals(status);
  }

  /**
   * Plans the next transaction of {@code size} operations. Does not change the model: call {@link
   * #committed} once it is committed (or {@link #reload}); if it is retried, retry the same plan.
   */
  public List<OrderOp> nextTransaction(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1");
    }
    List<OrderOp> ops = new ArrayList<>(size);
    Set<Long> touched = new HashSet<>();
    for (int i = 0; i < size; i++) {
      double r = random.nextDouble();
      OrderOp op = null;
      if (r >= mix.insertShare()) {
        OpenOrder target = pickUntouched(touched);
        if (target != null) {
          touched.add(target.id);
          op = r < mix.insertShare() + mix.updateShare() ? update(target) : OrderOp.delete(target.id);
        }
      }
      ops.add(op != null ? op : insert());
    }
    return Collections.unmodifiableList(ops);
  }

  /**
   * Applies a committed transaction to the model.
   *
   * @param ops the plan returned by {@link #nextTransaction}
   * @param insertedIds the ids the database assigned to its inserts, in order
   */
  public void committed(List<OrderOp> ops, long[] insertedIds) {
    int next = 0;
    for (OrderOp op : ops) {
      switch (op.type()) {
        case INSERT:
          if (next >= insertedIds.length) {
            throw new IllegalArgumentException("fewer inserted ids than inserts");
          }
          put(new OpenOrder(insertedIds[next++], op.status(), op.quantity()));
          break;
        case UPDATE:
          remove(op.id());
          if (isOpen(op.status())) {
            put(new OpenOrder(op.id(), op.status(), op.quantity()));
          }
          break;
        default:
          remove(op.id());
      }
    }
    while (open.size() > maxTracked) {
      open.remove(0);
    }
  }

  /** Replaces the model by the given open orders (any order; the newest {@code maxTracked} are kept). */
  public void reload(List<OpenOrder> orders) {
    open.clear();
    for (OpenOrder o : orders) {
      if (isOpen(o.status)) {
        open.add(o);
      }
    }
    open.sort(Comparator.comparingLong(OpenOrder::id));
    while (open.size() > maxTracked) {
      open.remove(0);
    }
  }

  /** The model: tracked open orders sorted by id (a copy). */
  public List<OpenOrder> openOrders() {
    return new ArrayList<>(open);
  }

  /** How many newest open orders the model keeps. */
  public int maxTracked() {
    return maxTracked;
  }

  private OpenOrder pickUntouched(Set<Long> touched) {
    if (open.size() <= touched.size()) {
      return null;
    }
    // Few orders are touched per transaction, so a handful of draws almost always finds one.
    for (int attempt = 0; attempt < 8; attempt++) {
      OpenOrder o = open.get(random.nextInt(open.size()));
      if (!touched.contains(o.id)) {
        return o;
      }
    }
    for (OpenOrder o : open) {
      if (!touched.contains(o.id)) {
        return o;
      }
    }
    return null;
  }

  private OrderOp insert() {
    Object[] product = CATALOG[random.nextInt(CATALOG.length)];
    BigDecimal list = new BigDecimal((String) product[1]);
    BigDecimal price = list;
    int d = random.nextInt(100);
    if (d < 15) {
      price = discount(list, 10);
    } else if (d < 22) {
      price = discount(list, 20 + 5 * random.nextInt(3));
    }
    // Loyal customers order more: a quadratic skew towards low customer numbers.
    double u = random.nextDouble();
    long customer = 1 + (long) (CUSTOMERS * u * u);
    return OrderOp.insert((String) product[0], price, quantity(), customer, PENDING);
  }

  private static BigDecimal discount(BigDecimal list, int percent) {
    return list.multiply(BigDecimal.valueOf(100 - percent)).movePointLeft(2).setScale(2, RoundingMode.HALF_EVEN);
  }

  private int quantity() {
    int r = random.nextInt(100);
    for (int i = 0; i < QUANTITY_WEIGHTS.length; i++) {
      r -= QUANTITY_WEIGHTS[i];
      if (r < 0) {
        return i + 1;
      }
    }
    return 1;
  }

  private OrderOp update(OpenOrder o) {
    switch (o.status) {
      case PENDING:
        if (random.nextInt(100) < 25) {
          int q = o.quantity + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(2));
          if (q < 1) {
            q = o.quantity + 1;
          }
          return OrderOp.update(o.id, PENDING, q);
        }
        return OrderOp.update(o.id, PAID, o.quantity);
      case PAID:
        return OrderOp.update(o.id, SHIPPED, o.quantity);
      default:
        return OrderOp.update(o.id, DELIVERED, o.quantity);
    }
  }

  private int indexOf(long id) {
    int lo = 0;
    int hi = open.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long v = open.get(mid).id;
      if (v < id) {
        lo = mid + 1;
      } else if (v > id) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  private void put(OpenOrder o) {
    int i = indexOf(o.id);
    if (i >= 0) {
      open.set(i, o);
    } else {
      open.add(-(i + 1), o);
    }
  }

  private void remove(long id) {
    int i = indexOf(id);
    if (i >= 0) {
      open.remove(i);
    }
  }
}
