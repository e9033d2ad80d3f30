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
}
