package io.tributary.deploy;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: stack {@code Tributary-<environment>} for each of develop, staging and production
 * (or only those named by {@code -c environments=production}), checked by cdk-nag's AwsSolutions
 * rules.
 *
 * <p>Context: {@code eventsJar}, {@code cdcJar} (the shaded jars; default the modules' target/
 * jars), {@code <env>.account} and {@code <env>.region} (default CDK_DEFAULT_ACCOUNT/REGION), and
 * any key of {@code environments/<env>.properties} as {@code <env>.<key>}.
 */
public final class TributaryApp {

  private TributaryApp() {}

  public static void main(String[] args) {
    checkOutdir(System.getenv("CDK_OUTDIR"));
    App app = new App();
    build(app);
    app.synth();
  }

  /**
   * Refuses a relative {@code CDK_OUTDIR}: the CDK CLI resolves it against its own working
   * directory, but this JVM runs where Maven runs (mvnw changes to the repository root), so the
   * assembly would land where the CLI never looks ({@code ENOENT: cdk.out/manifest.json}).
   * {@code deploy/cdk-app}, the app command of {@code cdk.json}, makes it absolute.
   */
  static void checkOutdir(String outdir) {
    if (outdir != null && !outdir.isEmpty() && !Path.of(outdir).isAbsolute()) {
      throw new IllegalStateException("CDK_OUTDIR is relative (" + outdir + "): run the app through deploy/cdk-app "
          + "(cdk.json does), which resolves it against the CDK CLI's working directory");
    }
  }

  /** For tests: an app with the given context, not yet synthesized. */
  public static App create(Map<String, Object> context, String outdir) {
    App app = new App(AppProps.builder().context(context).outdir(outdir).build());
    build(app);
    return app;
  }

  /** CDK feature flag: S3 server access logs are granted by bucket policy instead of a bucket ACL. */
  static final String ACCESS_LOGS_BY_BUCKET_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy";

  static List<TributaryStack> build(App app) {
    // Set before any construct exists (the flag is read when the buckets are created).
    app.getNode().setContext(ACCESS_LOGS_BY_BUCKET_POLICY, true);
    String eventsJar = jar(app, "eventsJar", "events-job/target/tributary-events-job-0.1.0-SNAPSHOT-job.jar");
    String cdcJar = jar(app, "cdcJar", "cdc-job/target/tributary-cdc-job-0.1.0-SNAPSHOT-job.jar");
    Object selected = app.getNode().tryGetContext("environments");
    List<String> names = selected == null
        ? EnvironmentConfig.ENVIRONMENTS
        : List.of(selected.toString().split(","));
    List<TributaryStack> stacks = new ArrayList<>();
    for (String raw : names) {
      String name = raw.trim();
      EnvironmentConfig config = EnvironmentConfig.load(name, k -> app.getNode().tryGetContext(k));
      stacks.add(new TributaryStack(app, "Tributary-" + name, StackProps.builder()
          .env(environment(app, name))
          .description("Tributary streaming ingestion (" + name + "): Managed Flink jobs, Kinesis, Delta lake on S3")
          .terminationProtection(config.isProduction())
          .build(), config, eventsJar, cdcJar));
    }
    // cdk-nag 3: a policy validation plugin, run when the app is synthesized (a violation fails synth).
    Validations.of(app).addPlugins(AwsSolutionsChecks.Builder.create(app).verbose(true).build());
    return stacks;
  }

  private static Environment environment(App app, String name) {
    Object account = app.getNode().tryGetContext(name + ".account");
    Object region = app.getNode().tryGetContext(name + ".region");
    String acc = account != null ? account.toString() : System.getenv("CDK_DEFAULT_ACCOUNT");
    String reg = region != null ? region.toString() : System.getenv("CDK_DEFAULT_REGION");
    if (acc == null && reg == null) {
      return null; // environment-agnostic (synth only)
    }
    return Environment.builder().account(acc).region(reg).build();
  }

  private static String jar(App app, String key, String defaultRelative) {
    Object configured = app.getNode().tryGetContext(key);
    if (configured != null) {
      return configured.toString();
    }
    // Run from deploy/ (cdk.json) or from the repository root.
    for (Path candidate : List.of(Path.of("..", defaultRelative), Path.of(defaultRelative))) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath().normalize().toString();
      }
    }
    throw new IllegalArgumentException("Job jar not found: build it (./mvnw -pl events-job,cdc-job -am package "
        + "-DskipTests) or pass -c " + key + "=<path>");
  }
}
