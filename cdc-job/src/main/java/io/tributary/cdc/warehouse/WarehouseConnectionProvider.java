package io.tributary.cdc.warehouse;

import io.tributary.delta.runtime.UserCodeResources;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse connection of one writer, opened with pgjdbc's driver directly. The connector's
 * {@code SimpleJdbcConnectionProvider} looks drivers up in {@code DriverManager} (its class
 * initializer calls {@code DriverManager.getDrivers()}, which loads every driver service visible to
 * the job's class loader): a job class loader created after the first one finds no driver there,
 * and one it registered keeps that class loader alive after the job ends.
 */
public final class WarehouseConnectionProvider implements JdbcConnectionProvider {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseConnectionProvider.class);

  private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

  static {
    // Loading the driver class registered it with DriverManager; job code never looks it up
    // there, and the registration would pin the job's class loader.
    if (UserCodeResources.loadedByJobClassLoader(WarehouseConnectionProvider.class)
        && org.postgresql.Driver.isRegistered()) {
      try {
        org.postgresql.Driver.deregister();
      } catch (SQLException e) {
        LOG.warn("Could not deregister the PostgreSQL JDBC driver from DriverManager", e);
      }
    }
  }

  private final WarehouseConfig config;
  private transient Connection connection;

  public WarehouseConnectionProvider(WarehouseConfig config) {
    this.config = config;
  }

  /** A new connection to the warehouse (the caller closes it). */
  public static Connection connect(WarehouseConfig config) throws SQLException {
    Connection c = DRIVER.connect(config.url(), config.connectionProperties());
    if (c == null) {
      throw new SQLException("Not a PostgreSQL JDBC URL (jdbc:postgresql://...)", "08001");
    }
    return c;
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public Properties getProperties() {
    // The connector asks only for XA; never hand the password out.
    return new Properties();
  }

  @Override
  public boolean isConnectionValid() throws SQLException {
    return connection != null && !connection.isClosed() && connection.isValid(10);
  }

  @Override
  public Connection getOrEstablishConnection() throws SQLException {
    if (!isConnectionValid()) {
      closeConnection();
      connection = connect(config);
    }
    return connection;
  }

  @Override
  public void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.warn("Closing the warehouse connection failed", e);
      } finally {
        connection = null;
      }
    }
  }

  @Override
  public Connection reestablishConnection() throws SQLException {
    closeConnection();
    return getOrEstablishConnection();
  }
}
