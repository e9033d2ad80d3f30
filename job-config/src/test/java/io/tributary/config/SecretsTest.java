package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

  private final Map<String, String> env = Map.of("PGPASSWORD", "from-default-env", "DB_PW", "from-env");
  private final Secrets secrets = new Secrets(env::get, Secrets.fixed(Map.of(
      "rds/orders", "{\"username\":\"app\",\"password\":\"from-json-secret\"}",
      "plain", "from-plain-secret")));

  @Test
  void secretsManagerWinsThenEnvThenLiteralThenDefaultEnv() {
    assertThat(resolve("--postgres.password.secret-id=rds/orders", "--postgres.password.env=DB_PW"))
        .isEqualTo("from-json-secret");
    assertThat(resolve("--postgres.password.secret-id=rds/orders", "--postgres.password.secret-field=username"))
        .isEqualTo("app");
    assertThat(resolve("--postgres.password.secret-id=plain")).isEqualTo("from-plain-secret");
    assertThat(resolve("--postgres.password.env=DB_PW", "--postgres.password=literal")).isEqualTo("from-env");
    assertThat(resolve("--postgres.password=literal")).isEqualTo("literal");
    assertThat(resolve()).isEqualTo("from-default-env");
  }

  @Test
  void missingSourcesAreReportedWithoutValues() {
    assertThat(new Secrets(k -> null, Secrets.fixed(Map.of())).resolve(JobParameters.fromArgs(), "postgres.password", "PGPASSWORD"))
        .isEmpty();
    assertThatThrownBy(() -> resolve("--postgres.password.env=NOPE"))
        .hasMessageContaining("NOPE").hasMessageContaining("not set");
    assertThatThrownBy(() -> resolve("--postgres.password.secret-id=rds/orders", "--postgres.password.secret-field=pw"))
        .hasMessageContaining("without the field 'pw'").hasMessageNotContaining("from-json-secret");
  }

  @Test
  void aSecretNeverPrintsItsValue() {
    Secret s = secrets.resolve(JobParameters.fromArgs("--postgres.password.env=DB_PW"), "postgres.password", null).orElseThrow();
    assertThat(s.toString()).doesNotContain("from-env").contains("env DB_PW");
  }

  private String resolve(String... args) {
    return secrets.resolve(JobParameters.fromArgs(args), "postgres.password", "PGPASSWORD").orElseThrow().reveal();
  }
}
