package io.tributary.cli.local;

import io.tributary.producers.ProducerStats;
import java.io.PrintStream;

/** What a local run produced and committed; printed at the end with example queries. */
public final class LocalSummary {
  private final ProducerStats orders;
  private final ProducerStats events;
  private final long ordersCommitted;
  private final long atomicEventsCommitted;
  private final long quarantineCommitted;
  private final String failure;
  private final long seededOrderChanges;

  LocalSummary(ProducerStats orders, ProducerStats events, Progress progress, String failure) {
    this.orders = orders;
    this.events = events;
    this.ordersCommitted = progress.orders().rows();
    this.atomicEventsCommitted = progress.atomicEvents().rows();
    this.quarantineCommitted = progress.quarantine().rows();
    this.failure = failure;
    this.seededOrderChanges = progress.seededOrderChanges();
  }

  /** Order changes produced in this run, the seed order included. */
  public long orderChanges() {
    return Progress.orderChanges(orders) + seededOrderChanges;
  }

  public ProducerStats orders() {
    return orders;
  }

  public ProducerStats events() {
    return events;
  }

  public long ordersCommitted() {
    return ordersCommitted;
  }

  public long atomicEventsCommitted() {
    return atomicEventsCommitted;
  }

  public long quarantineCommitted() {
    return quarantineCommitted;
  }

  /** Why the run ended early, or null. */
  public String failure() {
    return failure;
  }

  /** Every produced change and event is in the silver tables. */
  public boolean complete() {
    return failure == null
        && ordersCommitted == orderChanges()
        && atomicEventsCommitted == events.produced("valid")
        && quarantineCommitted == events.produced("malformed");
  }

  void print(PrintStream out, LocalSettings settings) {
    out.println();
    out.println("Summary");
    out.printf("  orders:  %,d changes produced (%,d inserts, %,d updates, %,d deletes) -> %,d rows in silver orders%n",
        orderChanges(), orders.produced("insert") + seededOrderChanges, orders.produced("update"), orders.produced("delete"),
        ordersCommitted);
    out.printf("  events:  %,d valid -> %,d rows in atomic_events; %,d malformed -> %,d rows in atomic_events_quarantine;"
            + " %,d re-sent duplicates dropped%n",
        events.produced("valid"), atomicEventsCommitted, events.produced("malformed"), quarantineCommitted, events.produced("duplicate"));
    out.println(complete() ? "  every produced change and event is committed exactly once"
        : "  NOT everything produced is committed" + (failure != null ? ": " + failure : " (the jobs did not catch up in time)"));
    out.println();
    out.println("Query the silver tables (DuckDB over the active Delta files):");
    out.println("  ./tributary tables");
    out.println("  ./tributary query \"SELECT status, count(*) AS orders, sum(price * quantity) AS revenue FROM orders_current GROUP BY 1 ORDER BY 2 DESC\"");
    out.println("  ./tributary query \"SELECT event_type, count(*) FROM atomic_events GROUP BY 1 ORDER BY 2 DESC\"");
    out.println("  ./tributary query \"SELECT error_reason, count(*) FROM atomic_events_quarantine GROUP BY 1\"");
    out.println("Run again with --keep to resume from here (savepoints in " + settings.dataDir()
        + "); without --keep the next run starts from empty.");
  }
}
