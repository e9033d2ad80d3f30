package io.tributary.cli.sql;

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
import io.tributary.delta.ActiveFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Registers each silver table as a DuckDB view over exactly the Parquet files the table's latest
 * Delta snapshot lists (never a directory glob: files removed by compaction, or written by a
 * failed attempt, are not part of the table). Partition values come from the Delta log, joined
 * by file name, so escaped partition directories need no parsing. Columns missing from older
 * files (added by schema evolution) read as NULL. Files of {@code s3a://} tables are copied to a
 * local cache first (DuckDB's S3 extension is a download this project does not depend on).
 */
public final class DuckDbViews {

  private final Path cache;
  private final Map<String, String> hadoop;

  public DuckDbViews(Path cache, Map<String, String> hadoop) {
    this.cache = cache;
    this.hadoop = hadoop;
  }

  /** Creates one view per table, named after it. */
  public void register(Connection connection, SilverCatalog catalog) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
    }
    for (SilverCatalog.Table table : catalog.tables().values()) {
      register(connection, table);
    }
  }

  private void register(Connection connection, SilverCatalog.Table table) throws SQLException {
    List<String> columns = new ArrayList<>();
    String name = quote(table.name());
    if (table.files().isEmpty()) {
      for (StructField f : table.schema().fields()) {
        columns.add("CAST(NULL AS " + duckType(f.getDataType()) + ") AS " + quote(f.getName()));
      }
      exec(connection, "CREATE OR REPLACE VIEW " + name + " AS SELECT " + String.join(", ", columns) + " WHERE false");
      return;
    }
    List<String> files = new ArrayList<>();
    for (ActiveFile f : table.files()) {
      files.add(localCopy(f.path()));
    }
    String read = "read_parquet([" + files.stream().map(DuckDbViews::literal).collect(Collectors.joining(", "))
        + "], filename = true, union_by_name = true)";
    Set<String> present = new HashSet<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + read)) {
      while (rs.next()) {
        present.add(rs.getString(1));
      }
    }
    boolean partitioned = !table.partitionColumns().isEmpty();
    String filesTable = quote("__tributary_files_" + table.name());
    if (partitioned) {
      exec(connection, "CREATE OR REPLACE TEMP TABLE " + filesTable + " (filename VARCHAR, "
          + table.partitionColumns().stream().map(c -> quote(c) + " VARCHAR").collect(Collectors.joining(", ")) + ")");
      String insert = "INSERT INTO " + filesTable + " VALUES (?" + ", ?".repeat(table.partitionColumns().size()) + ")";
      try (PreparedStatement ps = connection.prepareStatement(insert)) {
        for (int i = 0; i < files.size(); i++) {
          ps.setString(1, files.get(i));
          Map<String, String> values = table.files().get(i).partitionValues();
          for (int c = 0; c < table.partitionColumns().size(); c++) {
            ps.setString(c + 2, values.get(table.partitionColumns().get(c)));
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    for (StructField f : table.schema().fields()) {
      String column = quote(f.getName());
      String type = duckType(f.getDataType());
      if (table.partitionColumns().contains(f.getName())) {
        columns.add("CAST(p." + column + " AS " + type + ") AS " + column);
      } else if (present.contains(f.getName())) {
        columns.add("f." + column);
      } else {
        columns.add("CAST(NULL AS " + type + ") AS " + column);
      }
    }
    exec(connection, "CREATE OR REPLACE VIEW " + name + " AS SELECT " + String.join(", ", columns) + " FROM " + read
        + " AS f" + (partitioned ? " JOIN " + filesTable + " AS p ON f.filename = p.filename" : ""));
  }

  /** A path DuckDB can open: the local file, or a cached copy of a remote one. */
  private String localCopy(String path) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    String scheme = p.toUri().getScheme();
    if (scheme == null || scheme.equals("file")) {
      return p.toUri().getPath();
    }
    try {
      Configuration conf = new Configuration();
      hadoop.forEach(conf::set);
      FileSystem fs = p.getFileSystem(conf);
      long size = fs.getFileStatus(p).getLen();
      Path target = cache.resolve(p.toUri().getHost() + p.toUri().getPath().replace("/", "_"));
      if (!Files.exists(target) || Files.size(target) != size) {
        Files.createDirectories(cache);
        Path tmp = Files.createTempFile(cache, ".download-", ".parquet");
        try (InputStream in = fs.open(p)) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return target.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot fetch " + path + " for the query", e);
    }
  }

  /** The DuckDB type that reads the Parquet type the sink writes for a Delta type. */
  static String duckType(DataType t) {
    if (t instanceof StringType) return "VARCHAR";
    if (t instanceof LongType) return "BIGINT";
    if (t instanceof IntegerType) return "INTEGER";
    if (t instanceof ShortType) return "SMALLINT";
    if (t instanceof ByteType) return "TINYINT";
    if (t instanceof BooleanType) return "BOOLEAN";
    if (t instanceof DoubleType) return "DOUBLE";
    if (t instanceof FloatType) return "REAL";
    if (t instanceof DateType) return "DATE";
    if (t instanceof TimestampType) return "TIMESTAMPTZ";
    if (t instanceof TimestampNTZType) return "TIMESTAMP";
    if (t instanceof BinaryType) return "BLOB";
    if (t instanceof DecimalType) {
      DecimalType d = (DecimalType) t;
      return "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")";
    }
    if (t instanceof ArrayType) return duckType(((ArrayType) t).getElementType()) + "[]";
    if (t instanceof MapType) {
      MapType m = (MapType) t;
      return "MAP(" + duckType(m.getKeyType()) + ", " + duckType(m.getValueType()) + ")";
    }
    if (t instanceof StructType) {
      return "STRUCT(" + ((StructType) t).fields().stream()
          .map(f -> quote(f.getName()) + " " + duckType(f.getDataType())).collect(Collectors.joining(", ")) + ")";
    }
    throw new IllegalArgumentException("No DuckDB type for Delta type " + t);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
