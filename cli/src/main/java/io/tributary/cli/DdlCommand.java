package io.tributary.cli;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.tributary.cli.sql.SilverCatalog;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.maintenance.SymlinkManifests;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary ddl athena|redshift}: the DDL that registers the silver tables in AWS, from
 * their Delta schemas: Glue/Athena native Delta tables, or Redshift Spectrum external tables over
 * the symlink manifests (see docs/maintenance.md).
 */
@Command(
    name = "ddl",
    mixinStandardHelpOptions = true,
    description = {
      "Print the DDL that registers the silver tables: 'athena' for Glue/Athena native Delta tables,"
          + " 'redshift' for Redshift Spectrum external tables over symlink manifests (with partitions).",
      "Schemas and partitions are read from the tables' Delta logs (local or s3a://)."
    })
public final class DdlCommand implements Callable<Integer> {

  /** Target engines. */
  enum Target {
    ATHENA,
    REDSHIFT
  }

  @Parameters(index = "0", paramLabel = "athena|redshift", description = "Which DDL to print.")
  String target;

  @Mixin SilverTableOptions source;

  @Option(names = "--location", paramLabel = "S3_URI", description = "Where the tables live in AWS, e.g. s3://my-lake/silver (table = <location>/<name>). Default: each table's own path.")
  String location;

  @Option(names = "--database", defaultValue = "tributary_silver", description = "Glue database (default ${DEFAULT-VALUE}; Spectrum uses <database>_spectrum).")
  String database;

  @Option(names = "--schema", defaultValue = "silver", description = "Redshift external schema (default ${DEFAULT-VALUE}).")
  String schema;

  @Option(names = "--iam-role", defaultValue = "arn:aws:iam::<account-id>:role/<spectrum-role>", description = "IAM role Redshift uses for Spectrum (default: a placeholder to replace).")
  String iamRole;

