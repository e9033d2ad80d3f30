package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/**
 * cfn-lint (CloudFormation's own linter: resource schemas, property values, dependencies) finds
 * nothing, warnings included, in the synthesized template of every environment. cfn-lint is a
 * Python tool that the build cannot install (PyPI is out of reach); it comes with the build
 * machine (pip, under pyenv). Without it the test is skipped, except under CI (CI=true), where it
 * fails.
 */
class CfnLintTest {

  static String cfnLint;

  @BeforeAll
  static void findCfnLint() throws IOException {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(Path.of(dir, "cfn-lint"));
    }
    // pip's install under pyenv, also when a non-interactive shell has no pyenv on its PATH.
    Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
    if (Files.isDirectory(pyenv)) {
      try (Stream<Path> versions = Files.list(pyenv)) {
        versions.sorted().forEach(v -> candidates.add(v.resolve("bin").resolve("cfn-lint")));
      }
    }
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate)) {
        cfnLint = candidate.toString();
        return;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("cfn-lint is not on the PATH of this CI machine");
    }
    Assumptions.abort("cfn-lint is not on the PATH");
  }

  record Result(int exit, String output) {}

  static Result lint(List<Path> templates) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(cfnLint, "--format", "parseable"));
    templates.forEach(t -> command.add(t.toString()));
    File log = Files.createTempFile("cfn-lint", ".log").toFile();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("cfn-lint finished").isTrue();
    String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    Files.delete(log.toPath());
    return new Result(p.exitValue(), out);
  }

  @Test
  void everySynthesizedTemplateIsClean() throws Exception {
    App app = CdkTestSupport.app(java.util.Map.of(), "cdk.out-cfn-lint");
    Path out = Path.of(app.synth().getDirectory());
    List<Path> templates = new ArrayList<>();
    for (String env : EnvironmentConfig.ENVIRONMENTS) {
      templates.add(out.resolve("Tributary-" + env + ".template.json"));
    }
    Result r = lint(templates);
    assertThat(r.output()).as("cfn-lint findings").isEmpty();
    assertThat(r.exit()).isZero();
  }

  @Test
  void cfnLintReallyReportsProblems(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.template.json");
    Files.writeString(bad, """
        {"Resources": {
          "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketNam": "x"}},
          "Topic": {"Type": "AWS::SNS::Topic", "DependsOn": ["Nothing"]}}}
        """);
    Result r = lint(List.of(bad));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("BucketNam").contains("Nothing");
  }
}
