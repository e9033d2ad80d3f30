package io.tributary.cli.sql;

import io.delta.kernel.Snapshot;
import io.delta.kernel.types.StructType;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.maintenance.MaintainedTable;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The silver tables a query can name: every Delta table directly under {@code <lake>/silver/}
 * plus tables given explicitly by path (local or {@code s3a://}). Each table is read at its
 * latest snapshot: schema, partition columns and the exact list of active data files.
 */
public final class SilverCatalog {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** One table at its latest snapshot. */
  public static final class Table {
    final String name;
    final String path;
    final long version;
    final StructType schema;
    final List<String> partitionColumns;
    final List<ActiveFile> files;
    final Map<String, String> properties;

    Table(String name, String path, long version, StructType schema, List<String> partitionColumns, List<ActiveFile> files,
        Map<String, String> properties) {
      this.properties = properties;
      this.name = name;
      this.path = path;
      this.version = version;
      this.schema = schema;
      this.partitionColumns = partitionColumns;
      this.files = files;
    }

    public String name() {
      return name;
    }

    public String path() {
      return path;
    }

    public long version() {
      return version;
    }

    public StructType schema() {
      return schema;
    }

    public List<String> partitionColumns() {
      return partitionColumns;
    }

    public List<ActiveFile> files() {
      return files;
    }

    /** Delta table properties (the {@code configuration} of its metadata). */
    public Map<String, String> properties() {
      return properties;
    }
  }

  private final Map<String, Table> tables;

  private SilverCatalog(Map<String, Table> tables) {
    this.tables = Collections.unmodifiableMap(tables);
  }

  /**
   * @param lake lake directory whose {@code silver/} subdirectories are tables (may not exist)
   * @param extra table name to path, added to (or replacing) the lake's tables
   * @param hadoop Hadoop options for {@code s3a://} tables
   * @throws IllegalArgumentException for a name that is not a plain SQL identifier or a path
   *     without a Delta table
   */
  public static SilverCatalog load(Path lake, Map<String, String> extra, Map<String, String> hadoop) {
    Map<String, String> paths = new LinkedHashMap<>();
    File[] dirs = lake.resolve("silver").toFile().listFiles(f -> new File(f, "_delta_log").isDirectory());
    if (dirs != null) {
      Arrays.sort(dirs);
      for (File dir : dirs) {
        paths.put(dir.getName().toLowerCase(Locale.ROOT), dir.getAbsolutePath());
      }
    }
    extra.forEach((name, path) -> paths.put(name.toLowerCase(Locale.ROOT), path));
    Map<String, Table> tables = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : paths.entrySet()) {
      if (!IDENTIFIER.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("Table name '" + e.getKey() + "' is not a plain SQL identifier");
      }
      MaintainedTable table = MaintainedTable.open(e.getValue(), hadoop);
      Snapshot snapshot = table.snapshot();
      tables.put(e.getKey(), new Table(e.getKey(), table.path(), snapshot.getVersion(), snapshot.getSchema(),
          new ArrayList<>(snapshot.getPartitionColumnNames()), ActiveFile.list(table.engine(), snapshot),
          snapshot.getTableProperties()));
    }
    return new SilverCatalog(tables);
  }

  public Map<String, Table> tables() {
    return tables;
  }

  public boolean isEmpty() {
    return tables.isEmpty();
  }
}
