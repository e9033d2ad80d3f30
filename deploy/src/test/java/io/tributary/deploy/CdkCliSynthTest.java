package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The documented synth command, run with the pinned CDK CLI (installed by the build into
 * {@code target/npm}, offline) exactly as docs/deploy.md writes it: from {@code deploy/} through
 * {@code cdk.json}, and from the repository root with {@code --app deploy/cdk-app}. The other
 * synth tests pass their own output folder to the app and cannot see where the CLI looks for the
 * cloud assembly.
 */
// Mostly waits: runs beside the module's other test classes (see the root pom's surefire settings).
@Execution(ExecutionMode.CONCURRENT)
class CdkCliSynthTest {

  static final String CDK_OUT = "deploy/cdk.out";
  static final Path ROOT = Path.of(System.getProperty("tributary.repo.root", "..")).toAbsolutePath().normalize();
  static final Path CDK = Path.of(System.getProperty("tributary.actionlint.dir", "target/npm"))
      .resolve("node_modules/aws-cdk/bin/cdk");

  @Test
  @ResourceLock(CDK_OUT) // both write deploy/cdk.out; the CLI refuses a second synth into it
  void documentedSynthFromTheDeployFolderWritesDeployCdkOut() throws Exception {
    Path out = ROOT.resolve("deploy/cdk.out");
    delete(out);
    Result r = cdk(ROOT.resolve("deploy"), "synth", "-c", "environments=develop");
    assertThat(r.exit).as(r.output).isZero();
    assertThat(out.resolve("manifest.json")).as(r.output).isRegularFile();
    assertThat(out.resolve("Tributary-develop.template.json")).isRegularFile();
    assertThat(ROOT.resolve("cdk.out")).as("nothing written at the repository root").doesNotExist();
  }

  @Test
  @ResourceLock(CDK_OUT) // both write deploy/cdk.out; the CLI refuses a second synth into it
  void documentedSynthFromTheRepositoryRootWritesTheGivenOutput() throws Exception {
    Path out = ROOT.resolve("deploy/cdk.out");
    delete(out);
    Result r = cdk(ROOT, "synth", "--app", "deploy/cdk-app", "--output", "deploy/cdk.out", "-c",
        "environments=production", "-c", "production.postgres.host=db.example.internal");
    assertThat(r.exit).as(r.output).isZero();
    assertThat(out.resolve("manifest.json")).as(r.output).isRegularFile();
    assertThat(out.resolve("Tributary-production.template.json")).isRegularFile();
  }

  @Test
  void theAppRefusesARelativeOutputFolder() {
    assertThatThrownBy(() -> TributaryApp.checkOutdir("cdk.out"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("deploy/cdk-app");
    TributaryApp.checkOutdir(ROOT.resolve("deploy/cdk.out").toString());
    TributaryApp.checkOutdir(null);
  }

  record Result(int exit, String output) {}

  /** Runs the pinned CLI with the placeholder jars (documented as {@code -c eventsJar=<path>}). */
  static Result cdk(Path cwd, String... args) throws IOException, InterruptedException {
    assumeFalse(Boolean.getBoolean("tributary.skipNpm"), "npm tools not installed (-DskipNpm)");
    assertThat(CDK).as("the build installs the pinned CDK CLI").isRegularFile();
    List<String> command = new ArrayList<>(List.of("node", CDK.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-c", "eventsJar=" + CdkTestSupport.jar("tributary.events.jar", "events-job-placeholder.jar"),
        "-c", "cdcJar=" + CdkTestSupport.jar("tributary.cdc.jar", "cdc-job-placeholder.jar"),
        "--no-notices", "--quiet"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().put("CDK_DISABLE_VERSION_CHECK", "true");
    pb.environment().put("CDK_DISABLE_CLI_TELEMETRY", "true");
    pb.environment().remove("CDK_OUTDIR");
    File log = Files.createTempFile("cdk-cli", ".log").toFile();
    pb.redirectOutput(log);
    Process p = pb.start();
    if (!p.waitFor(8, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("cdk " + String.join(" ", args) + " did not finish in 8 minutes");
    }
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    Files.delete(log.toPath());
    return new Result(p.exitValue(), output.length() > 20_000 ? output.substring(output.length() - 20_000) : output);
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
