package io.tributary.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options every job writing Delta tables shares: where the tables go ({@code lake.path}) and
 * the prefixes of what is handed to the Delta sink ({@code sink.}, {@code hadoop.}, {@code
 * table.property.}). Defined once here so both jobs read them, and join table paths, the same way.
 *
 * <p>The sink options themselves (their keys, types and validation) are delta-sink's {@code
 * DeltaSinkOptions}/{@code DeltaSinkConfig}: delta-sink is a library usable without this module
 * and does not depend on it. This class only names the job-side prefixes and builds the map of
 * sink option keys that {@code DeltaSinkConfig} reads.
 */
public final class LakeOptions {
  private LakeOptions() {}

  public static final ConfigOption<String> LAKE_PATH =
      ConfigOptions.key("lake.path")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Folder of the job's Delta tables: a local path, file:/..., or s3a://bucket/prefix; table <t> goes to "
                  + "<lake.path>/<t> (trailing slashes are ignored). Required.");

  /** Delta sink options ({@code DeltaSinkOptions}), without the prefix: {@code sink.parquet.compression}. */
  public static final String SINK_PREFIX = "sink.";

  /** Hadoop/S3A configuration entries of the job's tables, without the prefix: {@code hadoop.fs.s3a.endpoint}. */
  public static final String HADOOP_PREFIX = "hadoop.";

  /** Delta table properties set when a table is created, without the prefix. */
  public static final String TABLE_PROPERTY_PREFIX = "table.property.";

  /** Every typed option above. */
  public static final List<ConfigOption<?>> ALL = List.of(LAKE_PATH);

  /**
   * The one trailing-slash rule: trailing slashes are dropped (a lone {@code /} stays), so {@code
   * s3a://lake/silver/} and {@code s3a://lake/silver} name the same folder.
   *
   * @return the trimmed path without trailing slashes, or null for a null or blank one
   */
  public static String normalizeLakePath(String path) {
    if (path == null || path.trim().isEmpty()) {
      return null;
    }
    String p = path.trim();
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Where table {@code table} lives under {@code lakePath} (normalized by {@link #normalizeLakePath}). */
  public static String tablePath(String lakePath, String table) {
    String lake = normalizeLakePath(lakePath);
    return lake.endsWith("/") ? lake + table : lake + "/" + table;
  }

  /**
   * The Delta sink options in {@code params}, keyed as the sink reads them: {@code sink.<key>}
   * becomes {@code <key>}, {@code hadoop.<key>} stays {@code hadoop.<key>} (the sink's own Hadoop
   * prefix is the same), and, when {@code withTableProperties}, {@code table.property.<key>} stays.
   */
  public static Map<String, String> sinkOptions(JobParameters params, boolean withTableProperties) {
    Map<String, String> sink = new TreeMap<>(params.withPrefix(SINK_PREFIX));
    params.withPrefix(HADOOP_PREFIX).forEach((k, v) -> sink.put(HADOOP_PREFIX + k, v));
    if (withTableProperties) {
      params.withPrefix(TABLE_PROPERTY_PREFIX).forEach((k, v) -> sink.put(TABLE_PROPERTY_PREFIX + k, v));
    }
    return sink;
  }
}
