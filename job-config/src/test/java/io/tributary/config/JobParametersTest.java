package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobParametersTest {

  @TempDir Path dir;

  @Test
  void argumentsOverrideTheFilesTheyName() throws Exception {
    Path file = dir.resolve("job.properties");
    Files.writeString(file, "lake.path=/tmp/lake\ncheckpoint.interval = 5 s\npostgres.port=5432\n");
    JobParameters p = JobParameters.fromArgs("--config", file.toString(), "--postgres.port=6543", "--tables", "public.a,public.b");
    assertThat(p.asMap()).containsEntry("lake.path", "/tmp/lake")
        .containsEntry("postgres.port", "6543")
        .containsEntry("tables", "public.a,public.b");
    assertThat(p.get(CheckpointOptions.INTERVAL)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badArgumentsAndValuesSayWhatIsWrong() {
    assertThatThrownBy(() -> JobParameters.fromArgs("lake")).hasMessageContaining("Unexpected argument 'lake'");
    assertThatThrownBy(() -> JobParameters.fromArgs("--lake.path")).hasMessageContaining("Missing value for --lake.path");
    assertThatThrownBy(() -> JobParameters.fromArgs("--config", dir.resolve("nope").toString()))
        .hasMessageContaining("Cannot read configuration file");
    assertThatThrownBy(() -> JobParameters.fromArgs("--checkpoint.interval=soon").get(CheckpointOptions.INTERVAL))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("checkpoint.interval");
  }

  @Test
  void managedFlinkGroupsBecomeKeyPrefixes() throws Exception {
    // The file format Managed Flink writes, read by its own runtime library.
    Path file = dir.resolve("application_properties.json");
    Files.writeString(file, "[{\"PropertyGroupId\":\"postgres\",\"PropertyMap\":{\"hostname\":\"db\",\"port\":\"5432\"}},"
        + "{\"PropertyGroupId\":\"tributary\",\"PropertyMap\":{\"lake.path\":\"s3a://lake/silver\"}}]");
    Map<String, String> flat = JobParameters.flattenGroups(KinesisAnalyticsRuntime.getApplicationProperties(file.toString()));
    assertThat(flat).containsOnly(
        Map.entry("postgres.hostname", "db"), Map.entry("postgres.port", "5432"), Map.entry("lake.path", "s3a://lake/silver"));
  }

  @Test
  void onManagedFlinkTheBundledRuntimeReadsThePropertiesFile() throws Exception {
    Path file = dir.resolve("application_properties.json");
    Files.writeString(file, "[{\"PropertyGroupId\":\"tributary\",\"PropertyMap\":{\"lake.path\":\"s3a://lake/silver\"}}]");
    assertThat(JobParameters.ManagedFlinkProperties.read(file)).containsOnly(Map.entry("lake.path", "s3a://lake/silver"));
    assertThat(JobParameters.ManagedFlinkProperties.read(dir.resolve("absent.json"))).isEmpty();
  }

  @Test
  void onManagedFlinkAMissingRuntimeOrABadFileFailsInsteadOfSkippingTheProperties() throws Exception {
    Path file = dir.resolve("application_properties.json");
    Files.writeString(file, "[]");
    assertThatThrownBy(() -> JobParameters.ManagedFlinkProperties.read(file, f -> {
          throw new NoClassDefFoundError("com/amazonaws/services/kinesisanalytics/runtime/KinesisAnalyticsRuntime");
        }))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("lacks aws-kinesisanalytics-runtime");
    Files.writeString(file, "{not json");
    assertThatThrownBy(() -> JobParameters.ManagedFlinkProperties.read(file))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Cannot read Managed Flink runtime properties from " + file);
  }

  @Test
  void outsideManagedFlinkOnlyArgumentsCount() {
    assertThat(JobParameters.load("--a=1").asMap()).containsExactly(Map.entry("a", "1"));
  }

  @Test
  void toStringHidesSecrets() {
    JobParameters p = JobParameters.fromArgs("--postgres.password=hunter2", "--postgres.password.env=PGPASSWORD",
        "--aws.secret-key=abc", "--postgres.user=app");
    assertThat(p.toString()).doesNotContain("hunter2").doesNotContain("abc")
        .contains("postgres.password.env=PGPASSWORD").contains("postgres.user=app");
  }

  @Test
  void checkpointingIsExactlyOnceAtTheConfiguredInterval() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    CheckpointOptions.apply(JobParameters.fromArgs("--checkpoint.interval=2s"), env);
    assertThat(env.getCheckpointInterval()).isEqualTo(2000);
    assertThat(env.getCheckpointConfig().getCheckpointingConsistencyMode().name()).isEqualTo("EXACTLY_ONCE");
    assertThatThrownBy(() -> CheckpointOptions.apply(JobParameters.fromArgs("--checkpoint.interval=0ms"), env))
        .hasMessageContaining("at least 10 ms");
  }

  @Test
  void theBuilderWritesTypedValuesThatReadBackEqual() {
    java.time.Duration interval = java.time.Duration.ofMillis(1500);
    JobParameters p = JobParameters.builder()
        .set(CheckpointOptions.INTERVAL, interval)
        .set(CheckpointOptions.TOLERABLE_FAILURES, 7)
        .set(LakeOptions.LAKE_PATH, "/lake/")
        .set(LakeOptions.SINK_PREFIX, CheckpointOptions.TIMEOUT, java.time.Duration.ofMinutes(2))
        .setRaw(Secrets.envKey("postgres.password"), "PGPASSWORD")
        .build();
    assertThat(p.get(CheckpointOptions.INTERVAL)).isEqualTo(interval);
    assertThat(p.get(CheckpointOptions.TOLERABLE_FAILURES)).isEqualTo(7);
    assertThat(p.raw("lake.path")).isEqualTo("/lake/");
    assertThat(p.withPrefix(LakeOptions.SINK_PREFIX)).containsKey(CheckpointOptions.TIMEOUT.key());
    assertThat(p.raw("postgres.password.env")).isEqualTo("PGPASSWORD");
  }
}
