package io.tributary.cli;

import java.util.Arrays;

/** The {@code tributary} command. */
public final class Tributary {
  private Tributary() {}

  static final String USAGE =
      String.join(
          "\n",
          "usage: tributary <command> [options]",
          "",
          "commands:",
          "  local     run Tributary locally on a Flink MiniCluster (today: the Delta sink demo)",
          "  tables    list the Delta tables under the lake directory",
          "  query     run SQL over the silver tables (DuckDB), e.g. tributary query \"SELECT count(*) FROM orders\"",
          "  ddl       print the Glue/Athena or Redshift Spectrum DDL of the silver tables",
          "  maintain  compact, vacuum, checkpoint a table, write its Redshift Spectrum manifests",
          "  help      this text",
          "",
          "run 'tributary <command> --help' for its options");

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    int code;
    try {
      switch (command) {
        case "local":
          code = LocalDemo.run(Options.parse(rest, LocalDemo.OPTIONS));
          break;
        case "tables":
          code = TablesCommand.run(Options.parse(rest, TablesCommand.OPTIONS));
          break;
        case "query":
          code = QueryCommand.run(rest);
          break;
        case "ddl":
          code = DdlCommand.run(rest);
          break;
        case "maintain":
          code = MaintainCommand.run(rest);
          break;
        case "help":
        case "--help":
        case "-h":
          System.out.println(USAGE);
          code = 0;
          break;
        default:
          System.err.println("tributary: unknown command '" + command + "'\n\n" + USAGE);
          code = 2;
      }
    } catch (Options.UsageException e) {
      System.err.println("tributary " + command + ": " + e.getMessage());
      code = 2;
    }
    System.exit(code);
  }
}
