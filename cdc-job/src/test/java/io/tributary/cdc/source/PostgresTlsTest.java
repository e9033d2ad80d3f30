package io.tributary.cdc.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.config.TestConfigs;
import io.tributary.config.JobParameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A local CA bundle with {@code verify-full} reaches both of the source's connections (Debezium's
 * and the job's own JDBC), and a bundle that is not there fails naming the option.
 */
class PostgresTlsTest {

  @Test
  void aLocalBundleReachesBothConnections() throws Exception {
    java.nio.file.Path bundle = java.nio.file.Files.createTempFile("ca", ".pem");
    try {
      Map<String, String> p = TestConfigs.minimal();
      p.put("postgres.sslmode", "VERIFY-FULL");
      p.put("postgres.sslrootcert", bundle.toString());
      CdcJobConfig c = CdcJobConfig.from(JobParameters.of(p), TestConfigs.NO_SECRETS);
      assertThat(c.sslMode()).isEqualTo("verify-full");
      assertThat(DebeziumSettings.forSource(c, c.tables(), true)).containsEntry("database.sslmode", "verify-full")
          .containsEntry("database.sslrootcert", bundle.toAbsolutePath().toString());
      assertThat(PostgresTls.jdbcProperties(c)).containsEntry("sslmode", "verify-full")
          .containsEntry("sslrootcert", bundle.toAbsolutePath().toString());
      p.put("postgres.sslrootcert", bundle + ".missing");
      CdcJobConfig missing = CdcJobConfig.from(JobParameters.of(p), TestConfigs.NO_SECRETS);
      assertThatThrownBy(() -> PostgresTls.jdbcProperties(missing))
          .hasMessageContaining("postgres.sslrootcert=" + bundle + ".missing: no readable file there");
    } finally {
      java.nio.file.Files.deleteIfExists(bundle);
    }
  }
}
