package io.tributary.cdc.bench;

import io.tributary.postgres.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TPC-B-like write load in the manner of pgbench's built-in default script, over JDBC: the four
 * pgbench tables ({@code pgbench_accounts} 100,000 rows per scale unit, 10 tellers and 1 branch
 * per unit, {@code pgbench_history} empty) and, per transaction, UPDATE an account, SELECT its
 * balance, UPDATE a teller, UPDATE a branch, INSERT a history row, COMMIT: four row changes.
 * Each client is one thread with its own connection. Not a test.
 */
final class PgBenchLoad {
  /** Row changes per transaction: three updates and one insert. */
  static final int CHANGES_PER_TRANSACTION = 4;
  static final List<String> TABLES =
      List.of("pgbench_accounts", "pgbench_tellers", "pgbench_branches", "pgbench_history");

  private final EmbeddedPostgres pg;
  private final String database;
  private final int scale;
  /** Transactions committed by the current or last {@link #run} (readable while it runs). */
  final AtomicLong committed = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  PgBenchLoad(EmbeddedPostgres pg, String database, int scale) {
    this.pg = pg;
    this.database = database;
    this.scale = scale;
  }

  /** Creates and fills the tables (as pgbench -i: fillfactor 100, primary keys, ANALYZE). */
  void initialize() throws SQLException {
    try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE pgbench_branches (bid int NOT NULL PRIMARY KEY, bbalance int, filler char(88))");
      st.execute("CREATE TABLE pgbench_tellers (tid int NOT NULL PRIMARY KEY, bid int, tbalance int, filler char(84))");
      st.execute("CREATE TABLE pgbench_accounts (aid int NOT NULL PRIMARY KEY, bid int, abalance int, filler char(84))");
      st.execute("CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))");
      st.execute("INSERT INTO pgbench_branches SELECT g, 0, NULL FROM generate_series(1, " + scale + ") g");
      st.execute("INSERT INTO pgbench_tellers SELECT g, (g - 1) / 10 + 1, 0, NULL FROM generate_series(1, " + 10 * scale + ") g");
      st.execute("INSERT INTO pgbench_accounts SELECT g, (g - 1) / 100000 + 1, 0, '' FROM generate_series(1, "
          + 100_000L * scale + ") g");
      st.execute("ANALYZE");
    }
  }

  /** Row counts of the four tables, in {@link #TABLES} order. */
  long[] rowCounts() throws SQLException {
    long[] n = new long[TABLES.size()];
    try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
      for (int i = 0; i < n.length; i++) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLES.get(i))) {
          rs.next();
          n[i] = rs.getLong(1);
        }
      }
    }
    return n;
  }

  /**
   * Runs {@code clients} clients for {@code length}, each as fast as it can ({@code tps} 0) or
   * paced to {@code tps / clients} transactions a second; returns the transactions committed.
   */
  long run(int clients, Duration length, int tps) throws Exception {
    committed.set(0);
    failed.set(0);
    long end = System.nanoTime() + length.toNanos();
    List<Thread> threads = new ArrayList<>();
    List<Exception> errors = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        try {
          client(end, tps <= 0 ? 0 : (long) (1e9 * clients / tps));
        } catch (Exception e) {
          synchronized (errors) {
            errors.add(e);
          }
        }
      }, "pgbench-client-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
    return committed.get();
  }

  private void client(long endNanos, long pacingNanos) throws SQLException, InterruptedException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try (Connection c = pg.connect(database);
        PreparedStatement account = c.prepareStatement("UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?");
        PreparedStatement balance = c.prepareStatement("SELECT abalance FROM pgbench_accounts WHERE aid = ?");
        PreparedStatement teller = c.prepareStatement("UPDATE pgbench_tellers SET tbalance = tbalance + ? WHERE tid = ?");
        PreparedStatement branch = c.prepareStatement("UPDATE pgbench_branches SET bbalance = bbalance + ? WHERE bid = ?");
        PreparedStatement history = c.prepareStatement(
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
      c.setAutoCommit(false);
      long next = System.nanoTime();
      while (System.nanoTime() < endNanos) {
        if (pacingNanos > 0) {
          // Paced like pgbench --rate: a schedule, so a slow transaction is made up for.
          next += pacingNanos;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        int aid = random.nextInt(1, 100_000 * scale + 1);
        int bid = random.nextInt(1, scale + 1);
        int tid = random.nextInt(1, 10 * scale + 1);
        int delta = random.nextInt(-5000, 5001);
        try {
          account.setInt(1, delta);
          account.setInt(2, aid);
          account.executeUpdate();
          balance.setInt(1, aid);
          try (ResultSet rs = balance.executeQuery()) {
            rs.next();
          }
          teller.setInt(1, delta);
          teller.setInt(2, tid);
          teller.executeUpdate();
          branch.setInt(1, delta);
          branch.setInt(2, bid);
          branch.executeUpdate();
          history.setInt(1, tid);
          history.setInt(2, bid);
          history.setInt(3, aid);
          history.setInt(4, delta);
          history.executeUpdate();
          c.commit();
          committed.incrementAndGet();
        } catch (SQLException e) {
          // Same lock order in every transaction, so no deadlocks are expected; count and go on.
          c.rollback();
          failed.incrementAndGet();
        }
      }
    }
  }
}
