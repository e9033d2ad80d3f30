package io.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.config.Secrets;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link OrdersProducer} and {@code produce orders} against a real PostgreSQL 17. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OrdersProducerITCase {

  @RegisterExtension
  static final PostgresExtension PG = new PostgresExtension();

  private static OrdersConfig.Builder config(String db) {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase(db);
    return OrdersConfig.builder().jdbcUrl(pg.jdbcUrl(db)).user(EmbeddedPostgres.SUPERUSER)
        .rate(Rate.UNLIMITED).backoff(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  @Test
  void countsProducedEqualCountsStoredAndTheMixHolds() throws Exception {
    ProducerStats stats = new OrdersProducer(config("counts").seed(1).count(3_000).transactionSize(5).build()).run();

    long inserts = stats.produced("insert");
    long updates = stats.produced("update");
    long deletes = stats.produced("delete");
    assertThat(stats.total()).isEqualTo(3_000);
    assertThat(stats.details()).containsEntry("txns", 600L).containsEntry("missed", 0L);
    assertThat(stats.errors()).isZero();
    assertThat(inserts / 3000.0).isCloseTo(0.6, within(0.04));
    assertThat(updates / 3000.0).isCloseTo(0.3, within(0.04));
    assertThat(deletes / 3000.0).isCloseTo(0.1, within(0.03));

    assertThat(query("counts", "SELECT count(*) FROM orders")).isEqualTo(inserts - deletes);
    assertThat(query("counts", "SELECT max(id) FROM orders")).isLessThanOrEqualTo(inserts);
    assertThat(query("counts", "SELECT txn_seq FROM tributary_producer_progress")).isEqualTo(600);
    // Every row change reached the table: PostgreSQL's own counters (flushed when the producer's
    // session ends, so poll briefly).
    String tuples = "SELECT n_tup_ins * 1000000000000 + n_tup_upd * 1000000 + n_tup_del FROM pg_stat_user_tables WHERE relname = 'orders'";
    long expected = inserts * 1_000_000_000_000L + updates * 1_000_000L + deletes;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (query("counts", tuples) != expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(query("counts", tuples)).isEqualTo(expected);

    // Schema: replica identity full, indexes, statuses of the lifecycle only, no timestamps missing.
    assertThat(text("counts", "SELECT relreplident::text FROM pg_class WHERE oid = 'orders'::regclass")).isEqualTo("f");
    assertThat(query("counts", "SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'")).isEqualTo(4);
    assertThat(query("counts", "SELECT count(*) FROM orders WHERE status NOT IN ('pending','paid','shipped','delivered')"
        + " OR created_at IS NULL OR updated_at IS NULL OR price <= 0 OR quantity < 1")).isZero();
    assertThat(query("counts", "SELECT count(DISTINCT status) FROM orders")).isEqualTo(4);
  }

  @Test
  void reconnectsAcrossADatabaseRestartWithoutLosingOrDoublingATransaction() throws Exception {
    OrdersConfig restartConfig = config("restart").seed(77).count(2_000).transactionSize(5).rate(Rate.perSecond(1_000)).build();
    OrdersProducer producer = new OrdersProducer(restartConfig);
    CompletableFuture<ProducerStats> run = producer.runInBackground("orders-producer");
    while (producer.stats().total() < 400 && !run.isDone()) {
      Thread.sleep(10);
    }
    PG.server().restart();
    ProducerStats stats = run.get(60, TimeUnit.SECONDS);

    assertThat(stats.details().get("reconnects")).isGreaterThanOrEqualTo(1);
    assertThat(stats.errors()).isGreaterThanOrEqualTo(1);
    assertThat(stats.total()).isEqualTo(2_000);
    assertThat(stats.details()).containsEntry("txns", 400L).containsEntry("missed", 0L);
    assertThat(query("restart", "SELECT count(*) FROM orders"))
        .isEqualTo(stats.produced("insert") - stats.produced("delete"));
    assertThat(query("restart", "SELECT txn_seq FROM tributary_producer_progress")).isEqualTo(400);

    // The same seed without a restart writes exactly the same rows, in the same order.
    ProducerStats reference = new OrdersProducer(config("reference").seed(77).count(2_000).transactionSize(5).build()).run();
    assertThat(reference.produced()).isEqualTo(stats.produced());
    assertThat(rows("restart")).isEqualTo(rows("reference"));
  }

  @Test
  void aCommitWhoseAcknowledgementIsLostIsCountedOnceAndNotReapplied() throws Exception {
    OrdersProducer producer = new OrdersProducer(config("lost_ack").seed(12).count(300).transactionSize(3).build());
    AtomicInteger commits = new AtomicInteger();
    // Every 25th commit really commits, then the connection "breaks" before the answer arrives.
    producer.decorateConnections(real -> (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          try {
            Object result = method.invoke(real, args);
            if (method.getName().equals("commit") && commits.incrementAndGet() % 25 == 0) {
              real.close();
              throw new SQLException("An I/O error occurred while sending to the backend (simulated)", "08006");
            }
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }));
    ProducerStats stats = producer.run();

    assertThat(stats.details().get("reconnects")).isEqualTo(4);
    assertThat(stats.total()).isEqualTo(300);
    assertThat(stats.details()).containsEntry("txns", 100L);
    assertThat(query("lost_ack", "SELECT txn_seq FROM tributary_producer_progress")).isEqualTo(100);
    assertThat(query("lost_ack", "SELECT count(*) FROM orders")).isEqualTo(stats.produced("insert") - stats.produced("delete"));
    new OrdersProducer(config("lost_ack_ref").seed(12).count(300).transactionSize(3).build()).run();
    assertThat(rowsWithIds("lost_ack")).isEqualTo(rowsWithIds("lost_ack_ref"));
  }

  @Test
  void sameSeedSameTable() throws Exception {
    new OrdersProducer(config("seed_a").seed(5).count(400).transactionSize(3).build()).run();
    new OrdersProducer(config("seed_b").seed(5).count(400).transactionSize(3).build()).run();
    new OrdersProducer(config("seed_c").seed(6).count(400).transactionSize(3).build()).run();
    assertThat(rowsWithIds("seed_a")).isEqualTo(rowsWithIds("seed_b"));
    assertThat(rowsWithIds("seed_a")).isNotEqualTo(rowsWithIds("seed_c"));
  }

  @Test
  void aRerunResumesAndAConcurrentProducerWithTheSameIdIsDetected() throws Exception {
    new OrdersProducer(config("resume").seed(1).count(30).build()).run();
    ProducerStats second = new OrdersProducer(config("resume").seed(2).count(20).transactionSize(2).build()).run();
    assertThat(second.details()).containsEntry("txns", 10L);
    assertThat(query("resume", "SELECT txn_seq FROM tributary_producer_progress")).isEqualTo(40);
    // Updates and deletes of the second run target the first run's orders too (model loaded from the table).
    assertThat(second.total()).isEqualTo(20);

    OrdersProducer producer = new OrdersProducer(config("resume").rate(Rate.perSecond(50)).build());
    CompletableFuture<ProducerStats> run = producer.runInBackground("orders-producer");
    while (producer.stats().total() < 5) {
      Thread.sleep(10);
    }
    exec("resume", "UPDATE tributary_producer_progress SET txn_seq = txn_seq + 1000");
    assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ProducerException.class)
        .hasMessageContaining("another producer running with the same id");
  }

  @Test
  void stopEndsARunWithoutLimitsAfterACommittedTransaction() throws Exception {
    OrdersProducer producer = new OrdersProducer(config("stop").seed(3).transactionSize(4).rate(Rate.perSecond(400)).build());
    CompletableFuture<ProducerStats> run = producer.runInBackground("orders-producer");
    while (producer.stats().total() < 40) {
      Thread.sleep(10);
    }
    producer.stop();
    ProducerStats stats = run.get(10, TimeUnit.SECONDS);
    assertThat(stats.total() % 4).isZero();
    assertThat(query("stop", "SELECT txn_seq FROM tributary_producer_progress")).isEqualTo(stats.total() / 4);
    assertThat(query("stop", "SELECT count(*) FROM orders")).isEqualTo(stats.produced("insert") - stats.produced("delete"));
  }

  @Test
  void rowsChangedBySomeoneElseAreCountedAsMissedAndTheModelIsReloaded() throws Exception {
    OrdersProducer producer = new OrdersProducer(config("missed").seed(8).mix(new OrderMix(40, 40, 20))
        .rate(Rate.perSecond(300)).count(300).build());
    CompletableFuture<ProducerStats> run = producer.runInBackground("orders-producer");
    while (producer.stats().total() < 60) {
      Thread.sleep(5);
    }
    long removed;
    try (Connection c = PG.server().connect("missed"); Statement s = c.createStatement()) {
      removed = s.executeUpdate("DELETE FROM orders");
    }
    ProducerStats stats = run.get(30, TimeUnit.SECONDS);
    assertThat(stats.total()).isEqualTo(300);
    assertThat(stats.details().get("missed")).isBetween(1L, 3L);
    assertThat(query("missed", "SELECT count(*) FROM orders"))
        .isEqualTo(stats.produced("insert") - stats.produced("delete") - removed);
  }

  @Test
  void durationLimitAndRate() {
    ProducerStats stats = new OrdersProducer(config("rate").seed(4).rate(Rate.perSecond(40)).duration(Duration.ofMillis(1500)).build()).run();
    // 40/s for 1.5 s: about 60 operations (the first one is not paced).
    assertThat(stats.total()).isBetween(45L, 66L);
  }

  @Test
  void noCreateFailsClearlyWhenTheTableIsMissing() {
    assertThatThrownBy(() -> new OrdersProducer(config("nocreate").createSchema(false).count(1).build()).run())
        .isInstanceOf(ProducerException.class)
        .hasMessage("table orders does not exist (run without --no-create to create it)");
  }

  @Test
  void commandLineRunWithAPasswordFromSecretsManager() throws Exception {
    PG.server().createDatabase("cli");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Secrets secrets = new Secrets(name -> null,
        Secrets.fixed(Map.of("prod/shop-db", "{\"username\":\"postgres\",\"password\":\"s3cr3t-value\"}")));
    ProduceCommand command = new ProduceCommand(name -> null, secrets, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    int exit = ProduceCommand.commandLine(command).execute("orders", "--jdbc-url", PG.server().jdbcUrl("cli"),
        "--password-secret-id", "prod/shop-db", "--jdbc-property", "sslmode=disable", "--table", "public.shop_orders",
        "--count", "50", "--rate", "max", "--seed", "9", "--txn-size", "5", "--mix", "70,20,10",
        "--progress-interval", "100ms");
    String output = out.toString(StandardCharsets.UTF_8);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(exit).isZero();
    assertThat(output).contains("password from secret prod/shop-db", "seed 9", "produce orders: done:", "total=50")
        .doesNotContain("s3cr3t-value");
    assertThat(query("cli", "SELECT count(*) FROM shop_orders")).isPositive();
    assertThat(query("cli", "SELECT txn_seq FROM public.tributary_producer_progress WHERE producer_id = 'orders-producer:public.shop_orders'"))
        .isEqualTo(10);
  }

  private static long query(String db, String sql) throws SQLException {
    try (Connection c = PG.server().connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(String db, String sql) throws SQLException {
    try (Connection c = PG.server().connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void exec(String db, String sql) throws SQLException {
    try (Connection c = PG.server().connect(db); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Row contents in id order, without the ids (sequence values may be skipped by rolled-back attempts). */
  private static List<String> rows(String db) throws SQLException {
    return list(db, "SELECT concat_ws('|', product_name, price, quantity, customer_id, status) FROM orders ORDER BY id");
  }

  private static List<String> rowsWithIds(String db) throws SQLException {
    return list(db, "SELECT concat_ws('|', id, product_name, price, quantity, customer_id, status) FROM orders ORDER BY id");
  }

  private static List<String> list(String db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = PG.server().connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
