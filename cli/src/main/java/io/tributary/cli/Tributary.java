package io.tributary.cli;

import io.tributary.producers.ProduceCommand;
import java.util.Arrays;

/** The {@code tributary} command: dispatches to one command class per verb. */
public final class Tributary {
  private Tributary() {}

  static final String USAGE =
      String.join(
          "\n",
          "usage: tributary <command> [options]",
          "",
          "commands:",
          "  local     run the platform locally: PostgreSQL, Kinesis emulator, producers, cdc-job and events-job",
          "  tables    list the silver tables: version, rows, files, partitions, size, last commit",
          "  query     run SQL over the silver tables (DuckDB), e.g. tributary query \"SELECT count(*) FROM orders_current\"",
          "  ddl       print the Glue/Athena or Redshift Spectrum DDL of the silver tables",
          "  maintain  compact, vacuum, checkpoint a table, write its Redshift Spectrum manifests",
          "  produce   produce test data: orders into PostgreSQL, web events into Kinesis",
          "  drill     failure drill: kill -9 the local platform repeatedly, then prove exactly once",
          "  help      this text",
          "",
          "run 'tributary <command> --help' for its options");

  public static void main(String[] args) {
    String command = args.length == 0 ? "help" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    int code;
    switch (command) {
      case "local":
        code = LocalCommand.run(rest);
        break;
      case "tables":
        code = TablesCommand.run(rest);
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
      case "produce":
        code = ProduceCommand.execute(rest);
        break;
      case "drill":
        code = DrillCommand.run(rest);
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
    System.exit(code);
  }
}
