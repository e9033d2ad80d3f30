package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

  /** What the deploy workflow passes when the GitHub variable POSTGRES_HOST is not set. */
  @Test
  void anEmptyPostgresHostWithoutDemoDatabaseFailsAtSynthWithWhatToSet() {
    for (String env : new String[] {"staging", "production"}) {
      assertThatThrownBy(() -> EnvironmentConfig.load(env, Map.of(env + ".postgres.host", "")::get))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(env + ".postgres.host is empty")
          .hasMessageContaining("POSTGRES_HOST")
          .hasMessageContaining("-c " + env + ".postgres.host=<host>");
    }
  }

  @Test
  void aHostOrNoKeyOrTheDemoDatabaseIsFine() {
    assertThat(EnvironmentConfig.load("production", Map.of("production.postgres.host", "db.internal")::get)
        .get("postgres.host")).isEqualTo("db.internal");
    // No key at all: the stack takes the CloudFormation parameter PostgresHost (documented).
    assertThat(EnvironmentConfig.load("production", k -> null).get("postgres.host")).isEmpty();
    assertThat(EnvironmentConfig.load("develop", Map.of("develop.postgres.host", "")::get)
        .getBoolean("demo-database")).isTrue();
  }

  @Test
  void postgresTlsIsVerifyFullWithTheRdsBundleByDefault() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      PostgresTlsSetting tls = EnvironmentConfig.load(env, k -> null).postgresTls();
      assertThat(tls.sslMode()).isEqualTo("verify-full");
      assertThat(tls.sslRootCert()).isEmpty();
      assertThat(tls.fetchesRdsBundle()).isTrue();
    }
  }

  @Test
  void aBundleOfOnesOwnIsAnS3ObjectOrAJarResource() {
    PostgresTlsSetting own = EnvironmentConfig.load("production", Map.of(
        "production.postgres.sslrootcert", "s3://corp-pki/postgres/ca.pem")::get).postgresTls();
    assertThat(own.fetchesRdsBundle()).isFalse();
    assertThat(own.s3Object()).containsExactly("corp-pki", "postgres/ca.pem");
    PostgresTlsSetting jar = EnvironmentConfig.load("production", Map.of("production.postgres.sslmode", "verify-ca",
        "production.postgres.sslrootcert", "classpath:certs/ca.pem")::get).postgresTls();
    assertThat(jar.s3Object()).isNull();
    assertThat(jar.fetchesRdsBundle()).isFalse();
    PostgresTlsSetting require = EnvironmentConfig.load("staging", Map.of("staging.postgres.sslmode", "require")::get)
        .postgresTls();
    assertThat(require.fetchesRdsBundle()).isFalse();
  }

  @Test
  void wrongTlsSettingsFailAtSynthNamingTheKey() {
    assertThatThrownBy(() -> EnvironmentConfig.load("production", Map.of("production.postgres.sslmode", "strict")::get))
        .hasMessageContaining("production.postgres.sslmode must be one of [disable, allow, prefer, require, "
            + "verify-ca, verify-full], was 'strict'");
    assertThatThrownBy(() -> EnvironmentConfig.load("production", Map.of("production.postgres.sslmode", "prefer",
        "production.postgres.sslrootcert", "s3://corp-pki/ca.pem")::get))
        .hasMessageContaining("production.postgres.sslrootcert=s3://corp-pki/ca.pem is only used with "
            + "production.postgres.sslmode=verify-ca or verify-full");
    for (String bad : new String[] {"/etc/ca.pem", "s3://corp-pki/", "s3://corp-pki/certs/*", "https://x/ca.pem"}) {
      assertThatThrownBy(() -> EnvironmentConfig.load("staging", Map.of("staging.postgres.sslrootcert", bad)::get))
          .as(bad).hasMessageContaining("staging.postgres.sslrootcert=" + bad + ": on Managed Flink the CA bundle "
              + "must be an S3 object");
    }
  }
}
