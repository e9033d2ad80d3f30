package io.tributary.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EMR 7.x (7.7.0 or later: Flink 1.20) steps that run both jobs with {@code flink run-application -t yarn-application} (Flink
 * 1.20 on YARN, Java 17), with the same job configuration as on Managed Flink ({@link
 * JobProperties}, passed as {@code --key value}). Prints the JSON for
 * {@code aws emr add-steps --cluster-id <id> --steps file://steps.json}:
 *
 * <pre>
 * ./mvnw -q -f deploy/pom.xml compile exec:java -Dexec.mainClass=io.tributary.deploy.EmrSteps \
 *   -Dexec.args="--environment develop --region eu-west-1 --artifacts-bucket B --lake-bucket L \
 *                --stream tributary-web-events-develop --postgres-host H --postgres-secret-id tributary/develop/postgres \
 *                --release emr-7.13.0" \
 *   > steps.json
 * </pre>
 *
 * <p>Restoring from a savepoint (rolling upgrade): add {@code --events-savepoint s3://...} or
 * {@code --cdc-savepoint s3://...}. {@code --release} (the cluster's release label) must be
 * emr-7.13.0 or later; {@code --zookeeper-quorum host:2181,...} turns on ZooKeeper HA (the
 * cluster must run ZooKeeper), else a failed JobManager fails the application.
 *
 * <p>TLS to PostgreSQL: {@code --postgres-sslrootcert <bundle>} (e.g. the RDS CA bundle the stack
 * puts at {@code s3://<artifacts bucket>/certs/rds-global-bundle.pem}, read with the instance
 * profile, or a local path a bootstrap action filled) adds {@code postgres.sslmode verify-full}
 * (or {@code --postgres-sslmode}) and {@code postgres.sslrootcert}. Without it the cdc-job keeps
 * its default {@code prefer}, which verifies nothing.
 */
public final class EmrSteps {

  /** Java 17 on EMR 7 (Amazon Corretto). */
  public static final String JAVA_HOME = "/usr/lib/jvm/jre-17";

  /**
   * The oldest EMR 7 release the jobs run on. Flink loads {@code org.apache.hadoop.*} parent-first,
   * so the cluster's Hadoop replaces the one in the job jar; EMR 7.x before 7.13 ships Hadoop
   * 3.4.0/3.4.1, whose S3A lacks the conditional PUT (hadoop-aws 3.4.2) that the sink's S3 log
   * store needs, and the sink refuses to commit without it.
   */
  public static final int MIN_EMR_7_MINOR = 13;

  /** What differs per deployment. */
  public record Settings(
      String environment, String region, String artifactsBucket, String lakeBucket, String stream,
      String postgresHost, String postgresDatabase, String postgresUser, String postgresSecretId,
      String cdcTables, String version, int eventsParallelism, int cdcParallelism,
      String eventsSavepoint, String cdcSavepoint, String emrRelease, String zookeeperQuorum,
      String postgresSslMode, String postgresSslRootCert) {}

  private EmrSteps() {}

  /** The steps, as the EMR API's Step objects (Name, ActionOnFailure, HadoopJarStep). */
  public static List<Map<String, Object>> steps(Settings s) {
    String lakePath = "s3a://" + s.lakeBucket() + "/" + TributaryStack.SILVER_PREFIX;
    Map<String, String> events = JobProperties.flatten(JobProperties.events(
        new JobProperties.EventsInputs(s.stream(), s.region(), lakePath)));
    events.put(JobOptionKeys.Events.EVENTS_PARALLELISM, Integer.toString(s.eventsParallelism()));
    Map<String, String> cdc = JobProperties.flatten(JobProperties.cdc(new JobProperties.CdcInputs(
        s.postgresHost(), "5432", s.postgresDatabase(), s.postgresUser(), s.postgresSecretId(), s.region(),
        s.cdcTables(), lakePath, s.cdcParallelism(), s.postgresSslMode(), s.postgresSslRootCert())));
    List<Map<String, Object>> steps = new ArrayList<>();
    steps.add(step(s, "events-job", "io.tributary.eventsjob.EventsJob", s.eventsParallelism(), events,
        s.eventsSavepoint()));
    steps.add(step(s, "cdc-job", "io.tributary.cdc.CdcJob", s.cdcParallelism(), cdc, s.cdcSavepoint()));
    return steps;
  }

  private static Map<String, Object> step(Settings s, String job, String mainClass, int parallelism,
      Map<String, String> jobArgs, String savepoint) {
    String flinkState = "s3://" + s.artifactsBucket() + "/flink";
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("yarn.application.name", "tributary-" + job + "-" + s.environment());
    conf.put("parallelism.default", Integer.toString(parallelism));
    conf.put("execution.checkpointing.interval", (TributaryStack.CHECKPOINT_INTERVAL_MS / 1000) + "s");
    conf.put("execution.checkpointing.mode", "EXACTLY_ONCE");
    conf.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    conf.put("state.backend.type", "rocksdb");
    conf.put("state.backend.incremental", "true");
    conf.put("state.checkpoints.dir", flinkState + "/checkpoints/" + job + "-" + s.environment());
    conf.put("state.savepoints.dir", flinkState + "/savepoints/" + job + "-" + s.environment());
    if (s.zookeeperQuorum() != null && !s.zookeeperQuorum().isBlank()) {
      conf.put("high-availability.type", "zookeeper");
      conf.put("high-availability.zookeeper.quorum", s.zookeeperQuorum());
      conf.put("high-availability.storageDir", flinkState + "/ha/" + job + "-" + s.environment());
      conf.put("yarn.application-attempts", "10");
    } else {
      // Without HA a new application attempt would start the job without its checkpoints (from the
      // step's savepoint or from nothing): fail once and loudly instead, and restore from the latest
      // retained checkpoint (docs/deploy.md).
      conf.put("yarn.application-attempts", "1");
    }
    conf.put("restart-strategy.type", "exponential-delay");
    conf.put("env.java.home", JAVA_HOME);
    conf.put("containerized.master.env.JAVA_HOME", JAVA_HOME);
    conf.put("containerized.taskmanager.env.JAVA_HOME", JAVA_HOME);
    if (savepoint != null && !savepoint.isBlank()) {
      conf.put("execution.savepoint.path", savepoint);
      conf.put("execution.savepoint.ignore-unclaimed-state", "false");
    }
    List<String> args = new ArrayList<>(List.of("flink", "run-application", "-t", "yarn-application"));
    conf.forEach((k, v) -> args.add("-D" + k + "=" + v));
    args.add("-c");
    args.add(mainClass);
    args.add("s3://" + s.artifactsBucket() + "/jars/" + s.version() + "/tributary-" + job + "-" + s.version() + ".jar");
    jobArgs.forEach((k, v) -> {
      args.add("--" + k);
      args.add(v);
    });
    Map<String, Object> hadoopJarStep = new LinkedHashMap<>();
    hadoopJarStep.put("Jar", "command-runner.jar");
    hadoopJarStep.put("Args", args);
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("Name", "tributary-" + job + "-" + s.environment());
    step.put("ActionOnFailure", "CONTINUE");
    step.put("HadoopJarStep", hadoopJarStep);
    return step;
  }

  /** JSON of the steps for {@code aws emr add-steps --steps file://...}. */
  public static String toJson(List<Map<String, Object>> steps) {
    StringBuilder b = new StringBuilder("[\n");
    for (int i = 0; i < steps.size(); i++) {
      Map<String, Object> step = steps.get(i);
      @SuppressWarnings("unchecked")
      Map<String, Object> jar = (Map<String, Object>) step.get("HadoopJarStep");
      @SuppressWarnings("unchecked")
      List<String> args = (List<String>) jar.get("Args");
      b.append("  {\n    \"Name\": ").append(quote((String) step.get("Name")))
          .append(",\n    \"ActionOnFailure\": ").append(quote((String) step.get("ActionOnFailure")))
          .append(",\n    \"HadoopJarStep\": {\n      \"Jar\": ").append(quote((String) jar.get("Jar")))
          .append(",\n      \"Args\": [");
      for (int a = 0; a < args.size(); a++) {
        b.append(a == 0 ? "\n        " : ",\n        ").append(quote(args.get(a)));
      }
      b.append("\n      ]\n    }\n  }").append(i + 1 < steps.size() ? ",\n" : "\n");
    }
    return b.append("]\n").toString();
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Parses {@code --name value} options into settings; unknown or missing options fail. */
  public static Settings parse(String... argv) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("environment", null);
    o.put("region", null);
    o.put("artifacts-bucket", null);
    o.put("lake-bucket", null);
    o.put("stream", null);
    o.put("postgres-host", null);
    o.put("postgres-secret-id", null);
    o.put("postgres-database", "tributary");
    o.put("postgres-user", "tributary");
    o.put("cdc-tables", "public.orders");
    o.put("version", "0.1.0-SNAPSHOT");
    o.put("events-parallelism", "2");
    o.put("cdc-parallelism", "1");
    o.put("events-savepoint", "");
    o.put("cdc-savepoint", "");
    o.put("release", null);
    o.put("zookeeper-quorum", "");
    o.put("postgres-sslmode", "");
    o.put("postgres-sslrootcert", "");
    for (int i = 0; i < argv.length; i += 2) {
      String name = argv[i].startsWith("--") ? argv[i].substring(2) : argv[i];
      if (!o.containsKey(name) || i + 1 >= argv.length) {
        throw new IllegalArgumentException("Unknown option or missing value: " + argv[i] + "; options: " + o.keySet());
      }
      o.put(name, argv[i + 1]);
    }
    List<String> missing = new ArrayList<>();
    o.forEach((k, v) -> {
      if (v == null) {
        missing.add("--" + k);
      }
    });
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("Missing options: " + missing);
    }
    if (!EnvironmentConfig.ENVIRONMENTS.contains(o.get("environment"))) {
      throw new IllegalArgumentException("--environment must be one of " + EnvironmentConfig.ENVIRONMENTS);
    }
    return new Settings(o.get("environment"), o.get("region"), o.get("artifacts-bucket"), o.get("lake-bucket"),
        o.get("stream"), o.get("postgres-host"), o.get("postgres-database"), o.get("postgres-user"),
        o.get("postgres-secret-id"), o.get("cdc-tables"), o.get("version"),
        Integer.parseInt(o.get("events-parallelism")), Integer.parseInt(o.get("cdc-parallelism")),
        o.get("events-savepoint"), o.get("cdc-savepoint"), checkRelease(o.get("release")), o.get("zookeeper-quorum"),
        sslMode(o.get("postgres-sslmode"), o.get("postgres-sslrootcert")), o.get("postgres-sslrootcert").trim());
  }

  /**
   * The cdc-job's {@code postgres.sslmode}: as given, {@code verify-full} when only a bundle is
   * given, else empty (the job's default). Rejects what the job would reject at start.
   */
  static String sslMode(String mode, String rootCert) {
    String m = mode.trim();
    boolean hasBundle = !rootCert.trim().isEmpty();
    if (m.isEmpty()) {
      return hasBundle ? "verify-full" : "";
    }
    if (!PostgresTlsSetting.SSL_MODES.contains(m)) {
      throw new IllegalArgumentException("--postgres-sslmode must be one of " + PostgresTlsSetting.SSL_MODES
          + ", was '" + mode + "'");
    }
    if (m.startsWith("verify-") != hasBundle) {
      throw new IllegalArgumentException(hasBundle
          ? "--postgres-sslrootcert is only used with --postgres-sslmode verify-ca or verify-full, not " + m
          : "--postgres-sslmode " + m + " needs --postgres-sslrootcert (the CA bundle, for RDS the RDS CA bundle)");
    }
    return m;
  }

  /**
   * Accepts {@code emr-7.<minor>.<patch>} with minor at least {@link #MIN_EMR_7_MINOR} (or a later
   * major release); anything else fails with the reason.
   */
  static String checkRelease(String release) {
    Matcher m = Pattern.compile("emr-(\\d+)\\.(\\d+)\\.(\\d+)").matcher(release);
    if (!m.matches()) {
      throw new IllegalArgumentException("--release must be an EMR release label such as emr-7."
          + MIN_EMR_7_MINOR + ".0, was '" + release + "'");
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (major < 7 || (major == 7 && minor < MIN_EMR_7_MINOR)) {
      throw new IllegalArgumentException(release + " is too old: Flink loads the cluster's Hadoop (org.apache.hadoop.* "
          + "is parent-first) and EMR releases before emr-7." + MIN_EMR_7_MINOR + ".0 ship Hadoop 3.4.0/3.4.1, "
          + "without the S3 conditional PUT (hadoop-aws 3.4.2) the sink's S3 log store needs; it would refuse to "
          + "commit. Use emr-7." + MIN_EMR_7_MINOR + ".0 or later.");
    }
    return release;
  }

  public static void main(String[] args) {
    System.out.print(toJson(steps(parse(args))));
  }
}
