package io.tributary.producers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes realistic orders into a PostgreSQL table (the CDC source of the {@code cdc-job}) through
 * JDBC, in transactions, at a paced rate. See {@link Producer} for the run/stop/stats contract.
 *
 * <p><b>Exactly-once transactions across reconnects.</b> Every transaction first advances this producer's row in {@value #PROGRESS_TABLE} with a
 * compare-and-set, {@code UPDATE ... SET txn_seq = n WHERE producer_id = ? AND txn_seq = n - 1},
 * then applies its operations, then commits: the marker and the orders commit together or not at
 * all. When the connection breaks (the database restarts, the network drops) the outcome of the
 * transaction in flight may be unknown; the producer reconnects with exponential backoff and runs
 * the <em>same</em> planned transaction again. Its compare-and-set then decides: one row updated
 * means the first attempt did not commit, so it is applied now; no row updated with the marker
 * already at {@code n} means the first attempt committed, so the retry is rolled back and counted
 * as done. The update also takes the marker's row lock, so a retry waits for a zombie session of
 * the first attempt to finish instead of racing it. Any other marker value means another process
 * uses the same producer id: the producer fails. After a reconnect the model of open orders is
 * reloaded from the table.
 *
 * <p>A run resumes the sequence stored for its producer id, so reruns against the same table are
 * fine; two producers writing at once need distinct producer ids.
 */
public final class OrdersProducer implements Producer {

  /** The marker table (in the orders table's schema). */
  public static final String PROGRESS_TABLE = "tributary_producer_progress";

  private static final String OPEN_STATUSES = "('pending', 'paid', 'shipped')";

  private final OrdersConfig config;
  private final Consumer<String> notices;
  private final OrderGenerator generator;
  private final Backoff backoff;
  private final String table;
  private final String progressTable;

  private final Counters produced = new Counters("insert", "update", "delete");
  private final Counters details = new Counters("txns", "reconnects", "missed");
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean stopRequested;
  private volatile long startNanos;
  private volatile long endNanos;

  private Connection connection;
  private long lastSeq;
  /** Test seam: wraps every new connection (e.g. to lose a commit acknowledgement). */
  private java.util.function.UnaryOperator<Connection> connectionDecorator = c -> c;

  /** A producer that reports nothing while running (read {@link #stats()}). */
  public OrdersProducer(OrdersConfig config) {
    this(config, message -> { });
  }

  /**
   * @param notices receives one-line notices from the producer thread (connection lost,
   *     reconnected); must not block
   */
  public OrdersProducer(OrdersConfig config, Consumer<String> notices) {
    this.config = Objects.requireNonNull(config);
    this.notices = Objects.requireNonNull(notices);
    this.generator = new OrderGenerator(config.seed(), config.mix(), config.maxTrackedOrders());
    this.backoff = config.backoff().start(config.seed() ^ 0xB0FFL);
    this.table = config.table();
    int dot = table.indexOf('.');
    this.progressTable = dot < 0 ? PROGRESS_TABLE : table.substring(0, dot + 1) + PROGRESS_TABLE;
  }

  public OrdersConfig config() {
    return config;
  }

