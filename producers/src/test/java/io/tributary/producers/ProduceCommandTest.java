package io.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line parsing, help and errors (no services needed). */
class ProduceCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    ProduceCommand command = new ProduceCommand(env::get, new Secrets(env::get, Secrets.fixed(Map.of())),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return ProduceCommand.commandLine(command).execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpDocumentsEveryOption() {
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("Usage: produce", "orders", "events");
    out.reset();
    assertThat(run("orders", "--help")).isZero();
    assertThat(out()).contains("--jdbc-url=URL", "--password-env", "--password-secret-id", "--jdbc-property",
        "--no-create", "--rate=RATE", "Default: 5/s", "--mix", "--txn-size", "--count", "--duration", "--seed",
        "--reconnect-timeout", "--producer-id");
    out.reset();
    assertThat(run("events", "--help")).isZero();
    assertThat(out()).contains("--stream=NAME", "--region", "--endpoint", "--profile", "--access-key-id-env",
        "--rate=RATE", "Default: 50/s", "--malformed-rate", "--duplicate-rate", "--batch-size", "--linger",
        "--max-attempts", "--start-time");
    out.reset();
    assertThat(run("help", "events")).isZero();
    assertThat(out()).contains("--stream=NAME");
    assertThat(err()).isEmpty();
  }

  @Test
  void badOptionsGiveOneLineAndExitCode2() {
    assertThat(run("orders", "--jdbc-url", "jdbc:postgresql://h/db", "--rate", "fast")).isEqualTo(2);
    assertThat(err()).isEqualTo("produce orders: Invalid value for option '--rate': 'fast' is not a rate: "
        + "use e.g. 5/s, 300/min, 1000/h or max (see 'produce orders --help')" + System.lineSeparator());
    assertThat(out()).isEmpty();

    assertOneLineUsageError("is not a duration", "orders", "--jdbc-url", "jdbc:postgresql://h/db", "--duration", "ten minutes");
    assertOneLineUsageError("is not a mix", "orders", "--jdbc-url", "jdbc:postgresql://h/db", "--mix", "60,40");
    assertOneLineUsageError("Missing required option: '--jdbc-url=URL'", "orders");
    assertOneLineUsageError("must start with jdbc:postgresql:", "orders", "--jdbc-url", "jdbc:mysql://h/db");
    assertOneLineUsageError("transaction size must be between 1 and 10000", "orders", "--jdbc-url", "jdbc:postgresql://h/db", "--txn-size", "0");
    assertOneLineUsageError("--password-env names the environment variable NOT_SET, which is not set", "orders",
        "--jdbc-url", "jdbc:postgresql://h/db", "--password-env", "NOT_SET");
    assertOneLineUsageError("Unknown option: '--bogus'", "events", "--stream", "s", "--bogus");
    assertOneLineUsageError("malformed rate must be between 0 and 1", "events", "--stream", "s", "--malformed-rate", "2");
    assertOneLineUsageError("not a valid Kinesis stream name", "events", "--stream", "no spaces");
    assertOneLineUsageError("--access-key-id-env and --secret-access-key-env go together", "events", "--stream", "s",
        "--access-key-id-env", "K");
    assertOneLineUsageError("environment variable K is not set", "events", "--stream", "s",
        "--access-key-id-env", "K", "--secret-access-key-env", "S");
    assertOneLineUsageError("not an ISO-8601 instant", "events", "--stream", "s", "--start-time", "yesterday");
    assertOneLineUsageError("missing command: orders or events");
  }

  private void assertOneLineUsageError(String message, String... args) {
    out.reset();
    err.reset();
    assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
    assertThat(err()).contains(message).doesNotContain("\tat ");
    assertThat(err().strip().lines()).hasSize(1);
  }

  @Test
  void unreachableEndpointsFailInOneLineWithExitCode1() {
    assertThat(run("orders", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/shop?password=hunter2", "--count", "1")).isEqualTo(1);
    assertThat(err()).startsWith("produce orders: error: cannot connect to jdbc:postgresql://127.0.0.1:1/shop?password=******")
        .contains("Connection to 127.0.0.1:1 refused").doesNotContain("\tat ").doesNotContain("hunter2");
    assertThat(err().strip().lines()).hasSize(1);
    assertThat(out()).doesNotContain("hunter2");

    out.reset();
    err.reset();
    Map<String, String> env = Map.of("K", "000000000000", "S", "x");
    assertThat(run(env, "events", "--stream", "s", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-1",
        "--access-key-id-env", "K", "--secret-access-key-env", "S", "--count", "1")).isEqualTo(1);
    assertThat(err()).startsWith("produce events: error: cannot reach http://127.0.0.1:1:")
        .contains("Connection refused").doesNotContain("\tat ");
    assertThat(err().strip().lines()).hasSize(1);
  }

  @Test
  void verboseShowsTheStackTrace() {
    assertThat(run("orders", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/shop", "--count", "1", "--verbose")).isEqualTo(1);
    assertThat(err()).contains("produce orders: error: cannot connect", "\tat ");
  }

  @Test
  void secretsManagerFailuresAreOneLine() {
    assertThat(run("orders", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/shop", "--password-secret-id", "missing/secret"))
        .isEqualTo(1);
    assertThat(err()).isEqualTo("produce orders: error: Secret missing/secret not found" + System.lineSeparator());
  }
}
