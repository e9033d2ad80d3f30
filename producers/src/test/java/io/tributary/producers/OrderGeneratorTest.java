package io.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator alone, with a simulated database (ids assigned in sequence). */
class OrderGeneratorTest {

  /** Drives a generator like the producer does and records every op. */
  private static final class Simulation {
    final OrderGenerator generator;
    final Map<Long, String> statusById = new HashMap<>();
    final Map<OrderOp.Type, Integer> counts = new EnumMap<>(OrderOp.Type.class);
    final List<OrderOp> ops = new ArrayList<>();
    long nextId = 1;

    Simulation(long seed, OrderMix mix, int maxTracked) {
      generator = new OrderGenerator(seed, mix, maxTracked);
    }

    void run(int transactions, int size) {
      for (int t = 0; t < transactions; t++) {
        List<OrderOp> plan = generator.nextTransaction(size);
        List<Long> ids = new ArrayList<>();
        Set<Long> touched = new HashSet<>();
        for (OrderOp op : plan) {
          ops.add(op);
          counts.merge(op.type(), 1, Integer::sum);
          switch (op.type()) {
            case INSERT:
              assertThat(op.status()).isEqualTo(OrderGenerator.PENDING);
              assertThat(op.quantity()).isBetween(1, 5);
              assertThat(op.price()).isPositive();
              assertThat(op.price().scale()).isEqualTo(2);
              assertThat(op.customerId()).isBetween(1L, (long) OrderGenerator.CUSTOMERS);
              ids.add(nextId);
              statusById.put(nextId++, op.status());
              break;
            case UPDATE:
              assertThat(touched.add(op.id())).as("one change per order per transaction").isTrue();
              String before = statusById.get(op.id());
              assertThat(before).as("updates target live open orders").isNotNull().isNotEqualTo(OrderGenerator.DELIVERED);
              assertThat(allowedNext(before)).contains(op.status());
              statusById.put(op.id(), op.status());
              break;
            default:
              assertThat(touched.add(op.id())).isTrue();
              assertThat(statusById.remove(op.id())).as("deletes target live open orders").isNotNull()
                  .isNotEqualTo(OrderGenerator.DELIVERED);
          }
        }
        generator.committed(plan, ids.stream().mapToLong(Long::longValue).toArray());
      }
    }

    static List<String> allowedNext(String status) {
      switch (status) {
        case OrderGenerator.PENDING: return List.of(OrderGenerator.PENDING, OrderGenerator.PAID);
        case OrderGenerator.PAID: return List.of(OrderGenerator.SHIPPED);
        default: return List.of(OrderGenerator.DELIVERED);
      }
    }
  }

  @Test
  void mixHoldsAndOperationsAreConsistent() {
    Simulation sim = new Simulation(7, OrderMix.DEFAULT, 10_000);
    sim.run(2_000, 5);
    double total = sim.ops.size();
    assertThat(sim.counts.get(OrderOp.Type.INSERT) / total).isCloseTo(0.6, within(0.03));
    assertThat(sim.counts.get(OrderOp.Type.UPDATE) / total).isCloseTo(0.3, within(0.03));
    assertThat(sim.counts.get(OrderOp.Type.DELETE) / total).isCloseTo(0.1, within(0.02));
    // Every status of the lifecycle is reached; quantities change on pending orders.
    assertThat(sim.statusById.values()).contains(OrderGenerator.PENDING, OrderGenerator.PAID,
        OrderGenerator.SHIPPED, OrderGenerator.DELIVERED);
    assertThat(sim.ops).anyMatch(op -> op.type() == OrderOp.Type.UPDATE && op.status().equals(OrderGenerator.PENDING));
  }

  @Test
  void realisticValues() {
    Simulation sim = new Simulation(11, new OrderMix(1, 0, 0), 100);
    sim.run(5_000, 1);
    Set<String> products = new HashSet<>();
    Map<Long, Integer> perCustomer = new HashMap<>();
    int discounted = 0;
    for (OrderOp op : sim.ops) {
      products.add(op.productName());
      perCustomer.merge(op.customerId(), 1, Integer::sum);
      if (op.price().remainder(BigDecimal.ONE).compareTo(new BigDecimal("0.90")) != 0
          && op.price().remainder(BigDecimal.ONE).signum() != 0) {
        discounted++;
      }
    }
    assertThat(products).hasSizeGreaterThan(20);
    long q1 = sim.ops.stream().filter(op -> op.quantity() == 1).count();
    assertThat(q1 / 5000.0).isCloseTo(0.6, within(0.04));
    // Skew: the first tenth of the customers place about a third of the orders.
    long loyal = sim.ops.stream().filter(op -> op.customerId() <= OrderGenerator.CUSTOMERS / 10).count();
    assertThat(loyal / 5000.0).isBetween(0.25, 0.40);
    assertThat(discounted).isPositive();
  }

  @Test
  void sameSeedSameOperations() {
    Simulation a = new Simulation(42, OrderMix.DEFAULT, 10_000);
    Simulation b = new Simulation(42, OrderMix.DEFAULT, 10_000);
    Simulation c = new Simulation(43, OrderMix.DEFAULT, 10_000);
    a.run(300, 3);
    b.run(300, 3);
    c.run(300, 3);
    assertThat(a.ops).isEqualTo(b.ops);
    assertThat(a.ops).isNotEqualTo(c.ops);
  }

  @Test
  void reloadingTheModelGivesTheSameFuture() {
    Simulation a = new Simulation(5, OrderMix.DEFAULT, 10_000);
    Simulation b = new Simulation(5, OrderMix.DEFAULT, 10_000);
    a.run(200, 4);
    b.run(200, 4);
    // b "reconnects": its model is replaced by what the table holds (any order).
    List<OrderGenerator.OpenOrder> fromTable = new ArrayList<>(b.generator.openOrders());
    java.util.Collections.reverse(fromTable);
    b.generator.reload(fromTable);
    assertThat(b.generator.openOrders()).isEqualTo(a.generator.openOrders());
    a.run(200, 4);
    b.run(200, 4);
    assertThat(b.ops).isEqualTo(a.ops);
  }

  @Test
  void updatesAndDeletesFallBackToInsertsOnAnEmptyTable() {
    OrderGenerator g = new OrderGenerator(1, new OrderMix(1, 50, 50), 100);
    List<OrderOp> first = g.nextTransaction(10);
    assertThat(first).allMatch(op -> op.type() == OrderOp.Type.INSERT);
  }

  @Test
  void modelIsCappedToTheNewestOpenOrders() {
    Simulation sim = new Simulation(3, new OrderMix(1, 0, 0), 50);
    sim.run(200, 1);
    List<OrderGenerator.OpenOrder> open = sim.generator.openOrders();
    assertThat(open).hasSize(50);
    assertThat(open.get(0).id()).isEqualTo(151);
    assertThat(open.get(49).id()).isEqualTo(200);
  }
}
