package io.tributary.producers;

import java.util.Locale;

/**
 * Relative weights of inserts, updates and deletes, e.g. {@code 60,30,10}. Immutable.
 *
 * <p>An update or delete drawn while no open order is available becomes an insert, so the
 * achieved mix can differ from the weights at the very start of a run on an empty table.
 */
public final class OrderMix {

  /** 60% inserts, 30% updates, 10% deletes. */
  public static final OrderMix DEFAULT = new OrderMix(60, 30, 10);

  private final double insert;
  private final double update;
  private final double delete;

  public OrderMix(double insert, double update, double delete) {
    if (insert < 0 || update < 0 || delete < 0 || !(insert + update + delete > 0)) {
      throw new IllegalArgumentException("mix weights must be >= 0 with a positive sum");
    }
    if (insert == 0) {
      throw new IllegalArgumentException("mix needs inserts: updates and deletes need existing orders");
    }
    double sum = insert + update + delete;
    this.insert = insert / sum;
    this.update = update / sum;
    this.delete = delete / sum;
  }

  /** Parses {@code I,U,D} (also {@code I/U/D} or {@code I:U:D}), e.g. {@code 60,30,10}. */
  public static OrderMix parse(String text) {
    String[] parts = text == null ? new String[0] : text.trim().split("\\s*[,/:]\\s*");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a mix: use INSERTS,UPDATES,DELETES weights, e.g. 60,30,10");
    }
    try {
      return new OrderMix(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a mix: weights must be numbers, e.g. 60,30,10");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid mix: " + e.getMessage());
    }
  }

  /** Share of inserts, in [0, 1]. */
  public double insertShare() {
    return insert;
  }

  public double updateShare() {
    return update;
  }

  public double deleteShare() {
    return delete;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "insert %.0f%% / update %.0f%% / delete %.0f%%",
        insert * 100, update * 100, delete * 100);
  }
}
