package io.tributary.cdc.source;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.Lsns;
import io.tributary.cdc.silver.TableName;
import io.tributary.delta.runtime.UserCodeResources;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's replication objects in PostgreSQL: the filtered publication ({@code FOR TABLE ...},
 * created when absent) and the logical slot (dropped to retire a job, or before the initial
 * snapshot of a job started without state). Also opens the job's plain JDBC connections.
 */
public final class ReplicationAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationAdmin.class);

  private ReplicationAdmin() {}

  /**
   * pgjdbc's driver, used directly: {@code DriverManager} only finds drivers registered by the
   * caller's class loader, and a job class loader created after the first one (a resubmission or
   * restore into a running cluster) would get "No suitable driver". The driver's class registers
   * itself with {@code DriverManager} anyway, which would keep the job's class loader alive;
   * {@link io.tributary.delta.runtime.UserCodeResources} deregisters it on release.
   */
  private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

  static {
    // Loading the driver class registered it with DriverManager, which would pin the job's class
    // loader (also main()'s in the JobManager, which gets no release hook). Job code never looks
    // drivers up there; code on the JVM class path (tests, tools) may, so it keeps its driver.
    if (UserCodeResources.loadedByJobClassLoader(ReplicationAdmin.class) && org.postgresql.Driver.isRegistered()) {
      try {
        org.postgresql.Driver.deregister();
      } catch (SQLException e) {
        LOG.warn("Could not deregister the PostgreSQL JDBC driver from DriverManager", e);
      }
    }
  }

  /** A JDBC connection as the configured user. */
  public static Connection connect(CdcJobConfig config) throws SQLException {
    Properties props = PostgresTls.jdbcProperties(config);
    props.setProperty("user", config.user());
    if (config.password() != null) {
      props.setProperty("password", config.password().reveal());
    }
    props.setProperty("ApplicationName", "tributary-cdc-job");
    props.setProperty("connectTimeout", "30");
    Connection c;
    try {
      c = DRIVER.connect(config.jdbcUrl(), props);
    } catch (SQLException e) {
      throw TlsFailures.explain(e, config);
    }
    if (c == null) {
      throw new SQLException("Not a PostgreSQL JDBC URL (jdbc:postgresql://...)", "08001");
    }
    return c;
  }

  /**
   * Makes sure the publication exists and covers every captured table: creates it {@code FOR
   * TABLE} the captured tables, or adds missing tables to one this job may change.
   *
   * @throws IllegalStateException when it lacks tables and may not be created or altered
   */
  public static void ensurePublication(Connection c, CdcJobConfig config) throws SQLException {
    String pub = config.publicationName();
    boolean exists;
    boolean allTables = false;
    try (PreparedStatement st = c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
      st.setString(1, pub);
      try (ResultSet rs = st.executeQuery()) {
        exists = rs.next();
        if (exists) {
          allTables = rs.getBoolean(1);
        }
      }
    }
    if (!exists) {
      if (!config.createPublication()) {
        throw new IllegalStateException("Publication " + pub + " does not exist and cdc.publication.create is false");
      }
      try (Statement st = c.createStatement()) {
        st.execute("CREATE PUBLICATION \"" + pub + "\" FOR TABLE " + tableList(config.tables()));
      }
      LOG.info("Created publication {} FOR TABLE {}", pub, config.tables());
      return;
    }
    if (allTables) {
      return;
    }
    Set<TableName> published = new TreeSet<>();
    try (PreparedStatement st = c.prepareStatement("SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
      st.setString(1, pub);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          published.add(new TableName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    List<TableName> missing = new ArrayList<>();
    for (TableName t : config.tables()) {
      if (!published.contains(t)) {
        missing.add(t);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    if (!config.createPublication()) {
      throw new IllegalStateException("Publication " + pub + " lacks the captured tables " + missing);
    }
    try (Statement st = c.createStatement()) {
      st.execute("ALTER PUBLICATION \"" + pub + "\" ADD TABLE " + tableList(missing));
    }
    LOG.info("Added {} to publication {}", missing, pub);
  }

  private static String tableList(List<TableName> tables) {
    StringBuilder b = new StringBuilder();
    for (TableName t : tables) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(t.quoted());
    }
    return b.toString();
  }

  /** The slot's {@code confirmed_flush_lsn} (where a restored job resumes), or "absent". */
  public static String slotPosition(Connection c, String slot) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
      st.setString(1, slot);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : "absent";
      }
    }
  }

  /** The slot's {@code confirmed_flush_lsn}, or empty when the slot is absent or has none yet. */
  public static java.util.OptionalLong confirmedFlushLsn(Connection c, String slot) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
      st.setString(1, slot);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(Lsns.parse(rs.getString(1)));
      }
    }
  }

  /** Whether the slot exists. */
  public static boolean slotExists(Connection c, String slot) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
      st.setString(1, slot);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Drops the slot if it exists, waiting up to {@code timeoutMillis} for a previous reader (a
   * failed attempt of this job still shutting down) to release it.
   *
   * @return true if a slot was dropped
   */
  public static boolean dropSlot(Connection c, String slot, long timeoutMillis) throws SQLException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      Integer activePid = null;
      boolean exists = false;
      try (PreparedStatement st = c.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
        st.setString(1, slot);
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            exists = true;
            int pid = rs.getInt(1);
            activePid = rs.wasNull() ? null : pid;
          }
        }
      }
      if (!exists) {
        return false;
      }
      if (activePid == null) {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
          st.setString(1, slot);
          st.execute();
          LOG.warn("Dropped replication slot {}", slot);
          return true;
        } catch (SQLException e) {
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
        }
      } else if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("Replication slot " + slot + " is in use by backend " + activePid
            + "; stop the job that reads it first");
      }
      Thread.sleep(250);
    }
  }
}
