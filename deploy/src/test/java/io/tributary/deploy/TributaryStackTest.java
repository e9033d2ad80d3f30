package io.tributary.deploy;

import static io.tributary.deploy.CdkTestSupport.json;
import static io.tributary.deploy.CdkTestSupport.list;
import static io.tributary.deploy.CdkTestSupport.render;
import static io.tributary.deploy.CdkTestSupport.resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The three environment stacks, synthesized once, checked resource by resource. */
class TributaryStackTest {

  static App app;
  static final Map<String, JsonNode> TEMPLATES = new LinkedHashMap<>();
  static final Map<String, Template> RAW = new LinkedHashMap<>();

  @BeforeAll
  static void synth() {
    app = CdkTestSupport.app(Map.of(), "cdk.out-test");
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Template t = Template.fromStack((software.amazon.awscdk.Stack) app.getNode().findChild("Tributary-" + env));
      RAW.put(env, t);
      TEMPLATES.put(env, json(t));
    }
  }

  // ---------------------------------------------------------------- Managed Flink applications

  @Test
  void everyEnvironmentHasBothFlinkApplicationsWithCheckpointsSnapshotsAndLogging() {
    Map<String, Integer> eventsParallelism = Map.of("develop", 1, "staging", 2, "production", 4);
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Template t = RAW.get(env);
      t.resourceCountIs("AWS::KinesisAnalyticsV2::Application", 2);
      t.resourceCountIs("AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption", 2);
      for (String job : List.of("events-job", "cdc-job")) {
        t.hasResourceProperties("AWS::KinesisAnalyticsV2::Application", Match.objectLike(Map.of(
            "ApplicationName", "tributary-" + job + "-" + env,
            "RuntimeEnvironment", "FLINK-1_20",
            "ApplicationConfiguration", Match.objectLike(Map.of(
                "ApplicationSnapshotConfiguration", Map.of("SnapshotsEnabled", true),
                "ApplicationCodeConfiguration", Match.objectLike(Map.of("CodeContentType", "ZIPFILE")),
                "FlinkApplicationConfiguration", Match.objectLike(Map.of(
                    "CheckpointConfiguration", Match.objectLike(Map.of(
                        "ConfigurationType", "CUSTOM", "CheckpointingEnabled", true,
                        "CheckpointInterval", 30000)),
                    "MonitoringConfiguration", Match.objectLike(Map.of("LogLevel", "INFO")))))),
            "RunConfiguration", Match.objectLike(Map.of("ApplicationRestoreConfiguration",
                Map.of("ApplicationRestoreType", "RESTORE_FROM_LATEST_SNAPSHOT"))))));
      }
      t.hasResourceProperties("AWS::KinesisAnalyticsV2::Application", Match.objectLike(Map.of(
          "ApplicationName", "tributary-events-job-" + env,
          "ApplicationConfiguration", Match.objectLike(Map.of("FlinkApplicationConfiguration", Match.objectLike(Map.of(
              "ParallelismConfiguration", Match.objectLike(Map.of(
                  "ConfigurationType", "CUSTOM", "Parallelism", eventsParallelism.get(env))))))))));
      assertThat(resources(TEMPLATES.get(env), "AWS::Logs::LogGroup").values())
          .extracting(r -> r.path("Properties").path("LogGroupName").asText())
          .contains("/aws/kinesis-analytics/tributary-events-job-" + env,
              "/aws/kinesis-analytics/tributary-cdc-job-" + env);
    }
  }

  @Test
  void onlyTheCdcJobRunsInTheVpcAndOnlyItReadsTheSecret() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Map<String, JsonNode> apps = byName(TEMPLATES.get(env));
      JsonNode cdc = apps.get("tributary-cdc-job-" + env).path("Properties").path("ApplicationConfiguration");
      JsonNode events = apps.get("tributary-events-job-" + env).path("Properties").path("ApplicationConfiguration");
      assertThat(cdc.path("VpcConfigurations").get(0).path("SubnetIds").size()).isEqualTo(2);
      assertThat(cdc.path("VpcConfigurations").get(0).path("SecurityGroupIds").size()).isEqualTo(1);
      assertThat(events.has("VpcConfigurations")).isFalse();
    }
  }

  @Test
  void propertyGroupsUseTheJobsTypedConfigurationKeys() throws IOException {
    AcceptedKeys eventsKeys = AcceptedKeys.of("events-job");
    AcceptedKeys cdcKeys = AcceptedKeys.of("cdc-job");
    assertThat(eventsKeys.keys()).contains("kinesis.stream", "lake.path", "checkpoint.interval", "sink.manifest.enabled");
    assertThat(cdcKeys.keys()).contains("postgres.host", "postgres.database", "lake.path", "postgres.password.secret-id");
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Map<String, JsonNode> apps = byName(TEMPLATES.get(env));
      Map<String, String> events = flatten(apps.get("tributary-events-job-" + env));
      Map<String, String> cdc = flatten(apps.get("tributary-cdc-job-" + env));
      assertThat(events).containsKeys("kinesis.stream", "kinesis.region", "lake.path");
      assertThat(events.get("lake.path")).startsWith("s3a://<Ref:LakeBucket").endsWith("/silver");
      assertThat(cdc).containsKeys("postgres.host", "postgres.port", "postgres.database", "postgres.user",
          "postgres.password.secret-id", "cdc.tables", "lake.path", "parallelism");
      assertThat(cdc.get("postgres.password.secret-id")).startsWith("<Ref:PostgresSecret");
      for (String key : events.keySet()) {
        assertThat(eventsKeys.accepts(key)).as("events-job key %s", key).isTrue();
      }
      for (String key : cdc.keySet()) {
        assertThat(cdcKeys.accepts(key)).as("cdc-job key %s", key).isTrue();
      }
    }
  }

  @Test
  void theWarehouseSecretIsReadByTheCdcJobOnlyAndItsKeysAreTheJobs() throws IOException {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      assertThat(resources(TEMPLATES.get(env), "AWS::SecretsManager::Secret")).as(env + " without warehouse.tables")
          .hasSize(1);
    }
    App withWarehouse = CdkTestSupport.app(Map.of("develop.warehouse.tables", "public.orders",
        "develop.warehouse.url", "jdbc:postgresql://dwh.internal:5439/analytics",
        "develop.warehouse.dialect", "redshift"), "cdk.out-test-warehouse");
    JsonNode t = json(Template.fromStack((software.amazon.awscdk.Stack) withWarehouse.getNode().findChild("Tributary-develop")));
    Map<String, JsonNode> secrets = resources(t, "AWS::SecretsManager::Secret");
    String secretId = secrets.entrySet().stream()
        .filter(e -> e.getValue().path("Properties").path("Name").asText().equals("tributary/develop/warehouse"))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    assertThat(secrets.get(secretId).path("Properties").has("KmsKeyId")).isTrue();

    JsonNode cdc = byName(t).get("tributary-cdc-job-develop");
    String cdcRole = cdc.path("Properties").path("ServiceExecutionRole").path("Fn::GetAtt").get(0).asText();
    List<String> readers = new ArrayList<>();
    resources(t, "AWS::IAM::Policy").forEach((id, policy) -> {
      if (policy.path("Properties").path("PolicyDocument").toString().contains("\"" + secretId + "\"")) {
        policy.path("Properties").path("Roles").forEach(r -> readers.add(r.path("Ref").asText()));
      }
    });
    assertThat(readers).as("roles that may read the warehouse secret").containsExactly(cdcRole);

    Map<String, String> keys = flatten(cdc);
    assertThat(keys).containsEntry("warehouse.tables", "public.orders")
        .containsEntry("warehouse.url", "jdbc:postgresql://dwh.internal:5439/analytics")
        .containsEntry("warehouse.dialect", "redshift")
        .containsEntry("warehouse.password.secret-field", "password");
    assertThat(keys.get("warehouse.password.secret-id")).startsWith("<Ref:" + secretId);
    AcceptedKeys cdcKeys = AcceptedKeys.of("cdc-job");
    keys.keySet().forEach(k -> assertThat(cdcKeys.accepts(k)).as("cdc-job key %s", k).isTrue());
  }

  private static Map<String, String> flatten(JsonNode app) {
    Map<String, String> result = new TreeMap<>();
    for (JsonNode group : app.path("Properties").path("ApplicationConfiguration").path("EnvironmentProperties")
        .path("PropertyGroups")) {
      String id = group.path("PropertyGroupId").asText();
      group.path("PropertyMap").fields().forEachRemaining(e -> result.put(
          id.equals("tributary") ? e.getKey() : id + "." + e.getKey(), render(e.getValue())));
    }
    return result;
  }

  private static Map<String, JsonNode> byName(JsonNode template) {
    Map<String, JsonNode> result = new HashMap<>();
    resources(template, "AWS::KinesisAnalyticsV2::Application").values()
        .forEach(r -> result.put(r.path("Properties").path("ApplicationName").asText(), r));
    return result;
  }

  // ---------------------------------------------------------------- Stream, database, environment sizing

  @Test
  void streamIsEncryptedAndSizedPerEnvironment() {
    RAW.get("develop").hasResourceProperties("AWS::Kinesis::Stream", Match.objectLike(Map.of(
        "Name", "tributary-web-events-develop",
        "StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"),
        "StreamEncryption", Match.objectLike(Map.of("EncryptionType", "KMS")))));
    RAW.get("production").hasResourceProperties("AWS::Kinesis::Stream", Match.objectLike(Map.of(
        "ShardCount", 4,
        "RetentionPeriodHours", 168,
        "StreamModeDetails", Map.of("StreamMode", "PROVISIONED"),
        "StreamEncryption", Match.objectLike(Map.of("EncryptionType", "KMS",
            "KeyId", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("Arn")))))))));
  }

  @Test
  void demoDatabaseOnlyInDevelopWithLogicalReplicationEncryptedAndPrivate() {
    Template dev = RAW.get("develop");
    dev.resourceCountIs("AWS::RDS::DBInstance", 1);
    dev.hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of(
        "Engine", "postgres",
        "EngineVersion", Match.stringLikeRegexp("^17\\..*"),
        "StorageEncrypted", true,
        "PubliclyAccessible", false,
        "KmsKeyId", Match.anyValue())));
    dev.hasResourceProperties("AWS::RDS::DBParameterGroup", Match.objectLike(Map.of(
        "Parameters", Match.objectLike(Map.of("rds.logical_replication", "1")))));
    for (String env : List.of("staging", "production")) {
      RAW.get(env).resourceCountIs("AWS::RDS::DBInstance", 0);
      // Without the demo database the host is a deploy-time parameter.
      assertThat(TEMPLATES.get(env).path("Parameters").has("PostgresHost")).isTrue();
    }
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      RAW.get(env).hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
          "Name", "tributary/" + env + "/postgres",
          "KmsKeyId", Match.anyValue(),
          "GenerateSecretString", Match.objectLike(Map.of("GenerateStringKey", "password")))));
    }
  }

  @Test
  void productionHasTerminationProtectionAndRetainsData() {
    assertThat(((software.amazon.awscdk.Stack) app.getNode().findChild("Tributary-production"))
        .getTerminationProtection()).isTrue();
    assertThat(((software.amazon.awscdk.Stack) app.getNode().findChild("Tributary-develop"))
        .getTerminationProtection()).isFalse();
    RAW.get("production").hasResource("AWS::S3::Bucket", Match.objectLike(Map.of(
        "DeletionPolicy", "Retain",
        "Properties", Match.objectLike(Map.of("VersioningConfiguration", Map.of("Status", "Enabled"))))));
  }

  // ---------------------------------------------------------------- S3 encryption and public access

  @Test
  void everyBucketIsEncryptedPrivateAndTlsOnly() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      JsonNode t = TEMPLATES.get(env);
      Map<String, JsonNode> buckets = resources(t, "AWS::S3::Bucket");
      assertThat(buckets).hasSize(3);
      Map<String, JsonNode> policies = resources(t, "AWS::S3::BucketPolicy");
      for (Map.Entry<String, JsonNode> b : buckets.entrySet()) {
        JsonNode p = b.getValue().path("Properties");
        assertThat(p.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
            .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText())
            .as(b.getKey()).isIn("aws:kms", "AES256");
        JsonNode block = p.path("PublicAccessBlockConfiguration");
        for (String f : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
          assertThat(block.path(f).asBoolean()).as(b.getKey() + " " + f).isTrue();
        }
        assertThat(p.path("LifecycleConfiguration").path("Rules").size()).as(b.getKey()).isPositive();
        boolean tlsOnly = policies.values().stream()
            .filter(pol -> pol.path("Properties").path("Bucket").path("Ref").asText().equals(b.getKey()))
            .flatMap(pol -> list(pol.path("Properties").path("PolicyDocument").path("Statement")).stream())
            .anyMatch(s -> s.path("Effect").asText().equals("Deny")
                && s.path("Condition").path("Bool").path("aws:SecureTransport").asText().equals("false"));
        assertThat(tlsOnly).as("TLS-only policy on " + b.getKey()).isTrue();
      }
      JsonNode lake = buckets.entrySet().stream().filter(e -> e.getKey().startsWith("LakeBucket"))
          .findFirst().orElseThrow().getValue().path("Properties");
      assertThat(lake.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
          .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).isEqualTo("aws:kms");
      assertThat(lake.path("VersioningConfiguration").path("Status").asText()).isEqualTo("Enabled");
      assertThat(lake.path("LifecycleConfiguration").toString()).contains("NoncurrentVersionExpiration");
    }
  }

  @Test
  void everythingElseAtRestIsEncrypted() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Template t = RAW.get(env);
      t.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.anyValue())));
      t.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
      t.hasResourceProperties("AWS::Athena::WorkGroup", Match.objectLike(Map.of(
          "WorkGroupConfiguration", Match.objectLike(Map.of(
              "EnforceWorkGroupConfiguration", true,
              "ResultConfiguration", Match.objectLike(Map.of(
                  "EncryptionConfiguration", Match.objectLike(Map.of("EncryptionOption", "SSE_KMS")))))))));
    }
  }

  // ---------------------------------------------------------------- Catalog

  @Test
  void glueHasNativeDeltaTablesAndSpectrumSqlIsAnOutput() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      JsonNode t = TEMPLATES.get(env);
      Map<String, JsonNode> tables = resources(t, "AWS::Glue::Table");
      Set<String> names = new TreeSet<>();
      for (JsonNode table : tables.values()) {
        JsonNode input = table.path("Properties").path("TableInput");
        names.add(input.path("Name").asText());
        assertThat(input.path("Parameters").path("table_type").asText()).isEqualTo("DELTA");
        assertThat(render(input.path("StorageDescriptor").path("Location")))
            .startsWith("s3://<Ref:LakeBucket").endsWith("/silver/" + input.path("Name").asText() + "/");
        assertThat(table.path("Properties").path("DatabaseName").asText()).isEqualTo("tributary_silver_" + env);
      }
      assertThat(names).containsExactlyInAnyOrder("atomic_events", "atomic_events_quarantine", "orders");
      String sql = render(t.path("Outputs").path("RedshiftSpectrumSchemaSql").path("Value"));
      assertThat(sql).startsWith("CREATE EXTERNAL SCHEMA IF NOT EXISTS silver FROM DATA CATALOG DATABASE 'tributary_silver_"
          + env + "_spectrum' IAM_ROLE '<GetAtt:RedshiftSpectrumRole").endsWith("CREATE EXTERNAL DATABASE IF NOT EXISTS;");
    }
  }

  /** The crawler keeps each Glue table's columns equal to its Delta schema, also after a new CDC column. */
  @Test
  void aCrawlerWritesAndUpdatesTheDeltaColumnsOfEverySilverTable() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      JsonNode t = TEMPLATES.get(env);
      Set<String> tableLocations = new TreeSet<>();
      for (JsonNode table : resources(t, "AWS::Glue::Table").values()) {
        tableLocations.add(render(table.path("Properties").path("TableInput").path("StorageDescriptor").path("Location")));
      }
      JsonNode c = crawlerOf(t, "tributary_silver_" + env);
      JsonNode delta = c.path("Targets").path("DeltaTargets").get(0);
      assertThat(delta.path("CreateNativeDeltaTable").asBoolean()).isTrue();
      assertThat(delta.path("WriteManifest").asBoolean()).isFalse();
      Set<String> crawled = new TreeSet<>();
      delta.path("DeltaTables").forEach(l -> crawled.add(render(l)));
      assertThat(crawled).isEqualTo(tableLocations).hasSize(3);
      assertThat(c.path("SchemaChangePolicy").path("UpdateBehavior").asText()).isEqualTo("UPDATE_IN_DATABASE");
      assertThat(c.path("SchemaChangePolicy").path("DeleteBehavior").asText()).isEqualTo("LOG");
      assertThat(c.path("Schedule").path("ScheduleExpression").asText()).isEqualTo(TributaryStack.CRAWLER_SCHEDULE);
      String security = c.path("CrawlerSecurityConfiguration").asText();
      RAW.get(env).hasResourceProperties("AWS::Glue::SecurityConfiguration", Match.objectLike(Map.of(
          "Name", security,
          "EncryptionConfiguration", Match.objectLike(Map.of(
              "CloudWatchEncryption", Match.objectLike(Map.of("CloudWatchEncryptionMode", "SSE-KMS")))))));
    }
  }

  private static JsonNode crawlerOf(JsonNode template, String database) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode crawler : resources(template, "AWS::Glue::Crawler").values()) {
      if (crawler.path("Properties").path("DatabaseName").asText().equals(database)) {
        found.add(crawler.path("Properties"));
      }
    }
    assertThat(found).as("crawlers of " + database).hasSize(1);
    return found.get(0);
  }

  @Test
  void aCrawlerKeepsTheSpectrumManifestTablesColumnsAndPartitionsCurrent() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      JsonNode t = TEMPLATES.get(env);
      String spectrumDb = "tributary_silver_" + env + "_spectrum";
      assertThat(resources(t, "AWS::Glue::Database").values()).as(env)
          .anySatisfy(db -> assertThat(db.path("Properties").path("DatabaseInput").path("Name").asText())
              .isEqualTo(spectrumDb));
      JsonNode c = crawlerOf(t, spectrumDb);
      JsonNode delta = c.path("Targets").path("DeltaTargets").get(0);
      // Symlink-manifest tables (what Spectrum reads) over the manifests the sink already writes.
      assertThat(delta.path("CreateNativeDeltaTable").asBoolean()).isFalse();
      assertThat(delta.path("WriteManifest").asBoolean()).isFalse();
      Set<String> crawled = new TreeSet<>();
      delta.path("DeltaTables").forEach(l -> crawled.add(render(l)));
      Set<String> silver = new TreeSet<>();
      crawlerOf(t, "tributary_silver_" + env).path("Targets").path("DeltaTargets").get(0).path("DeltaTables")
          .forEach(l -> silver.add(render(l)));
      assertThat(crawled).isEqualTo(silver).hasSize(3);
      assertThat(c.path("SchemaChangePolicy").path("UpdateBehavior").asText()).isEqualTo("UPDATE_IN_DATABASE");
      assertThat(c.path("Schedule").path("ScheduleExpression").asText()).isEqualTo(TributaryStack.CRAWLER_SCHEDULE);
      // Its role may register partitions in the Spectrum database.
      String role = c.path("Role").toString();
      boolean partitions = false;
      for (JsonNode policy : resources(t, "AWS::IAM::Policy").values()) {
        boolean ofRole = policy.path("Properties").path("Roles").toString().contains(
            role.replaceAll(".*\\{\"Fn::GetAtt\":\\[\"([A-Za-z0-9]+)\".*", "$1"));
        for (JsonNode st : policy.path("Properties").path("PolicyDocument").path("Statement")) {
          if (ofRole && st.path("Action").toString().contains("glue:BatchCreatePartition")
              && st.path("Resource").toString().contains(spectrumDb + "/*")) {
            partitions = true;
          }
        }
      }
      assertThat(partitions).as(env + ": the Spectrum crawler's role registers partitions").isTrue();
    }
  }

  // ---------------------------------------------------------------- Alarms

  @Test
  void alarmsCoverDowntimeRestartsCheckpointsLagAndQuarantineAndNotifyTheTopic() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Map<String, JsonNode> alarms = resources(TEMPLATES.get(env), "AWS::CloudWatch::Alarm");
      List<String> metrics = new ArrayList<>();
      for (JsonNode alarm : alarms.values()) {
        JsonNode p = alarm.path("Properties");
        if (p.has("MetricName")) {
          metrics.add(p.path("MetricName").asText());
        }
        for (JsonNode q : p.path("Metrics")) {
          if (q.has("MetricStat")) {
            metrics.add(q.path("MetricStat").path("Metric").path("MetricName").asText());
          }
        }
        assertThat(p.path("AlarmActions").get(0).path("Ref").asText()).startsWith("AlarmTopic");
      }
      assertThat(metrics).contains("downtime", "fullRestarts", "numberOfFailedCheckpoints",
          "millisBehindLatest", "GetRecords.IteratorAgeMilliseconds", "quarantinedRecords");
      assertThat(metrics.stream().filter("downtime"::equals).count()).isEqualTo(2);
      assertThat(metrics.stream().filter("numberOfFailedCheckpoints"::equals).count()).isEqualTo(2);
    }
  }

  private static List<String> alarmMetrics(JsonNode template) {
    List<String> metrics = new ArrayList<>();
    for (JsonNode alarm : resources(template, "AWS::CloudWatch::Alarm").values()) {
      JsonNode p = alarm.path("Properties");
      if (p.has("MetricName")) {
        metrics.add(p.path("Namespace").asText() + ":" + p.path("MetricName").asText());
      }
      for (JsonNode q : p.path("Metrics")) {
        if (q.has("MetricStat")) {
          JsonNode m = q.path("MetricStat").path("Metric");
          metrics.add(m.path("Namespace").asText() + ":" + m.path("MetricName").asText());
        }
      }
    }
    return metrics;
  }

  @Test
  void checkpointDurationAndTheSourceDatabaseHaveAlarms() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      List<String> metrics = alarmMetrics(TEMPLATES.get(env));
      assertThat(metrics.stream().filter("AWS/KinesisAnalytics:lastCheckpointDuration"::equals).count())
          .as(env).isEqualTo(2);
    }
    // develop: the demo database is known, so its WAL held back by the slot and its WAL disk use are watched.
    JsonNode dev = TEMPLATES.get("develop");
    assertThat(alarmMetrics(dev)).contains("AWS/RDS:OldestReplicationSlotLag", "AWS/RDS:TransactionLogsDiskUsage");
    for (JsonNode alarm : resources(dev, "AWS::CloudWatch::Alarm").values()) {
      if (alarm.path("Properties").path("Namespace").asText().equals("AWS/RDS")) {
        assertThat(alarm.path("Properties").path("Dimensions").get(0).path("Name").asText())
            .isEqualTo("DBInstanceIdentifier");
        assertThat(alarm.path("Properties").path("Dimensions").get(0).path("Value").path("Ref").asText())
            .startsWith("DemoPostgres");
        assertThat(alarm.path("Properties").path("Threshold").asDouble()).isPositive();
      }
    }
    // staging: an external database whose RDS instance is not configured.
    assertThat(alarmMetrics(TEMPLATES.get("staging"))).noneMatch(m -> m.startsWith("AWS/RDS:"));
  }

  @Test
  void everySilverTableHasAFreshnessAlarmOnItsWritersGaugeAndTheCdcJobsSlotLagIsWatched() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Map<String, String> writerOfTable = new TreeMap<>();
      List<String> slotLagApps = new ArrayList<>();
      for (JsonNode alarm : resources(TEMPLATES.get(env), "AWS::CloudWatch::Alarm").values()) {
        JsonNode p = alarm.path("Properties");
        Map<String, String> dims = new TreeMap<>();
        for (JsonNode d : p.path("Dimensions")) {
          dims.put(d.path("Name").asText(), d.path("Value").has("Ref") ? d.path("Value").path("Ref").asText()
              : d.path("Value").asText());
        }
        if (p.path("MetricName").asText().equals("deltaCommitAgeMs")) {
          assertThat(p.path("Namespace").asText()).isEqualTo("AWS/KinesisAnalytics");
          assertThat(p.path("Threshold").asDouble()).isPositive();
          assertThat(p.path("AlarmActions").get(0).path("Ref").asText()).startsWith("AlarmTopic");
          writerOfTable.put(dims.get("Table"), dims.get("Application"));
        }
        if (p.path("MetricName").asText().equals("replicationSlotLagBytes")) {
          slotLagApps.add(dims.get("Application"));
        }
      }
      // The quarantine table is meant to stay idle: its quarantinedRecords alarm watches it instead.
      assertThat(writerOfTable).as(env).containsOnlyKeys("atomic_events", "orders");
      assertThat(writerOfTable.get("atomic_events")).startsWith("EventsJob");
      assertThat(writerOfTable.get("orders")).startsWith("CdcJob");
      assertThat(slotLagApps).as(env).singleElement().satisfies(app -> assertThat(app).startsWith("CdcJob"));
    }
  }

  @Test
  void everySilverTableHasASmallFilesAlarmOnItsWritersPartitionFileGauge() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Map<String, String> writerOfTable = new TreeMap<>();
      for (JsonNode alarm : resources(TEMPLATES.get(env), "AWS::CloudWatch::Alarm").values()) {
        JsonNode p = alarm.path("Properties");
        if (!p.path("MetricName").asText().equals("deltaActivePartitionFiles")) {
          continue;
        }
        Map<String, String> dims = new TreeMap<>();
        for (JsonNode d : p.path("Dimensions")) {
          dims.put(d.path("Name").asText(), d.path("Value").has("Ref") ? d.path("Value").path("Ref").asText()
              : d.path("Value").asText());
        }
        assertThat(p.path("Namespace").asText()).isEqualTo("AWS/KinesisAnalytics");
        // Above the bound in-job maintenance keeps (100, docs/maintenance.md), so it fires only when it fails.
        assertThat(p.path("Threshold").asDouble()).as(env).isEqualTo(200.0);
        assertThat(p.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(p.path("AlarmActions").get(0).path("Ref").asText()).startsWith("AlarmTopic");
        writerOfTable.put(dims.get("Table"), dims.get("Application"));
      }
      assertThat(writerOfTable).as(env).containsOnlyKeys("atomic_events", "atomic_events_quarantine", "orders");
      assertThat(writerOfTable.get("atomic_events")).startsWith("EventsJob");
      assertThat(writerOfTable.get("atomic_events_quarantine")).startsWith("EventsJob");
      assertThat(writerOfTable.get("orders")).startsWith("CdcJob");
    }
  }

  @Test
  void anExternalRdsDatabaseIsWatchedWhenItsInstanceIsNamed() {
    App external = CdkTestSupport.app(Map.of("environments", "production", "production.postgres.host", "db.internal",
        "production.postgres.rds-instance-id", "orders-db"), "cdk.out-test-rds");
    JsonNode t = json(Template.fromStack((software.amazon.awscdk.Stack) external.getNode().findChild("Tributary-production")));
    assertThat(alarmMetrics(t)).contains("AWS/RDS:OldestReplicationSlotLag", "AWS/RDS:TransactionLogsDiskUsage");
    assertThat(t.toString()).contains("\"Value\":\"orders-db\"");
    String body = render(resources(t, "AWS::CloudWatch::Dashboard").values().iterator().next()
        .path("Properties").path("DashboardBody"));
    assertThat(body).contains("OldestReplicationSlotLag").contains("orders-db");
  }

  @Test
  void eachEnvironmentHasADashboardOfThroughputQuarantineCheckpointsLagAndRestarts() throws IOException {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      Map<String, JsonNode> dashboards = resources(TEMPLATES.get(env), "AWS::CloudWatch::Dashboard");
      assertThat(dashboards).as(env).hasSize(1);
      JsonNode d = dashboards.values().iterator().next().path("Properties");
      assertThat(d.path("DashboardName").asText()).isEqualTo("tributary-" + env);
      JsonNode body = CdkTestSupport.JSON.readTree(render(d.path("DashboardBody"))
          .replaceAll("<Ref:[A-Za-z0-9]+>", "REF").replaceAll("<GetAtt:[A-Za-z0-9.]+>", "ATT"));
      List<String> titles = new ArrayList<>();
      Set<String> metrics = new TreeSet<>();
      for (JsonNode w : body.path("widgets")) {
        titles.add(w.path("properties").path("title").asText());
        for (JsonNode m : w.path("properties").path("metrics")) {
          m.forEach(part -> metrics.add(part.asText()));
        }
      }
      assertThat(metrics).as(env).contains("numRecordsInPerSecond", "numRecordsOutPerSecond", "quarantinedRecords",
          "lastCheckpointDuration", "lastCheckpointSize", "millisBehindLatest", "GetRecords.IteratorAgeMilliseconds",
          "fullRestarts", "downtime", "numberOfFailedCheckpoints", "deltaCommitAgeMs", "replicationSlotLagBytes",
          "atomic_events", "atomic_events_quarantine", "orders");
      // In-job table maintenance (issue 23): file counts, lag and compactions per table.
      assertThat(metrics).as(env).contains("deltaActivePartitionFiles", "deltaMaxPartitionFiles",
          "deltaMaintenanceLagMs", "deltaCompactionsRun", "deltaCompactionsFailed");
      assertThat(titles).contains("Alarms", "Silver table freshness: age of the newest commit (ms)",
          "cdc-job replication slot lag (bytes)", "Active data files, partition written last",
          "Table maintenance lag (ms)", "Partitions compacted / failed per 5 minutes");
      if (env.equals("develop")) {
        assertThat(metrics).contains("OldestReplicationSlotLag", "TransactionLogsDiskUsage", "FreeStorageSpace");
      } else {
        assertThat(metrics).doesNotContain("OldestReplicationSlotLag");
      }
    }
  }

  @Test
  void bothApplicationsAreSnapshottedOnASchedule() {
    Map<String, String> expressions = Map.of("develop", "rate(1 day)", "staging", "rate(6 hours)",
        "production", "rate(6 hours)");
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      JsonNode t = TEMPLATES.get(env);
      Map<String, JsonNode> schedules = new TreeMap<>(resources(t, "AWS::Scheduler::Schedule"));
      assertThat(schedules).as(env).hasSize(3).containsKey("SnapshotRetentionSchedule");
      schedules.remove("SnapshotRetentionSchedule");
      Set<String> applications = new TreeSet<>();
      for (JsonNode schedule : schedules.values()) {
        JsonNode p = schedule.path("Properties");
        assertThat(p.path("ScheduleExpression").asText()).isEqualTo(expressions.get(env));
        assertThat(p.path("State").asText()).isEqualTo("ENABLED");
        JsonNode target = p.path("Target");
        assertThat(target.path("Arn").asText())
            .isEqualTo("arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:createApplicationSnapshot");
        JsonNode input = CdkTestSupport.JSON.valueToTree(parse(target.path("Input").asText()));
        applications.add(input.path("ApplicationName").asText());
        // Unique per run, and only characters snapshot names allow.
        assertThat(input.path("SnapshotName").asText()).isEqualTo("scheduled-<aws.scheduler.execution-id>");
        assertThat(render(target.path("RoleArn"))).startsWith("<GetAtt:SnapshotSchedulerRole");
      }
      assertThat(applications).containsExactlyInAnyOrder("tributary-events-job-" + env, "tributary-cdc-job-" + env);
      List<String> granted = new ArrayList<>();
      for (Map.Entry<String, JsonNode> policy : resources(t, "AWS::IAM::Policy").entrySet()) {
        if (policy.getKey().startsWith("SnapshotSchedulerRole")) {
          for (JsonNode st : list(policy.getValue().path("Properties").path("PolicyDocument").path("Statement"))) {
            assertThat(st.path("Action").asText()).isEqualTo("kinesisanalytics:CreateApplicationSnapshot");
            granted.add(render(st.path("Resource")));
          }
        }
      }
      assertThat(granted).containsExactlyInAnyOrder(
          "arn:<Ref:AWS::Partition>:kinesisanalytics:<Ref:AWS::Region>:<Ref:AWS::AccountId>:application/<Ref:EventsJob>",
          "arn:<Ref:AWS::Partition>:kinesisanalytics:<Ref:AWS::Region>:<Ref:AWS::AccountId>:application/<Ref:CdcJob>");
    }
  }

  @Test
  void aDailyFunctionKeepsTheNewestScheduledSnapshotsWithLeastPrivilege() {
    Map<String, String> keep = Map.of("develop", "7", "staging", "28", "production", "28");
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      JsonNode t = TEMPLATES.get(env);
      Map<String, JsonNode> functions = resources(t, "AWS::Lambda::Function");
      assertThat(functions.keySet()).as(env).containsExactlyInAnyOrder("SnapshotRetention", "RdsCaBundleWriter");
      String functionId = "SnapshotRetention";
      String logGroupId = resources(t, "AWS::Logs::LogGroup").keySet().stream()
          .filter(id -> id.startsWith("SnapshotRetentionLogGroup")).findFirst().orElseThrow();

      JsonNode schedule = resources(t, "AWS::Scheduler::Schedule").get("SnapshotRetentionSchedule").path("Properties");
      assertThat(schedule.path("ScheduleExpression").asText()).isEqualTo("rate(1 day)");
      assertThat(render(schedule.path("Target").path("Arn"))).isEqualTo("<GetAtt:" + functionId + ".Arn>");
      assertThat(render(schedule.path("Target").path("RoleArn"))).startsWith("<GetAtt:SnapshotRetentionSchedulerRole");

      JsonNode fn = functions.get(functionId).path("Properties");
      assertThat(fn.path("Runtime").asText()).startsWith("python3.");
      assertThat(fn.path("Code").path("ZipFile").asText()).contains("def handler(event, context)")
          .contains("startswith(\"scheduled-\")");
      JsonNode variables = fn.path("Environment").path("Variables");
      assertThat(variables.path("KEEP").asText()).isEqualTo(keep.get(env));
      assertThat(variables.path("APPLICATIONS").asText())
          .isEqualTo("tributary-events-job-" + env + ",tributary-cdc-job-" + env);

      List<String> scheduler = new ArrayList<>();
      List<String> function = new ArrayList<>();
      for (Map.Entry<String, JsonNode> policy : resources(t, "AWS::IAM::Policy").entrySet()) {
        if (!policy.getKey().startsWith("SnapshotRetention")) {
          continue;
        }
        List<String> into = policy.getKey().startsWith("SnapshotRetentionSchedulerRole") ? scheduler : function;
        for (JsonNode st : list(policy.getValue().path("Properties").path("PolicyDocument").path("Statement"))) {
          assertThat(st.path("Effect").asText()).isEqualTo("Allow");
          for (JsonNode action : list(st.path("Action"))) {
            for (JsonNode resource : list(st.path("Resource"))) {
              into.add(action.asText() + " on " + render(resource));
            }
          }
        }
      }
      assertThat(scheduler).as(env).containsExactly("lambda:InvokeFunction on <GetAtt:" + functionId + ".Arn>");
      String app = "arn:<Ref:AWS::Partition>:kinesisanalytics:<Ref:AWS::Region>:<Ref:AWS::AccountId>:application/";
      String streams = "arn:<Ref:AWS::Partition>:logs:<Ref:AWS::Region>:<Ref:AWS::AccountId>:log-group:<Ref:"
          + logGroupId + ">:log-stream:*";
      assertThat(function).as(env).containsExactlyInAnyOrder(
          "kinesisanalytics:ListApplicationSnapshots on " + app + "<Ref:EventsJob>",
          "kinesisanalytics:ListApplicationSnapshots on " + app + "<Ref:CdcJob>",
          "kinesisanalytics:DeleteApplicationSnapshot on " + app + "<Ref:EventsJob>",
          "kinesisanalytics:DeleteApplicationSnapshot on " + app + "<Ref:CdcJob>",
          "logs:CreateLogStream on " + streams,
          "logs:PutLogEvents on " + streams);
    }
  }

  // ---------------------------------------------------------------- TLS to PostgreSQL

  @Test
  void theCdcJobVerifiesPostgresWithTheRdsBundleFetchedAtDeployTime() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      JsonNode t = TEMPLATES.get(env);
      Map<String, String> cdc = flatten(byName(t).get("tributary-cdc-job-" + env));
      assertThat(cdc).containsEntry("postgres.sslmode", "verify-full")
          // The attribute of the custom resource: the application is created after the bundle is in place.
          .containsEntry("postgres.sslrootcert", "<GetAtt:RdsCaBundle.Location>");
      assertThat(flatten(byName(t).get("tributary-events-job-" + env))).doesNotContainKeys("postgres.sslmode");

      JsonNode bundle = t.path("Resources").path("RdsCaBundle");
      assertThat(bundle.path("Type").asText()).isEqualTo("Custom::RdsCaBundle");
      JsonNode props = bundle.path("Properties");
      assertThat(render(props.path("ServiceToken"))).isEqualTo("<GetAtt:RdsCaBundleWriter.Arn>");
      assertThat(props.path("Url").asText()).isEqualTo("https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
      assertThat(render(props.path("Bucket"))).startsWith("<Ref:ArtifactsBucket");
      assertThat(props.path("Key").asText()).isEqualTo("certs/rds-global-bundle.pem");

      JsonNode fn = resources(t, "AWS::Lambda::Function").get("RdsCaBundleWriter").path("Properties");
      assertThat(fn.path("Runtime").asText()).startsWith("python3.");
      assertThat(fn.path("Timeout").asInt()).isGreaterThan(60); // download and response timeouts are 30 s each
      assertThat(fn.path("Code").path("ZipFile").asText()).contains("def handler(event, context)")
          .contains("put_object").contains("ResponseURL");

      String bundleArn = bundleArn(t);
      String logStreams = "arn:<Ref:AWS::Partition>:logs:<Ref:AWS::Region>:<Ref:AWS::AccountId>:log-group:<Ref:"
          + resources(t, "AWS::Logs::LogGroup").keySet().stream()
              .filter(id -> id.startsWith("RdsCaBundleWriterLogGroup")).findFirst().orElseThrow() + ">:log-stream:*";
      String bucketArn = bundleArn.substring(0, bundleArn.indexOf('/'));
      assertThat(grants(t, "RdsCaBundleWriterRole")).as(env).containsExactlyInAnyOrder(
          "s3:PutObject on " + bundleArn, "s3:DeleteObjectVersion on " + bundleArn,
          "s3:ListBucketVersions on " + bucketArn + " if {\"StringEquals\":{\"s3:prefix\":\"certs/rds-global-bundle.pem\"}}",
          "logs:CreateLogStream on " + logStreams, "logs:PutLogEvents on " + logStreams);
      // The cdc-job may read the bundle and nothing else of the artifacts bucket; the events-job not even that.
      assertThat(grants(t, "CdcJobRole")).as(env).contains("s3:GetObject on " + bundleArn)
          .noneMatch(g -> g.contains("ArtifactsBucket") && !g.equals("s3:GetObject on " + bundleArn));
      assertThat(grants(t, "EventsJobRole")).as(env).noneMatch(g -> g.contains("ArtifactsBucket"));
    }
  }

  @Test
  void aDatabaseOutsideRdsNamesItsOwnBundleOrMode() {
    App own = CdkTestSupport.app(Map.of("environments", "production", "production.postgres.host", "db.internal",
        "production.postgres.sslrootcert", "s3://corp-pki/postgres/ca.pem"), "cdk.out-test-own-ca");
    JsonNode t = json(Template.fromStack((software.amazon.awscdk.Stack) own.getNode().findChild("Tributary-production")));
    assertThat(flatten(byName(t).get("tributary-cdc-job-production"))).containsEntry("postgres.sslmode", "verify-full")
        .containsEntry("postgres.sslrootcert", "s3://corp-pki/postgres/ca.pem");
    assertThat(t.path("Resources").has("RdsCaBundle")).isFalse();
    assertThat(resources(t, "AWS::Lambda::Function").keySet()).containsExactly("SnapshotRetention");
    assertThat(grants(t, "CdcJobRole")).contains("s3:GetObject on arn:<Ref:AWS::Partition>:s3:::corp-pki/postgres/ca.pem")
        .noneMatch(g -> g.contains("ArtifactsBucket"));

    App require = CdkTestSupport.app(Map.of("environments", "staging", "staging.postgres.host", "db.internal",
        "staging.postgres.sslmode", "require"), "cdk.out-test-require");
    JsonNode r = json(Template.fromStack((software.amazon.awscdk.Stack) require.getNode().findChild("Tributary-staging")));
    assertThat(flatten(byName(r).get("tributary-cdc-job-staging"))).containsEntry("postgres.sslmode", "require")
        .doesNotContainKey("postgres.sslrootcert");
    assertThat(r.path("Resources").has("RdsCaBundle")).isFalse();
  }

  /** The bundle object in the artifacts bucket, as rendered in IAM statements. */
  private static String bundleArn(JsonNode t) {
    String bucket = resources(t, "AWS::S3::Bucket").keySet().stream().filter(id -> id.startsWith("ArtifactsBucket"))
        .findFirst().orElseThrow();
    return "<GetAtt:" + bucket + ".Arn>/certs/rds-global-bundle.pem";
  }

  /** Every "action on resource" the policies of the role with logical id prefix {@code role} grant. */
  private static List<String> grants(JsonNode t, String role) {
    List<String> grants = new ArrayList<>();
    for (Map.Entry<String, JsonNode> policy : resources(t, "AWS::IAM::Policy").entrySet()) {
      if (!policy.getKey().startsWith(role + "DefaultPolicy")) {
        continue;
      }
      for (JsonNode st : list(policy.getValue().path("Properties").path("PolicyDocument").path("Statement"))) {
        for (JsonNode action : list(st.path("Action"))) {
          for (JsonNode resource : list(st.path("Resource"))) {
            grants.add(action.asText() + " on " + render(resource)
                + (st.has("Condition") ? " if " + st.path("Condition") : ""));
          }
        }
      }
    }
    assertThat(grants).as(role).isNotEmpty();
    return grants;
  }

  private static Object parse(String json) {
    try {
      return CdkTestSupport.JSON.readValue(json, Object.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void athenaWorkGroupPinsEngineVersion3() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      RAW.get(env).hasResourceProperties("AWS::Athena::WorkGroup", Match.objectLike(Map.of(
          "WorkGroupConfiguration", Match.objectLike(Map.of(
              "EngineVersion", Map.of("SelectedEngineVersion", "Athena engine version 3"))))));
    }
  }

  // ---------------------------------------------------------------- IAM least privilege

  /** Every action any role of the stacks may have. Anything else fails the build. */
  static final Set<String> ALLOWED_ACTIONS = Set.of(
      "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts", "s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads",
      "kms:Decrypt", "kms:GenerateDataKey",
      "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
      "kinesis:ListShards",
      "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents",
      "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
      "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
      "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions",
      "ec2:DescribeNetworkInterfaces",
      "glue:CreateDatabase", "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable",
      "glue:UpdateTable", "glue:DeleteTable", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition",
      "glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:DeletePartition",
      "glue:BatchDeletePartition", "glue:BatchUpdatePartition",
      "kinesisanalytics:CreateApplicationSnapshot", "kinesisanalytics:ListApplicationSnapshots",
      "kinesisanalytics:DeleteApplicationSnapshot", "lambda:InvokeFunction",
      "s3:ListBucketVersions", "s3:DeleteObjectVersion",
      "glue:GetSecurityConfiguration", "logs:CreateLogGroup", "logs:AssociateKmsKey", "logs:CreateLogStream");

  /** Actions IAM offers no resource-level permissions for: the only ones allowed on "*". */
  static final Set<String> RESOURCE_STAR_ONLY = Set.of(
      "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions",
      "ec2:DescribeNetworkInterfaces");

  /**
   * A resource may end in {@code /*} or {@code :*} only below a named prefix: the silver tables,
   * network interfaces (ids unknown in advance), log streams of one group, tables of one Glue database.
   */
  static final Pattern SCOPED_WILDCARD = Pattern.compile(
      "(.*/silver/\\*|.*:network-interface/\\*|.*:log-group:<Ref:[A-Za-z0-9]+>:log-stream:\\*"
          + "|.*:table/tributary_silver_[a-z]+_spectrum/\\*|.*:table/tributary_silver_[a-z]+/\\*"
          + "|.*:log-group:/aws-glue/crawlers-role/\\*(:log-stream:\\*)?)");

  @Test
  void iamStatementsNameExactActionsOnExactResources() {
    int statements = 0;
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      List<String> problems = new ArrayList<>();
      statements += iamProblems(TEMPLATES.get(env), problems);
      assertThat(problems).as(env).isEmpty();
    }
    assertThat(statements).isGreaterThan(30);
  }

  @Test
  void theIamCheckRejectsWildcardsAndUnlistedActions() throws IOException {
    JsonNode bad = CdkTestSupport.JSON.readTree("""
        {"Resources": {
          "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/silver/*"},
            {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/x"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}},
          "R": {"Type": "AWS::IAM::Role", "Properties": {
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}}}}
        """);
    List<String> problems = new ArrayList<>();
    iamProblems(bad, problems);
    assertThat(problems).anyMatch(p -> p.contains("wildcard action s3:*"))
        .anyMatch(p -> p.contains("resource * for [s3:GetObject]"))
        .anyMatch(p -> p.contains("action not allowed: iam:PassRole"))
        .anyMatch(p -> p.contains("unscoped wildcard resource arn:aws:s3:::b/*"))
        .anyMatch(p -> p.contains("managed policies on R"));
  }

  /** Adds every least-privilege problem of {@code template} to {@code problems}; returns the statement count. */
  static int iamProblems(JsonNode template, List<String> problems) {
    int statements = 0;
    List<JsonNode> docs = new ArrayList<>();
    resources(template, "AWS::IAM::Policy").values().forEach(p -> docs.add(p.path("Properties").path("PolicyDocument")));
    resources(template, "AWS::IAM::ManagedPolicy").values().forEach(p -> docs.add(p.path("Properties").path("PolicyDocument")));
    for (Map.Entry<String, JsonNode> role : resources(template, "AWS::IAM::Role").entrySet()) {
      if (role.getValue().path("Properties").has("ManagedPolicyArns")) {
        problems.add("managed policies on " + role.getKey());
      }
      role.getValue().path("Properties").path("Policies").forEach(p -> docs.add(p.path("PolicyDocument")));
    }
    for (JsonNode doc : docs) {
      for (JsonNode s : list(doc.path("Statement"))) {
        statements++;
        if (!s.path("Effect").asText().equals("Allow") || s.has("NotAction") || s.has("NotResource")) {
          problems.add("only plain Allow statements expected: " + s);
        }
        List<String> actions = list(s.path("Action")).stream().map(JsonNode::asText).toList();
        for (String action : actions) {
          if (action.contains("*")) {
            problems.add("wildcard action " + action);
          } else if (!ALLOWED_ACTIONS.contains(action)) {
            problems.add("action not allowed: " + action);
          }
        }
        for (JsonNode r : list(s.path("Resource"))) {
          String resource = render(r);
          if (resource.equals("*")) {
            if (!RESOURCE_STAR_ONLY.containsAll(actions)) {
              problems.add("resource * for " + actions);
            }
          } else if (resource.contains("*") && !SCOPED_WILDCARD.matcher(resource).matches()
              && !(actions.equals(List.of("logs:DescribeLogGroups")) && resource.endsWith(":log-group:*"))) {
            problems.add("unscoped wildcard resource " + resource);
          }
        }
      }
    }
    return statements;
  }

  /** CloudWatch Logs authorizes DescribeLogGroups on log-group:* only; nothing else may have that resource. */
  @Test
  void describeLogGroupsIsGrantedOnEveryLogGroupAndAloneInItsStatement() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      int found = 0;
      for (JsonNode policy : resources(TEMPLATES.get(env), "AWS::IAM::Policy").values()) {
        for (JsonNode st : list(policy.path("Properties").path("PolicyDocument").path("Statement"))) {
          List<String> actions = list(st.path("Action")).stream().map(JsonNode::asText).toList();
          List<String> resources = list(st.path("Resource")).stream().map(CdkTestSupport::render).toList();
          if (actions.contains("logs:DescribeLogGroups")) {
            found++;
            assertThat(actions).containsExactly("logs:DescribeLogGroups");
            assertThat(resources).containsExactly(
                "arn:<Ref:AWS::Partition>:logs:<Ref:AWS::Region>:<Ref:AWS::AccountId>:log-group:*");
          } else {
            assertThat(resources).noneMatch(r -> r.endsWith(":log-group:*"));
          }
        }
      }
      assertThat(found).as(env + ": one statement per application role").isEqualTo(2);
    }
  }

  /** The CDK CLI sets CDK_DEFAULT_REGION: the acknowledged cdk-nag findings must match with a concrete region. */
  @Test
  void cdkNagPassesWithAConcreteAccountAndRegion() {
    App concrete = CdkTestSupport.app(Map.of("environments", "production", "production.region", "eu-west-1",
        "production.account", "111122223333", "production.postgres.host", "db.internal"), "cdk.out-test-region");
    PolicyValidationPluginReport report = AwsSolutionsChecks.Builder.create(concrete).build().validateScope(concrete);
    List<String> violations = new ArrayList<>();
    for (PolicyViolation v : report.getViolations()) {
      violations.add(v.getRuleName() + " " + v.getViolatingResources().stream()
          .map(r -> r.getConstructPath() + " " + r.getLocations()).toList());
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void roleTrustIsScopedToTheServiceAndTheAccount() {
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      for (JsonNode role : resources(TEMPLATES.get(env), "AWS::IAM::Role").values()) {
        JsonNode s = role.path("Properties").path("AssumeRolePolicyDocument").path("Statement").get(0);
        assertThat(s.path("Principal").path("Service").asText())
            .isIn("kinesisanalytics.amazonaws.com", "redshift.amazonaws.com", "scheduler.amazonaws.com",
                "glue.amazonaws.com", "lambda.amazonaws.com");
        assertThat(s.path("Condition").path("StringEquals").has("aws:SourceAccount")).isTrue();
      }
    }
  }

  // ---------------------------------------------------------------- cdk-nag

  @Test
  void cdkNagAwsSolutionsFindsNothingUnacknowledged() {
    PolicyValidationPluginReport report = AwsSolutionsChecks.Builder.create(app).build().validateScope(app);
    List<String> violations = new ArrayList<>();
    for (PolicyViolation v : report.getViolations()) {
      violations.add(v.getRuleName() + " " + v.getViolatingResources().stream()
          .map(r -> r.getConstructPath()).toList() + ": " + v.getDescription());
    }
    assertThat(violations).isEmpty();
    assertThat(report.getSuccess()).isTrue();
  }

  @Test
  void everyAcknowledgedRuleHasAReason() {
    int acknowledged = 0;
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      for (software.constructs.IConstruct c : app.getNode().findChild("Tributary-" + env).getNode().findAll()) {
        for (software.constructs.MetadataEntry m : c.getNode().getMetadata()) {
          if (m.getType().equals(software.amazon.awscdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) m.getData();
            for (Map.Entry<String, Object> e : data.entrySet()) {
              if (!e.getKey().contains("AwsSolutions-")) {
                continue; // CDK's own acknowledgments (e.g. CloudFormation-Validate::W3045)
              }
              acknowledged++;
              assertThat(String.valueOf(e.getValue()).length()).as(e.getKey()).isGreaterThan(40);
            }
          }
        }
      }
    }
    // S1, SMG4, KDS3 and the IAM5 findings, per environment.
    assertThat(acknowledged).isGreaterThanOrEqualTo(3 * 6);
  }
}
