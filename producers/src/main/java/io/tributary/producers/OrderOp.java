package io.tributary.producers;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One planned change to the orders table. Immutable. Inserts carry the new row (the id is assigned
 * by the database); updates carry the target id and its new status and quantity (absolute values);
 * deletes carry the target id.
 */
public final class OrderOp {

  /** Kind of change. */
  public enum Type {
    INSERT, UPDATE, DELETE;

    /** Counter name: {@code insert}, {@code update}, {@code delete}. */
    public String counter() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Type type;
  private final long id;
  private final String productName;
  private final BigDecimal price;
  private final int quantity;
  private final long customerId;
  private final String status;

  private OrderOp(Type type, long id, String productName, BigDecimal price, int quantity, long customerId,
      String status) {
    this.type = type;
    this.id = id;
    this.productName = productName;
    this.price = price;
    this.quantity = quantity;
    this.customerId = customerId;
    this.status = status;
  }

  static OrderOp insert(String productName, BigDecimal price, int quantity, long customerId, String status) {
    return new OrderOp(Type.INSERT, 0, Objects.requireNonNull(productName), Objects.requireNonNull(price),
        quantity, customerId, Objects.requireNonNull(status));
  }

  static OrderOp update(long id, String status, int quantity) {
    return new OrderOp(Type.UPDATE, id, null, null, quantity, 0, Objects.requireNonNull(status));
  }

  static OrderOp delete(long id) {
    return new OrderOp(Type.DELETE, id, null, null, 0, 0, null);
  }

  public Type type() {
    return type;
  }

  /** Target row id (updates, deletes); 0 for inserts. */
  public long id() {
    return id;
  }

  /** Inserts only. */
  public String productName() {
    return productName;
  }

  /** Unit price; inserts only. */
  public BigDecimal price() {
    return price;
  }

  /** New quantity (inserts, updates). */
  public int quantity() {
    return quantity;
  }

  /** Inserts only. */
  public long customerId() {
    return customerId;
  }

  /** New status (inserts, updates). */
  public String status() {
    return status;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OrderOp)) {
      return false;
    }
    OrderOp x = (OrderOp) o;
    return type == x.type && id == x.id && quantity == x.quantity && customerId == x.customerId
        && Objects.equals(productName, x.productName) && Objects.equals(price, x.price)
        && Objects.equals(status, x.status);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, id, productName, price, quantity, customerId, status);
  }

  @Override
  public String toString() {
    switch (type) {
      case INSERT:
        return "INSERT(" + productName + ", " + price + " x" + quantity + ", customer " + customerId + ", " + status + ")";
      case UPDATE:
        return "UPDATE(" + id + " -> " + status + ", x" + quantity + ")";
      default:
        return "DELETE(" + id + ")";
    }
  }
}
