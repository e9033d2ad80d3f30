package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.cdc.CdcTestSupport.await;
import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code postgres.sslmode=verify-full} against a real PostgreSQL serving TLS with a certificate
 * signed by a throwaway CA made at test time (openssl): with that CA as {@code
 * postgres.sslrootcert} the job snapshots and streams over verified TLS sessions (the replication
 * session included); with another CA, or with a host name the certificate does not name, it
 * refuses to start and says which option to check.
 */
class PostgresTlsITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(1);

  @TempDir static Path certs;
  @TempDir Path tmp;

  private static EmbeddedPostgres pg;

  @BeforeAll
  static void startTlsPostgres() throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
        "-subj", "/CN=Tributary test CA");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.crt", "-days", "2",
        "-subj", "/CN=Some other CA");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    Files.write(certs.resolve("server.ext"), List.of("subjectAltName=IP:127.0.0.1", "basicConstraints=CA:FALSE",
        "extendedKeyUsage=serverAuth"), StandardCharsets.UTF_8);
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
    Files.setPosixFilePermissions(certs.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
    pg = EmbeddedPostgres.builder()
        .setting("ssl", "on")
        .setting("ssl_cert_file", certs.resolve("server.crt").toString())
        .setting("ssl_key_file", certs.resolve("server.key").toString())
        .build().start();
    pg.createDatabase("tls");
    try (Connection c = pg.connect("tls")) {
      sql(c, "CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL)",
          "INSERT INTO items SELECT g, g FROM generate_series(1, 10) g");
    }
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void verifyFullWithTheRightCaCapturesOverVerifiedTls(@InjectClusterClient ClusterClient<?> client) throws Exception {
    CdcJobConfig config = CdcTestSupport.config(pg, "tls", tmp.resolve("lake"), "items", "tls_slot",
        Map.of("postgres.sslmode", "verify-full", "postgres.sslrootcert", certs.resolve("ca.crt").toString()));
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config).sinkTo(new DiscardingSink<>()).uid("discard").setParallelism(1);
    JobID job = env.executeAsync("tls").getJobID();
    try {
      String table = config.tablePath(TableName.parse("items"));
      CdcTestSupport.awaitValue("snapshot rows", Duration.ofSeconds(90), () -> CdcTestSupport.silver(table).size(), n -> n >= 10);
      try (Connection c = pg.connect("tls")) {
        sql(c, "UPDATE items SET v = -1 WHERE id = 1");
      }
      CdcTestSupport.awaitValue("the streamed update", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table).size(), n -> n >= 11);
      try (Connection c = pg.connect("tls"); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT s.ssl FROM pg_stat_replication r JOIN pg_stat_ssl s ON s.pid = r.pid "
              + "JOIN pg_replication_slots sl ON sl.active_pid = r.pid WHERE sl.slot_name = 'tls_slot'")) {
        assertThat(rs.next()).as("the job's walsender").isTrue();
        assertThat(rs.getBoolean(1)).as("the replication session uses TLS").isTrue();
      }
    } finally {
      client.cancel(job).get();
      await("job cancelled", Duration.ofSeconds(30), () -> {
        try {
          return client.getJobStatus(job).get() == JobStatus.CANCELED;
        } catch (Exception e) {
          return false;
        }
      });
    }
  }

  @Test
  void verifyFullWithAnotherCaRefusesClearly() {
    CdcJobConfig config = CdcTestSupport.config(pg, "tls", tmp.resolve("lake"), "items", "tls_slot_wrong",
        Map.of("postgres.sslmode", "verify-full", "postgres.sslrootcert", certs.resolve("other.crt").toString()));
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    assertThatThrownBy(() -> CdcPipeline.addTo(env, config))
        .hasMessageContaining("PostgreSQL TLS failure at 127.0.0.1")
        .hasMessageContaining("postgres.sslrootcert (" + certs.resolve("other.crt") + ") holds the CA");
  }

  @Test
  void verifyFullRefusesAHostNameTheCertificateDoesNotName() {
    // localhost reaches the same server, but the certificate names only 127.0.0.1.
    Map<String, String> options = Map.of("postgres.host", "localhost", "postgres.sslmode", "verify-full",
        "postgres.sslrootcert", certs.resolve("ca.crt").toString());
    CdcJobConfig config = CdcTestSupport.config(pg, "tls", tmp.resolve("lake"), "items", "tls_slot_host", options);
    assertThatThrownBy(() -> ReplicationAdmin.connect(config).close())
        .hasMessageContaining("PostgreSQL TLS failure at localhost")
        .hasMessageContaining("postgres.host (localhost) is a name in the certificate");
    // verify-ca checks the chain only, so the same session is accepted.
    Map<String, String> caOnly = Map.of("postgres.host", "localhost", "postgres.sslmode", "verify-ca",
        "postgres.sslrootcert", certs.resolve("ca.crt").toString());
    CdcJobConfig verifyCa = CdcTestSupport.config(pg, "tls", tmp.resolve("lake"), "items", "tls_slot_host", caOnly);
    org.assertj.core.api.Assertions.assertThatCode(() -> ReplicationAdmin.connect(verifyCa).close()).doesNotThrowAnyException();
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }
}