  @Override
  public Integer call() {
    Target t;
    try {
      t = Target.valueOf(target.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), "Unknown target '" + target + "': use athena or redshift");
    }
    SilverCatalog catalog = source.catalog();
    if (catalog.isEmpty()) {
      System.err.println("tributary ddl: " + source.noTables());
      return 1;
    }
    if (t == Target.ATHENA) {
      athena(catalog, System.out);
    } else {
      redshift(catalog, System.out);
    }
    return 0;
  }

  void athena(SilverCatalog catalog, PrintStream out) {
    out.println("-- Glue/Athena: native Delta Lake tables. Athena reads the schema and the active files from");
    out.println("-- the Delta log, so new columns and new data are visible without crawlers or repairs.");
    out.printf("CREATE DATABASE IF NOT EXISTS %s;%n%n", database);
    for (SilverCatalog.Table table : catalog.tables().values()) {
      out.printf("CREATE EXTERNAL TABLE IF NOT EXISTS %s.%s%nLOCATION '%s/'%nTBLPROPERTIES ('table_type' = 'DELTA');%n%n",
          database, table.name(), s3Location(table));
    }
    for (String view : SilverViews.athenaViews(catalog, database)) {
      out.println(view);
      out.println();
    }
  }

  void redshift(SilverCatalog catalog, PrintStream out) {
    String spectrumDatabase = database + "_spectrum";
    out.println("-- Redshift Spectrum: external tables over the symlink manifests that the sink keeps current");
    out.println("-- (sink option manifest.enabled=true) or `tributary maintain manifest` writes.");
    out.printf("CREATE EXTERNAL SCHEMA IF NOT EXISTS %s%nFROM DATA CATALOG DATABASE '%s'%nIAM_ROLE '%s'%n"
        + "CREATE EXTERNAL DATABASE IF NOT EXISTS;%n%n", schema, spectrumDatabase, iamRole);
    for (SilverCatalog.Table table : catalog.tables().values()) {
      List<String> columns = new ArrayList<>();
      List<String> partitions = new ArrayList<>();
      for (StructField f : table.schema().fields()) {
        String column = "  " + quote(f.getName()) + " " + redshiftType(f.getDataType());
        (table.partitionColumns().contains(f.getName()) ? partitions : columns).add(column);
      }
      String manifests = s3Location(table) + "/" + SymlinkManifests.DIRECTORY + "/";
      out.printf("CREATE EXTERNAL TABLE %s.%s (%n%s%n)%n", quote(schema), quote(table.name()), String.join(",\n", columns));
      if (!partitions.isEmpty()) {
        out.printf("PARTITIONED BY (%s)%n", partitions.stream().map(String::trim).collect(Collectors.joining(", ")));
      }
      out.printf("ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'%n"
          + "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'%n"
          + "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'%n"
          + "LOCATION '%s';%n%n", manifests);
      for (Map<String, String> partition : partitions(table)) {
        String spec = table.partitionColumns().stream()
            .map(c -> quote(c) + "='" + String.valueOf(partition.get(c)).replace("'", "''") + "'")
            .collect(Collectors.joining(", "));
        out.printf("ALTER TABLE %s.%s ADD IF NOT EXISTS PARTITION (%s)%nLOCATION '%s%s';%n", quote(schema),
            quote(table.name()), spec,
            manifests, DeltaTables.partitionDirectory(table.partitionColumns(), partition));
      }
      out.println();
    }
    out.println("-- New partitions need their ALTER TABLE ... ADD PARTITION (run this command again, or");
    out.println("-- `tributary maintain manifest` then this). An added column: ALTER TABLE ... ADD COLUMN.");
  }

  /** Distinct partitions with data, in order; partitions holding a null value are left out (Spectrum cannot name them). */
  private static List<Map<String, String>> partitions(SilverCatalog.Table table) {
    if (table.partitionColumns().isEmpty()) {
      return List.of();
    }
    TreeMap<String, Map<String, String>> byDirectory = new TreeMap<>();
    for (ActiveFile f : table.files()) {
      if (f.partitionValues().values().stream().noneMatch(v -> v == null)) {
        byDirectory.putIfAbsent(DeltaTables.partitionDirectory(table.partitionColumns(), f.partitionValues()), f.partitionValues());
      }
    }
    return new ArrayList<>(byDirectory.values());
  }

  private String s3Location(SilverCatalog.Table table) {
    if (location != null) {
      return location.replaceAll("/+$", "") + "/" + table.name();
    }
    String p = table.path();
    return p.startsWith("s3a://") ? "s3://" + p.substring("s3a://".length()) : p;
  }

  /**
   * A Redshift identifier in double quotes (embedded quotes doubled), so that CDC columns or tables
   * named like reserved words ({@code user}, {@code order}) work.
   */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** Redshift Spectrum column type for a Delta type, as the sink writes it to Parquet. */
  static String redshiftType(DataType t) {
    if (t instanceof StringType) return "varchar(65535)";
    if (t instanceof LongType) return "bigint";
    if (t instanceof IntegerType) return "integer";
    if (t instanceof ShortType || t instanceof ByteType) return "smallint";
    if (t instanceof BooleanType) return "boolean";
    if (t instanceof DoubleType) return "double precision";
    if (t instanceof FloatType) return "real";
    if (t instanceof DateType) return "date";
    if (t instanceof TimestampType || t instanceof TimestampNTZType) return "timestamp";
    if (t instanceof BinaryType) return "varbyte(1024000)";
    if (t instanceof DecimalType) {
      DecimalType d = (DecimalType) t;
      return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
    }
    if (t instanceof ArrayType) return "array<" + redshiftType(((ArrayType) t).getElementType()) + ">";
    if (t instanceof MapType) {
      MapType m = (MapType) t;
      return "map<" + redshiftType(m.getKeyType()) + "," + redshiftType(m.getValueType()) + ">";
    }
    if (t instanceof StructType) {
      return "struct<" + ((StructType) t).fields().stream()
          .map(f -> f.getName() + ":" + redshiftType(f.getDataType())).collect(Collectors.joining(",")) + ">";
    }
    throw new IllegalArgumentException("No Redshift Spectrum type for Delta type " + t);
  }

  static int run(String[] args) {
    CommandLine cli = new CommandLine(new DdlCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tributary ddl: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }
}
