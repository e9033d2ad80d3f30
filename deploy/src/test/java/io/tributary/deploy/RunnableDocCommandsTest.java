package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build/run-documented-commands.py}, which CI runs in a job beside the tests: it runs every command of
 * README.md, docs/*.md and the module READMEs marked {@code <!-- runnable -->} (or the short form a
 * {@code <!-- runnable: ... -->} mark names) and fails when one of them fails; a shell block without
 * a mark (or a {@code <!-- not runnable: why -->}) is an error. The commands themselves are not run
 * here (minutes of builds and benchmarks): only CI's workflow step runs them.
 */
class RunnableDocCommandsTest {
  static final Path SCRIPT = DocumentedCommandsTest.ROOT.resolve("build/run-documented-commands.py");

  @TempDir Path tmp;

  record Result(int code, String output) {}

  static Result run(Path root, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), "--root", root.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  @Test
  void aMarkedCommandThatFailsFailsTheCheck() throws Exception {
    Files.writeString(tmp.resolve("README.md"), String.join("\n",
        "Not run:", "<!-- not runnable: an example -->", "```bash", "exit 7", "```",
        "<!-- runnable -->", "```bash", "# a comment", "test -f README.md", "echo continued \\", "  line", "```",
        "<!-- runnable: exit 3 -->", "```bash", "./slow-command --for-hours", "```", ""));
    Result list = run(tmp, "--list");
    assertThat(list.code()).isZero();
    assertThat(list.output().lines()).containsExactly("README.md:6\ttest -f README.md",
        "README.md:6\techo continued line", "README.md:13\texit 3");

    Result failed = run(tmp);
    assertThat(failed.code()).as(failed.output()).isEqualTo(1);
    assertThat(failed.output()).contains("FAILED README.md:13 (exit 3): exit 3").contains("2 of 3");

    Files.createDirectory(tmp.resolve("docs"));
    Files.writeString(tmp.resolve("README.md"), "<!-- runnable -->\n```bash\ntrue\n```\n");
    Files.writeString(tmp.resolve("docs/x.md"), "<!-- runnable: echo short form -->\n```bash\n./long\n```\n");
    Result passed = run(tmp);
    assertThat(passed.code()).as(passed.output()).isZero();
    assertThat(passed.output()).contains("2 of 2 documented commands passed");
  }

  @Test
  void theModuleReadmesRunToo_afterReadmeAndLocalMd() throws Exception {
    Files.createDirectories(tmp.resolve("docs"));
    Files.createDirectories(tmp.resolve("producers"));
    Files.writeString(tmp.resolve("README.md"), "<!-- runnable -->\n```bash\necho readme > order.txt\n```\n");
    Files.writeString(tmp.resolve("docs/a.md"), "<!-- runnable -->\n```bash\necho a >> order.txt\n```\n");
    // local.md runs before the other docs: its local run makes the tables later commands read.
    Files.writeString(tmp.resolve("docs/local.md"), "<!-- runnable -->\n```bash\necho local >> order.txt\n```\n");
    Files.writeString(tmp.resolve("producers/README.md"),
        "text\n<!-- runnable: echo producers >> order.txt -->\n```bash\n./mvnw -pl producers -am verify\n```\n");
    Result passed = run(tmp);
    assertThat(passed.code()).as(passed.output()).isZero();
    assertThat(passed.output()).contains("4 of 4 documented commands passed");
    assertThat(Files.readAllLines(tmp.resolve("order.txt"))).containsExactly("readme", "local", "a", "producers");

    Result only = run(tmp, "--only", "producers/", "--list");
    assertThat(only.output().lines()).containsExactly("producers/README.md:2\techo producers >> order.txt");
  }

  @Test
  void aShellBlockWithoutAMarkIsAnError() throws Exception {
    Files.createDirectories(tmp.resolve("cdc-job"));
    Files.writeString(tmp.resolve("README.md"), "```\nnot a shell block: no mark needed\n```\n");
    Files.writeString(tmp.resolve("cdc-job/README.md"), "Build:\n\n```bash\n./mvnw -pl cdc-job -am package\n```\n");
    Result r = run(tmp, "--list");
    assertThat(r.code()).isNotZero();
    assertThat(r.output()).contains("cdc-job/README.md:3: a shell block needs <!-- runnable -->");

    Files.writeString(tmp.resolve("cdc-job/README.md"), "<!-- not runnable: -->\n```bash\nx\n```\n");
    assertThat(run(tmp, "--list").output()).as("a reason is required").contains("a shell block needs");
  }

  @Test
  void aMarkWithoutABlockIsAnError() throws Exception {
    Files.writeString(tmp.resolve("README.md"), "<!-- runnable -->\ntext\n");
    Result r = run(tmp, "--list");
    assertThat(r.code()).isNotZero();
    assertThat(r.output()).contains("README.md:1: a runnable mark must be followed directly by a fenced code block");
  }

  @Test
  void theDocsMarkCommandsAndCiRunsThem() throws Exception {
    Result list = run(DocumentedCommandsTest.ROOT, "--list");
    assertThat(list.code()).as(list.output()).isZero();
    assertThat(list.output())
        .contains("docs/local.md:5\t./tributary local --duration 20s")
        .contains("docs/maintenance.md:11\t./tributary maintain compact lakehouse/silver/atomic_events")
        .contains("docs/deploy.md:")
        .contains("cdc-job/README.md:")
        .contains("producers/README.md:");
    assertThat(Files.readString(DocumentedCommandsTest.ROOT.resolve(".github/workflows/ci.yml")))
        .contains("build/run-documented-commands.py");
  }
}