  /**
   * Connects, creates the schema unless disabled, and produces until the count or duration is
   * reached or {@link #stop()} is called.
   *
   * @throws ProducerException when the database cannot be reached at start, stays unreachable
   *     longer than the reconnect timeout, or rejects a statement
   */
  @Override
  public ProducerStats run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("an OrdersProducer runs once");
    }
    startNanos = System.nanoTime();
    long deadline = config.limits().deadlineNanos(startNanos);
    try {
      try {
        connection = open();
      } catch (SQLException e) {
        throw new ProducerException("cannot connect to " + OrdersConfig.redactUrl(config.jdbcUrl())
            + (config.user() == null ? "" : " as " + config.user()) + ": " + message(e), e);
      }
      setUp();
      Pacer pacer = new Pacer(config.rate());
      while (!stopRequested && System.nanoTime() < deadline) {
        long remaining = config.limits().remaining(producedTotal());
        if (remaining <= 0) {
          break;
        }
        int size = (int) Math.min(config.transactionSize(), remaining);
        if (!pacer.acquire(size, () -> stopRequested || System.nanoTime() >= deadline)) {
          break;
        }
        commit(generator.nextTransaction(size));
      }
      return stats();
    } finally {
      closeQuietly();
      endNanos = System.nanoTime();
    }
  }

  @Override
  public void stop() {
    stopRequested = true;
  }

  @Override
  public ProducerStats stats() {
    long start = startNanos;
    long end = endNanos != 0 ? endNanos : System.nanoTime();
    Duration elapsed = start == 0 ? Duration.ZERO : Duration.ofNanos(end - start);
    return new ProducerStats("orders", elapsed, produced.snapshot(), details.snapshot(), errors.get(), retries.get());
  }

  /** The id of the last committed transaction of this producer id (its marker value). */
  public long lastTransaction() {
    return lastSeq;
  }

  private long producedTotal() {
    return produced.get("insert") + produced.get("update") + produced.get("delete");
  }

  // ---- schema and model --------------------------------------------------------------------

  private void setUp() {
    try (Statement s = connection.createStatement()) {
      connection.setAutoCommit(true);
      if (config.createSchema()) {
        String base = table.substring(table.indexOf('.') + 1);
        s.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
            + "id bigserial PRIMARY KEY, product_name text, price numeric(10,2), quantity int, "
            + "customer_id bigint, status text, created_at timestamptz DEFAULT now(), updated_at timestamptz)");
        // CDC needs the old row image of updates and deletes.
        s.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
        s.execute("CREATE INDEX IF NOT EXISTS " + base + "_customer_id_idx ON " + table + " (customer_id)");
        s.execute("CREATE INDEX IF NOT EXISTS " + base + "_created_at_idx ON " + table + " (created_at)");
        // The producer (re)loads the open orders after every (re)connect.
        s.execute("CREATE INDEX IF NOT EXISTS " + base + "_open_idx ON " + table + " (id) WHERE status IN " + OPEN_STATUSES);
      } else if (!exists(table)) {
        throw new ProducerException("table " + table + " does not exist (run without --no-create to create it)");
      }
      if (!exists(progressTable)) {
        s.execute("CREATE TABLE IF NOT EXISTS " + progressTable + " (producer_id text PRIMARY KEY, "
            + "txn_seq bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
      }
      try (PreparedStatement p = connection.prepareStatement(
          "INSERT INTO " + progressTable + " (producer_id, txn_seq) VALUES (?, 0) ON CONFLICT (producer_id) DO NOTHING")) {
        p.setString(1, config.producerId());
        p.executeUpdate();
      }
      lastSeq = readSeq();
      reloadModel();
    } catch (SQLException e) {
      throw new ProducerException("cannot prepare table " + table + ": " + message(e), e);
    }
  }

  private boolean exists(String relation) throws SQLException {
    try (PreparedStatement p = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      p.setString(1, relation);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private long readSeq() throws SQLException {
    try (PreparedStatement p = connection.prepareStatement(
        "SELECT txn_seq FROM " + progressTable + " WHERE producer_id = ?")) {
      p.setString(1, config.producerId());
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw new ProducerException("the row of producer " + config.producerId() + " disappeared from " + progressTable);
        }
        return rs.getLong(1);
      }
    }
  }

  private void reloadModel() throws SQLException {
    connection.setAutoCommit(true);
    List<OrderGenerator.OpenOrder> open = new ArrayList<>();
    try (PreparedStatement p = connection.prepareStatement("SELECT id, status, quantity FROM " + table
        + " WHERE status IN " + OPEN_STATUSES + " ORDER BY id DESC LIMIT ?")) {
      p.setInt(1, config.maxTrackedOrders());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          open.add(new OrderGenerator.OpenOrder(rs.getLong(1), rs.getString(2), rs.getInt(3)));
        }
      }
    }
    generator.reload(open);
  }

  // ---- transactions ------------------------------------------------------------------------

  /** Commits {@code plan} exactly once, reconnecting as needed. */
  private void commit(List<OrderOp> plan) {
    long seq = lastSeq + 1;
    boolean reconnected = false;
    while (true) {
      try {
        if (connection == null) {
          connection = reconnect(seq);
          reconnected = true;
        }
        Attempt attempt = attempt(plan, seq);
        lastSeq = seq;
        if (attempt == null || reconnected || attempt.anyMissed()) {
          // Unknown or diverged state: the table is the truth.
          reloadModel();
        } else {
          generator.committed(plan, attempt.insertedIds);
        }
        for (int i = 0; i < plan.size(); i++) {
          if (attempt != null && attempt.missed[i]) {
            // The target row was gone (changed by someone else): nothing was written.
            details.increment("missed");
          } else {
            produced.increment(plan.get(i).type().counter());
          }
        }
        details.increment("txns");
        return;
      } catch (SQLException e) {
        if (!isTransient(e)) {
          throw new ProducerException("transaction " + seq + " failed: " + message(e), e);
        }
        errors.incrementAndGet();
        retries.incrementAndGet();
        notices.accept("database connection lost (" + message(e) + "); reconnecting");
        closeQuietly();
      }
    }
  }

  private static final class Attempt {
    final long[] insertedIds;
    /** Per operation: an update or delete that found no row. */
    final boolean[] missed;

    Attempt(long[] insertedIds, boolean[] missed) {
      this.insertedIds = insertedIds;
      this.missed = missed;
    }

    boolean anyMissed() {
      for (boolean m : missed) {
        if (m) {
          return true;
        }
      }
      return false;
    }
  }

  /** Runs one attempt; null when an earlier attempt of {@code seq} turns out to be committed. */
  private Attempt attempt(List<OrderOp> plan, long seq) throws SQLException {
    Connection c = connection;
    c.setAutoCommit(false);
    boolean done = false;
    try {
      try (PreparedStatement cas = c.prepareStatement("UPDATE " + progressTable
          + " SET txn_seq = ?, updated_at = now() WHERE producer_id = ? AND txn_seq = ?")) {
        cas.setLong(1, seq);
        cas.setString(2, config.producerId());
        cas.setLong(3, seq - 1);
        if (cas.executeUpdate() != 1) {
          long current = readSeq();
          c.rollback();
          done = true;
          if (current == seq) {
            return null;
          }
          throw new ProducerException("producer id '" + config.producerId() + "' is at transaction " + current
              + " in " + progressTable + ", expected " + (seq - 1)
              + ": is another producer running with the same id? (use --producer-id)");
        }
      }
      long[] ids = new long[plan.size()];
      int inserts = 0;
      boolean[] missed = new boolean[plan.size()];
      int index = 0;
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
              + " (product_name, price, quantity, customer_id, status, updated_at) VALUES (?, ?, ?, ?, ?, now()) RETURNING id");
          PreparedStatement update = c.prepareStatement("UPDATE " + table
              + " SET status = ?, quantity = ?, updated_at = now() WHERE id = ?");
          PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
        for (OrderOp op : plan) {
          int i = index++;
          switch (op.type()) {
            case INSERT:
              insert.setString(1, op.productName());
              insert.setBigDecimal(2, op.price());
              insert.setInt(3, op.quantity());
              insert.setLong(4, op.customerId());
              insert.setString(5, op.status());
              try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                ids[inserts++] = rs.getLong(1);
              }
              break;
            case UPDATE:
              update.setString(1, op.status());
              update.setInt(2, op.quantity());
              update.setLong(3, op.id());
              missed[i] = update.executeUpdate() != 1;
              break;
            default:
              delete.setLong(1, op.id());
              missed[i] = delete.executeUpdate() != 1;
          }
        }
      }
      c.commit();
      done = true;
      return new Attempt(java.util.Arrays.copyOf(ids, inserts), missed);
    } finally {
      if (!done) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // The connection is gone: the server rolls back.
        }
      }
    }
  }

  /** Reconnects with backoff until the reconnect timeout. */
  private Connection reconnect(long seq) {
    long deadline = System.nanoTime() + config.reconnectTimeout().toNanos();
    int attempt = 0;
    SQLException last = null;
    while (true) {
      attempt++;
      long wait = backoff.delay(attempt).toNanos();
      long until = System.nanoTime() + wait;
      while (System.nanoTime() < until && !stopRequested) {
        Pacer.sleepNanos(Math.min(until - System.nanoTime(), 50_000_000L));
      }
      if (stopRequested) {
        throw new ProducerException("stopped while the database was unreachable; transaction " + seq
            + " may or may not be committed (see " + progressTable + ")", last);
      }
      try {
        Connection c = open();
        details.increment("reconnects");
        notices.accept("reconnected after " + attempt + (attempt == 1 ? " attempt" : " attempts"));
        return c;
      } catch (SQLException e) {
        last = e;
        errors.incrementAndGet();
        if (System.nanoTime() > deadline) {
          throw new ProducerException("database unreachable for " + Durations.format(config.reconnectTimeout())
              + " (" + message(e) + "); transaction " + seq + " may or may not be committed (see "
              + progressTable + ")", e);
        }
      }
    }
  }

  private Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("ApplicationName", "tributary-producer");
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "60");
    p.setProperty("tcpKeepAlive", "true");
    if (config.user() != null) {
      p.setProperty("user", config.user());
    }
    if (config.password() != null) {
      p.setProperty("password", config.password());
    }
    p.putAll(config.jdbcProperties());
    // The driver directly (not DriverManager): works the same when embedded in another application.
    Connection c = new org.postgresql.Driver().connect(config.jdbcUrl(), p);
    if (c == null) {
      throw new SQLException("not a PostgreSQL JDBC URL: " + OrdersConfig.redactUrl(config.jdbcUrl()), "08001");
    }
    return connectionDecorator.apply(c);
  }

  /** For tests only: wraps every connection the producer opens. Call before {@link #run()}. */
  void decorateConnections(java.util.function.UnaryOperator<Connection> decorator) {
    this.connectionDecorator = Objects.requireNonNull(decorator);
  }

  private void closeQuietly() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Already broken.
      }
    }
  }

  /** Connection-level problems (and serialization failures) that a new attempt can fix. */
  static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
            || state.startsWith("40") || state.equals("55P03") || state.equals("57014"))) {
          return true;
        }
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** The first line of an exception's message. */
  static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }
}
