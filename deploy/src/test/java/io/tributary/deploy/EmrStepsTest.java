package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated EMR steps, checked offline as the EMR API and the Flink CLI will read them. */
class EmrStepsTest {

  static final String[] ARGS = {
    "--environment", "staging", "--region", "eu-west-1", "--artifacts-bucket", "art-bucket",
    "--lake-bucket", "lake-bucket", "--stream", "tributary-web-events-staging",
    "--postgres-host", "db.internal", "--postgres-secret-id", "tributary/staging/postgres",
    "--events-savepoint", "s3://art-bucket/flink/savepoints/events-job-staging/savepoint-1",
    "--release", "emr-7.13.0"
  };

  /** EMR releases whose Hadoop (loaded parent-first) has no S3 conditional PUT fail with the reason. */
  @Test
  void releasesWhoseHadoopLacksConditionalPutAreRefused() {
    for (String old : new String[] {"emr-7.7.0", "emr-7.12.0", "emr-6.15.0"}) {
      assertThatThrownBy(() -> EmrSteps.parse(replace(ARGS, "emr-7.13.0", old)))
          .hasMessageContaining(old + " is too old").hasMessageContaining("parent-first")
          .hasMessageContaining("hadoop-aws 3.4.2").hasMessageContaining("emr-7.13.0 or later");
    }
    assertThatThrownBy(() -> EmrSteps.parse(replace(ARGS, "emr-7.13.0", "7.13"))).hasMessageContaining("release label");
    assertThat(EmrSteps.parse(replace(ARGS, "emr-7.13.0", "emr-7.14.1")).emrRelease()).isEqualTo("emr-7.14.1");
    // Without the option: refused, not a silent default.
    List<String> without = new java.util.ArrayList<>(List.of(ARGS));
    without.subList(without.size() - 2, without.size()).clear();
    assertThatThrownBy(() -> EmrSteps.parse(without.toArray(new String[0]))).hasMessageContaining("--release");
  }

  /** ZooKeeper HA only with a quorum; else one attempt, so a lost JobManager never restarts without state. */
  @Test
  void highAvailabilityNeedsAQuorumAndIsOffWithoutOne() {
    for (Map<String, Object> step : EmrSteps.steps(EmrSteps.parse(ARGS))) {
      Map<String, String> d = dynamicProperties(args(step));
      assertThat(d).doesNotContainKey("high-availability.type").doesNotContainKey("high-availability.storageDir")
          .containsEntry("yarn.application-attempts", "1");
    }
    String[] withQuorum = java.util.stream.Stream.concat(java.util.Arrays.stream(ARGS),
        java.util.stream.Stream.of("--zookeeper-quorum", "10.0.0.1:2181,10.0.0.2:2181")).toArray(String[]::new);
    for (Map<String, Object> step : EmrSteps.steps(EmrSteps.parse(withQuorum))) {
      Map<String, String> d = dynamicProperties(args(step));
      assertThat(d).containsEntry("high-availability.type", "zookeeper")
          .containsEntry("high-availability.zookeeper.quorum", "10.0.0.1:2181,10.0.0.2:2181")
          .containsKey("high-availability.storageDir")
          .containsEntry("yarn.application-attempts", "10");
    }
  }

  @Test
  void stepsAreValidJsonForAwsEmrAddSteps() throws IOException {
    JsonNode steps = new ObjectMapper().readTree(EmrSteps.toJson(EmrSteps.steps(EmrSteps.parse(ARGS))));
    assertThat(steps.isArray()).isTrue();
    assertThat(steps).hasSize(2);
    for (JsonNode step : steps) {
      assertThat(fieldNames(step)).containsExactly("Name", "ActionOnFailure", "HadoopJarStep");
      assertThat(step.path("ActionOnFailure").asText()).isIn("CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER");
      assertThat(step.path("HadoopJarStep").path("Jar").asText()).isEqualTo("command-runner.jar");
    }
  }

  @Test
  void eachStepIsAFlinkApplicationOnYarnWithS3StateAndJava17() {
    List<Map<String, Object>> steps = EmrSteps.steps(EmrSteps.parse(ARGS));
    for (Map<String, Object> step : steps) {
      List<String> args = args(step);
      assertThat(args.subList(0, 4)).containsExactly("flink", "run-application", "-t", "yarn-application");
      Map<String, String> d = dynamicProperties(args);
      String job = ((String) step.get("Name")).replace("tributary-", "").replace("-staging", "");
      assertThat(d).containsEntry("state.checkpoints.dir", "s3://art-bucket/flink/checkpoints/" + job + "-staging")
          .containsEntry("state.savepoints.dir", "s3://art-bucket/flink/savepoints/" + job + "-staging")
          .containsEntry("execution.checkpointing.interval", "30s")
          .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
          .containsEntry("containerized.master.env.JAVA_HOME", "/usr/lib/jvm/jre-17")
          .containsEntry("containerized.taskmanager.env.JAVA_HOME", "/usr/lib/jvm/jre-17")
          .containsEntry("yarn.application.name", "tributary-" + job + "-staging");
      int c = args.indexOf("-c");
      assertThat(c).isPositive();
      // Every -D option comes before the main class, the jar right after it.
      assertThat(args.subList(4, c)).allMatch(a -> a.startsWith("-D") && a.contains("="));
      assertThat(args.get(c + 2)).isEqualTo("s3://art-bucket/jars/0.1.0-SNAPSHOT/tributary-" + job + "-0.1.0-SNAPSHOT.jar");
    }
    assertThat(args(steps.get(0))).contains("io.tributary.eventsjob.EventsJob")
        .contains("-Dexecution.savepoint.path=s3://art-bucket/flink/savepoints/events-job-staging/savepoint-1");
    assertThat(args(steps.get(1))).contains("io.tributary.cdc.CdcJob")
        .noneMatch(a -> a.startsWith("-Dexecution.savepoint.path"));
  }

