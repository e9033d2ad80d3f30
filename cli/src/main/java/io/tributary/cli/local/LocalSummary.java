package io.tributary.cli.local;

import io.tributary.producers.ProducerStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a local run produced and committed; printed at the end with example queries. */
public final class LocalSummary {
  private final ProducerStats orders;
  private final ProducerStats events;
  private final long ordersCommitted;
  private final long atomicEventsCommitted;
  private final long quarantineCommitted;
  private final String failure;
  private final WarehouseCheck warehouse;
  private final long seededOrderChanges;
  private final boolean resumedAfterInterruption;
  private final List<TableFiles> tableFiles;

  /** The active data files of one silver table at the end of the run. */
  public static final class TableFiles {
    private final String table;
    private final int files;
    private final int partitions;
    private final int maxPerPartition;

    TableFiles(String table, int files, int partitions, int maxPerPartition) {
      this.table = table;
      this.files = files;
      this.partitions = partitions;
      this.maxPerPartition = maxPerPartition;
    }

    public String table() {
      return table;
    }

    public int files() {
      return files;
    }

    public int partitions() {
      return partitions;
    }

    /** Active data files of the table's largest partition. */
    public int maxPerPartition() {
      return maxPerPartition;
    }

    @Override
    public String toString() {
      return String.format("%s %,d in %,d partition%s (at most %,d in one)", table, files, partitions,
          partitions == 1 ? "" : "s", maxPerPartition);
    }
  }

  /**
   * @param resumedAfterInterruption the jobs resumed from a retained checkpoint of a run that did not stop cleanly
   *     (killed, crashed): this run then also commits what that run produced but had not committed, so its tables
   *     may get more rows than it produced
   */
  LocalSummary(ProducerStats orders, ProducerStats events, Progress progress, String failure,
      boolean resumedAfterInterruption) {
    this(orders, events, progress, failure, resumedAfterInterruption, null);
  }

  /** @param warehouse the comparison of {@code --warehouse}, or null */
  LocalSummary(ProducerStats orders, ProducerStats events, Progress progress, String failure,
      boolean resumedAfterInterruption, WarehouseCheck warehouse) {
    this.warehouse = warehouse;
    this.resumedAfterInterruption = resumedAfterInterruption;
    this.orders = orders;
    this.events = events;
    this.ordersCommitted = progress.orders().rows();
    this.atomicEventsCommitted = progress.atomicEvents().rows();
    this.quarantineCommitted = progress.quarantine().rows();
    this.failure = failure;
    this.seededOrderChanges = progress.seededOrderChanges();
    List<TableFiles> files = new ArrayList<>();
    for (TableWatch t : List.of(progress.orders(), progress.atomicEvents(), progress.quarantine())) {
      files.add(new TableFiles(t.name(), t.files(), t.partitions(), t.maxFilesPerPartition()));
    }
    this.tableFiles = Collections.unmodifiableList(files);
  }

  /** Active data files per silver table at the end of the run (kept bounded by the jobs' in-job maintenance). */
  public List<TableFiles> tableFiles() {
    return tableFiles;
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
  /** The warehouse comparison of a {@code --warehouse} run that stopped cleanly, else empty. */
  public java.util.Optional<WarehouseCheck> warehouse() {
    return java.util.Optional.ofNullable(warehouse);
  }

  public String failure() {
    return failure;
  }

  /** The jobs resumed from a checkpoint of a run that did not stop cleanly. */
  public boolean resumedAfterInterruption() {
    return resumedAfterInterruption;
  }

  /**
   * Every produced change and event is in the silver tables: as many rows as produced, or, after an interrupted run,
   * at least as many (the rest is what that run left uncommitted). Fewer rows is a shortfall.
   */
  public boolean complete() {
    return failure == null
        && matches(ordersCommitted, orderChanges())
        && matches(atomicEventsCommitted, events.produced("valid"))
        && matches(quarantineCommitted, events.produced("malformed"))
        && (warehouse == null || warehouse.equal());
  }

  private boolean matches(long committed, long produced) {
    return matches(resumedAfterInterruption, committed, produced);
  }

  static boolean matches(boolean resumedAfterInterruption, long committed, long produced) {
    return resumedAfterInterruption ? committed >= produced : committed == produced;
  }

  /** Rows committed beyond this run's production: what the interrupted run before left uncommitted. */
  private String extra(long committed, long produced) {
    return resumedAfterInterruption && committed > produced
        ? String.format(" (%,d of them left uncommitted by the interrupted run before)", committed - produced) : "";
  }

  void print(PrintStream out, LocalSettings settings) {
    out.println();
    out.println("Summary");
    out.printf("  orders:  %,d changes produced (%,d inserts, %,d updates, %,d deletes) -> %,d rows in silver orders%s%n",
        orderChanges(), orders.produced("insert") + seededOrderChanges, orders.produced("update"), orders.produced("delete"),
        ordersCommitted, extra(ordersCommitted, orderChanges()));
    out.printf("  events:  %,d valid -> %,d rows in atomic_events%s; %,d malformed -> %,d rows in atomic_events_quarantine%s;"
            + " %,d re-sent duplicates dropped%n",
        events.produced("valid"), atomicEventsCommitted, extra(atomicEventsCommitted, events.produced("valid")),
        events.produced("malformed"), quarantineCommitted, extra(quarantineCommitted, events.produced("malformed")),
        events.produced("duplicate"));
    out.printf("  files:   %s (active data files; the jobs compact small files as they run)%n",
        String.join(", ", tableFiles.stream().map(TableFiles::toString).toArray(String[]::new)));
    if (warehouse != null) {
      out.printf("  warehouse: %s%n", warehouse);
    }
    String committed = resumedAfterInterruption
        ? "  every change and event produced in this run is committed, and what the interrupted run before left"
            + " uncommitted (resumed from its last checkpoint)"
        : "  every produced change and event is committed exactly once";
    out.println(complete() ? committed
        : "  NOT everything produced is committed" + (failure != null ? ": " + failure : " (the jobs did not catch up in time)"));
    out.println();
    out.println("Query the silver tables (DuckDB over the active Delta files):");
    out.println("  ./tributary tables");
    out.println("  ./tributary query \"SELECT status, count(*) AS orders, sum(price * quantity) AS revenue FROM orders_current GROUP BY 1 ORDER BY 2 DESC\"");
    out.println("  ./tributary query \"SELECT event_type, count(*) FROM atomic_events GROUP BY 1 ORDER BY 2 DESC\"");
    out.println("  ./tributary query \"SELECT error_reason, count(*) FROM atomic_events_quarantine GROUP BY 1\"");
    if (warehouse != null) {
      out.println("Query the warehouse (PostgreSQL; started from " + settings.dataDir() + "/warehouse):");
      out.println("  ./tributary query --warehouse --data-dir " + settings.dataDir() + " \"SELECT status, count(*) FROM orders_current GROUP BY 1 ORDER BY 2 DESC\"");
    }
    out.println("Run again with --keep to resume from here (savepoints in " + settings.dataDir()
        + "); without --keep the next run starts from empty.");
  }
}
