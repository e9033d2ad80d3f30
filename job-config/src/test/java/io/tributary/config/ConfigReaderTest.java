package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
  private static final ConfigOption<Integer> PORT = ConfigOptions.key("db.port").intType().defaultValue(5432);
  private static final ConfigOption<Integer> SECRET_PIN = ConfigOptions.key("db.secret-pin").intType().noDefaultValue();
  private static final ConfigOption<String> NAME = ConfigOptions.key("db.name").stringType().noDefaultValue();

  @Test
  void collectsEveryProblemWithoutShowingSecrets() {
    ConfigReader r = new ConfigReader(JobParameters.of(Map.of(
        "db.port", "eighty", "db.secret-pin", "s3cr3t", "db.nmae", "x", "checkpoint.interval", "5 parsecs")));
    r.rejectUnknownKeys(new UnknownKeys(List.of("db.port", "db.name", "db.secret-pin"), List.of("db."), List.of()), "here");
    assertThat(r.get(PORT, 1)).isEqualTo(1);
    assertThat(r.get(SECRET_PIN)).isNull();
    assertThat(r.required(NAME, ": the database")).isNull();
    Duration interval = r.get(CheckpointOptions.INTERVAL);
    assertThat(interval).isNull();
    r.check(false, "a check failed");
    assertThat(r.problems()).hasSize(6);
    assertThatThrownBy(() -> r.throwIfAny("test"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("unknown option db.nmae (did you mean db.name?)")
        .hasMessageContaining("eighty")
        .hasMessageContaining("Invalid value for db.secret-pin (not shown)")
        .hasMessageContaining("db.name is required: the database")
        .hasMessageContaining("5 parsecs")
        .hasMessageContaining("a check failed")
        .message().doesNotContain("s3cr3t");
  }

  @Test
  void aSecretSourceThatFailsIsAProblemToo() {
    ConfigReader r = new ConfigReader(JobParameters.of(Map.of("db.password.env", "NOT_SET")));
    Secrets secrets = new Secrets(k -> null, Secrets.fixed(Map.of()));
    assertThat(r.secret(secrets, "db.password", null)).isEmpty();
    assertThat(r.problems()).singleElement().asString().contains("NOT_SET");
    r.problems().clear();
    r.throwIfAny("test"); // nothing left: no exception
  }
}
