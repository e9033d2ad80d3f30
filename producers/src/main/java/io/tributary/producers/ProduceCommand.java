package io.tributary.producers;

import io.tributary.config.Secrets;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code produce} command: {@code produce orders ...} and {@code produce events ...}.
 *
 * <p>Entry points: {@link #main} (exits the JVM), {@link #execute(String...)} (returns the exit
 * code: 0 success, 1 failure, 2 bad usage) and {@link #commandLine} (the picocli command, to embed
 * it as a subcommand of another CLI). Errors are one line on stderr, without stack trace unless
 * {@code --verbose}.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, version = "tributary produce 0.1.0",
    description = "Produces realistic test data: orders into PostgreSQL, web events into Kinesis.",
    subcommands = {OrdersCommand.class, EventsCommand.class, CommandLine.HelpCommand.class},
    usageHelpAutoWidth = true)
public final class ProduceCommand implements Runnable {

  /** Exit code of a failed run. */
  public static final int EXIT_FAILURE = 1;
  /** Exit code of bad usage (unknown option, bad value). */
  public static final int EXIT_USAGE = 2;

  @Spec
  CommandSpec spec;

  final Function<String, String> environment;
  final Secrets secrets;
  final PrintStream out;
  final PrintStream err;
  final Boolean terminal;

  /** Reads the process environment, AWS Secrets Manager, {@code System.out}/{@code System.err}. */
  public ProduceCommand() {
    this(System::getenv, new Secrets(), System.out, System.err, null);
  }

  /**
   * For embedding and tests.
   *
   * @param environment environment variables (credentials named by options)
   * @param secrets resolves the orders password
   * @param terminal whether progress rewrites one line; null = detect ({@code System.console()})
   */
  public ProduceCommand(Function<String, String> environment, Secrets secrets, PrintStream out, PrintStream err,
      Boolean terminal) {
    this.environment = Objects.requireNonNull(environment);
    this.secrets = Objects.requireNonNull(secrets);
    this.out = Objects.requireNonNull(out);
    this.err = Objects.requireNonNull(err);
    this.terminal = terminal;
  }

  /** Runs the command and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command with the process environment and standard streams; returns the exit code. */
  public static int execute(String... args) {
    return commandLine(new ProduceCommand()).execute(args);
  }

  /** The configured picocli command line (converters, error handlers, output streams) for {@code command}. */
  public static CommandLine commandLine(ProduceCommand command) {
    CommandLine cl = new CommandLine(command);
    cl.registerConverter(Rate.class, s -> convert(s, Rate::parse));
    cl.registerConverter(Duration.class, s -> convert(s, Durations::parse));
    cl.registerConverter(OrderMix.class, s -> convert(s, OrderMix::parse));
    cl.setOut(new PrintWriter(command.out, true));
    cl.setErr(new PrintWriter(command.err, true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(ProduceCommand::usageError);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": error: "
          + OrdersProducer.message(e));
      e.printStackTrace(commandLine.getErr());
      return EXIT_FAILURE;
    });
    cl.setExitCodeExceptionMapper(e -> EXIT_FAILURE);
    return cl;
  }

  /** Our parsers' messages are written for users: picocli shows them as they are. */
  private static <T> T convert(String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    String name = cl.getCommandSpec().qualifiedName();
    cl.getErr().println(name + ": " + OrdersProducer.message(e) + " (see '" + name + " --help')");
    return EXIT_USAGE;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: orders or events");
  }

  boolean isTerminal() {
    return terminal != null ? terminal : System.console() != null;
  }
}
