package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

  @TempDir Path dir;

  @Test
  void runsWithLogicalReplicationAndSurvivesRestartWithItsData() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().dataDirectory(dir.resolve("data")).build().start()) {
      pg.createDatabase("shop");
      try (Connection c = pg.connect("shop"); Statement s = c.createStatement()) {
        assertThat(single(s, "SHOW wal_level")).isEqualTo("logical");
        assertThat(single(s, "SHOW server_version")).startsWith("17.");
        s.execute("CREATE TABLE t(id int primary key)");
        s.execute("INSERT INTO t VALUES (1), (2)");
      }
      int port = pg.port();

      pg.stop();
      assertThat(pg.isRunning()).isFalse();
      assertThatThrownBy(() -> pg.connect("shop")).isInstanceOf(SQLException.class);

      pg.start();
      assertThat(pg.port()).isEqualTo(port);
      try (Connection c = pg.connect("shop"); Statement s = c.createStatement()) {
        assertThat(single(s, "SELECT count(*) FROM t")).isEqualTo("2");
      }
    }
    // A kept data directory is reused by a new server.
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().dataDirectory(dir.resolve("data")).build().start();
        Connection c = pg.connect("shop");
        Statement s = c.createStatement()) {
      assertThat(single(s, "SELECT count(*) FROM t")).isEqualTo("2");
    }
  }

  @Test
  void temporaryDataDirectoryIsDeletedOnClose() throws Exception {
    Path data;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().build().start()) {
      data = pg.dataDirectory();
      try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
        assertThat(single(s, "SELECT 1")).isEqualTo("1");
      }
    }
    assertThat(data).doesNotExist();
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