  @Test
  void jobArgumentsAreTheSameKeysAsOnManagedFlink() throws IOException {
    List<Map<String, Object>> steps = EmrSteps.steps(EmrSteps.parse(ARGS));
    Map<String, String> events = jobArgs(args(steps.get(0)));
    Map<String, String> cdc = jobArgs(args(steps.get(1)));
    assertThat(events).containsEntry("kinesis.stream", "tributary-web-events-staging")
        .containsEntry("kinesis.region", "eu-west-1")
        .containsEntry("lake.path", "s3a://lake-bucket/silver");
    assertThat(cdc).containsEntry("postgres.host", "db.internal")
        .containsEntry("postgres.password.secret-id", "tributary/staging/postgres")
        .containsEntry("lake.path", "s3a://lake-bucket/silver");
    AcceptedKeys eventsKeys = AcceptedKeys.of("events-job");
    AcceptedKeys cdcKeys = AcceptedKeys.of("cdc-job");
    events.keySet().forEach(k -> assertThat(eventsKeys.accepts(k)).as("events-job key " + k).isTrue());
    cdc.keySet().forEach(k -> assertThat(cdcKeys.accepts(k)).as("cdc-job key " + k).isTrue());
  }

  @Test
  void aCaBundleTurnsOnVerifyFullAndWithoutOneTheJobDefaultStays() {
    String bundle = "s3://art-bucket/" + PostgresTlsSetting.RDS_BUNDLE_KEY;
    String[] withBundle = concat(ARGS, "--postgres-sslrootcert", bundle);
    Map<String, String> cdc = jobArgs(args(EmrSteps.steps(EmrSteps.parse(withBundle)).get(1)));
    assertThat(cdc).containsEntry("postgres.sslmode", "verify-full").containsEntry("postgres.sslrootcert", bundle);
    Map<String, String> verifyCa = jobArgs(args(EmrSteps.steps(EmrSteps.parse(
        concat(withBundle, "--postgres-sslmode", "verify-ca"))).get(1)));
    assertThat(verifyCa).containsEntry("postgres.sslmode", "verify-ca");
    Map<String, String> plain = jobArgs(args(EmrSteps.steps(EmrSteps.parse(ARGS)).get(1)));
    assertThat(plain).doesNotContainKeys("postgres.sslmode", "postgres.sslrootcert");

    assertThatThrownBy(() -> EmrSteps.parse(concat(ARGS, "--postgres-sslmode", "verify-full")))
        .hasMessageContaining("--postgres-sslmode verify-full needs --postgres-sslrootcert");
    assertThatThrownBy(() -> EmrSteps.parse(concat(withBundle, "--postgres-sslmode", "require")))
        .hasMessageContaining("--postgres-sslrootcert is only used with");
    assertThatThrownBy(() -> EmrSteps.parse(concat(ARGS, "--postgres-sslmode", "strict")))
        .hasMessageContaining("--postgres-sslmode must be one of");
  }

  private static String[] concat(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  @Test
  void missingOrUnknownOptionsAreRejected() {
    assertThatThrownBy(() -> EmrSteps.parse("--environment", "develop"))
        .hasMessageContaining("Missing options").hasMessageContaining("--lake-bucket");
    assertThatThrownBy(() -> EmrSteps.parse("--bucket", "x")).hasMessageContaining("Unknown option");
    assertThatThrownBy(() -> EmrSteps.parse(replace(ARGS, "staging", "qa"))).hasMessageContaining("--environment");
  }

  private static String[] replace(String[] args, String from, String to) {
    String[] copy = args.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i].equals(from)) {
        copy[i] = to;
      }
    }
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static List<String> args(Map<String, Object> step) {
    return (List<String>) ((Map<String, Object>) step.get("HadoopJarStep")).get("Args");
  }

  private static Map<String, String> dynamicProperties(List<String> args) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String a : args) {
      if (a.startsWith("-D")) {
        int eq = a.indexOf('=');
        result.put(a.substring(2, eq), a.substring(eq + 1));
      }
    }
    return result;
  }

  private static Map<String, String> jobArgs(List<String> args) {
    int jar = args.indexOf("-c") + 2;
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = jar + 1; i < args.size(); i += 2) {
      assertThat(args.get(i)).startsWith("--");
      result.put(args.get(i).substring(2), args.get(i + 1));
    }
    return result;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
