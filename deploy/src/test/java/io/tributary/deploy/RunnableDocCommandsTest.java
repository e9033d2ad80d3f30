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
 * {@code build/run-documented-commands.py}, which CI runs after the tests: it runs every command of
 * README.md and docs/*.md marked {@code <!-- runnable -->} (or the short form a {@code <!--
 * runnable: ... -->} mark names) and fails when one of them fails.
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
        "Not marked, never run:", "```bash", "exit 7", "```",
        "<!-- runnable -->", "```bash", "# a comment", "test -f README.md", "echo continued \\", "  line", "```",
        "<!-- runnable: exit 3 -->", "```bash", "./slow-command --for-hours", "```", ""));
    Result list = run(tmp, "--list");
    assertThat(list.code()).isZero();
    assertThat(list.output().lines()).containsExactly("README.md:5\ttest -f README.md",
        "README.md:5\techo continued line", "README.md:12\texit 3");

    Result failed = run(tmp);
    assertThat(failed.code()).as(failed.output()).isEqualTo(1);
    assertThat(failed.output()).contains("FAILED README.md:12 (exit 3): exit 3").contains("2 of 3");

    Files.createDirectory(tmp.resolve("docs"));
    Files.writeString(tmp.resolve("README.md"), "<!-- runnable -->\n```bash\ntrue\n```\n");
    Files.writeString(tmp.resolve("docs/x.md"), "<!-- runnable: echo short form -->\n```bash\n./long\n```\n");
    Result passed = run(tmp);
    assertThat(passed.code()).as(passed.output()).isZero();
    assertThat(passed.output()).contains("2 of 2 documented commands passed");
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
    assertThat(list.output()).contains("./tributary local --help");
    assertThat(Files.readString(DocumentedCommandsTest.ROOT.resolve(".github/workflows/ci.yml")))
        .contains("build/run-documented-commands.py");
  }
}
