package io.tributary.cdc.warehouse;

import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.jdbc.internal.executor.JdbcBatchStatementExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the changes of one captured table into its warehouse table, for the connector's {@link
 * org.apache.flink.connector.jdbc.internal.JdbcOutputFormat} (which calls {@link #executeBatch} by
 * batch size, interval and at every checkpoint, and again after a failure with the same changes).
 *
 * <p>The connector's own executors prepare one SQL text for the writer's life; this one follows
 * the silver schema: a batch is written in runs of one schema, and before the first change of a
 * newer one the columns it adds are added to the table (and its view) and the statement
 * prepared anew (that DDL runs before and outside the batch's transaction). The changes of a batch
 * are written in one transaction, in arrival order; with {@link WarehouseDialect#collapsesBatch()}
 * only each key's newest is kept. Either way the position guard in the SQL makes the result
 * independent of order and repetition.
 */
final class WarehouseStatementExecutor implements JdbcBatchStatementExecutor<SilverRow> {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseStatementExecutor.class);

  private final WarehouseDialect dialect;
  private final String schema;
  private final List<SilverRow> batch = new ArrayList<>();
  /**
   * Prepared row statements by silver schema (by columns, not version number: a restarted source
   * numbers its schemas from 1 again), for the current connection.
   */
  private final Map<SilverSchema, PreparedStatement> statements = new HashMap<>();
  /** Silver schemas whose columns the warehouse table is known to have. */
  private final Set<SilverSchema> ready = new HashSet<>();
  private Connection connection;

  WarehouseStatementExecutor(WarehouseDialect dialect, String schema) {
    this.dialect = dialect;
    this.schema = schema;
  }

  @Override
  public void prepareStatements(Connection connection) throws SQLException {
    this.connection = connection;
    // One transaction per batch: one commit (one WAL flush) instead of one per change.
    connection.setAutoCommit(false);
    ready.clear(); // the dialect's per-connection preparation (Redshift's stage) is per connection
  }

  @Override
  public void addToBatch(SilverRow row) {
    batch.add(row);
  }

  @Override
  public void executeBatch() throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    List<SilverRow> rows = dialect.collapsesBatch() ? newestPerKey(batch) : batch;
    for (SilverRow row : rows) {
      if (!ready.contains(row.schema())) {
        prepare(new WarehouseTable(schema, row.schema()));
      }
    }
    try {
      int from = 0;
      while (from < rows.size()) {
        SilverSchema version = rows.get(from).schema();
        int to = from;
        while (to < rows.size() && sameSchema(rows.get(to).schema(), version)) {
          to++;
        }
        write(new WarehouseTable(schema, version), rows.subList(from, to));
        from = to;
      }
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    batch.clear();
  }

  /** Brings the table to {@code table}'s columns, outside the batch's transaction (DDL may race other writers). */
  private void prepare(WarehouseTable table) throws SQLException {
    connection.setAutoCommit(true);
    try {
      evolve(connection, dialect, table);
      run(dialect.prepare(table));
    } finally {
      connection.setAutoCommit(false);
    }
    closeStatement(table.silver());
    ready.add(table.silver());
  }

  private void write(WarehouseTable table, List<SilverRow> rows) throws SQLException {
    SilverSchema version = table.silver();
    PreparedStatement st = statements.get(version);
    if (st == null) {
      st = connection.prepareStatement(dialect.rowStatement(table));
      statements.put(version, st);
    }
    run(dialect.beforeRows(table));
    for (SilverRow row : rows) {
      RowBinder.bind(st, row);
      st.addBatch();
    }
    st.executeBatch();
    run(dialect.afterRows(table));
  }

  private void run(List<String> sql) throws SQLException {
    if (sql.isEmpty()) {
      return;
    }
    try (Statement st = connection.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /**
   * Creates the schema, table and view when absent and adds the source columns the table lacks
   * (an {@code ADD COLUMN} in the source). Safe to run concurrently and repeatedly.
   */
  static void evolve(Connection c, WarehouseDialect dialect, WarehouseTable table) throws SQLException {
    try (Statement st = c.createStatement()) {
      Set<String> existing = columns(c, table);
      if (existing.isEmpty()) {
        st.execute(dialect.createSchema(table.schema()));
        st.execute(dialect.createTable(table));
        existing = columns(c, table);
      }
      boolean added = false;
      for (var col : table.sourceColumns()) {
        if (!existing.contains(col.name())) {
          try {
            st.execute(dialect.addColumn(table, col.name()));
          } catch (SQLException e) {
            if (!columns(c, table).contains(col.name())) {
              throw e; // not a concurrent writer that added it first
            }
          }
          LOG.info("Warehouse table {}: added column {}", table, col.name());
          added = true;
        }
      }
      if (added || !viewExists(c, table)) {
        st.execute(dialect.createView(table));
      }
    }
  }

  private static Set<String> columns(Connection c, WarehouseTable table) throws SQLException {
    Set<String> names = new HashSet<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?")) {
      st.setString(1, table.schema());
      st.setString(2, table.name());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  private static boolean viewExists(Connection c, WarehouseTable table) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT 1 FROM information_schema.views WHERE table_schema = ? AND table_name = ?")) {
      st.setString(1, table.schema());
      st.setString(2, table.name() + "_current");
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Each key's newest change, in arrival order of those. */
  static List<SilverRow> newestPerKey(List<SilverRow> rows) {
    Map<String, SilverRow> newest = new LinkedHashMap<>();
    for (SilverRow row : rows) {
      String key = WarehouseKey.of(row);
      SilverRow seen = newest.get(key);
      if (seen == null || row.isAfter(seen.commitLsn(), seen.seq())) {
        newest.remove(key);
        newest.put(key, row);
      }
    }
    return new ArrayList<>(newest.values());
  }

  private static boolean sameSchema(SilverSchema a, SilverSchema b) {
    return a == b || a.equals(b);
  }

  private void closeStatement(SilverSchema version) throws SQLException {
    PreparedStatement st = statements.remove(version);
    if (st != null) {
      st.close();
    }
  }

  @Override
  public void closeStatements() throws SQLException {
    SQLException first = null;
    for (PreparedStatement st : statements.values()) {
      try {
        st.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    statements.clear();
    if (first != null) {
      throw first;
    }
  }
}
