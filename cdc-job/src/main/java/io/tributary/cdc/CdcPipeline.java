package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.PgColumnType;
import io.tributary.cdc.silver.PositionDeduplicator;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverRowTypeInfo;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.SourceTable;
import io.tributary.cdc.silver.TableName;
import io.tributary.cdc.source.PostgresCatalog;
import io.tributary.cdc.source.PostgresCdcSource;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.delta.EvolvingDeltaSink;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the CDC pipeline to a {@link StreamExecutionEnvironment}: source (Debezium, one task) →
 * {@link PositionDeduplicator} → one {@link EvolvingDeltaSink} per captured table, and per table
 * served to a warehouse one {@link io.tributary.cdc.warehouse.WarehouseSink}. No static
 * state; several pipelines (with different slots) can share one environment.
 *
 * <p>Building connects to PostgreSQL: it reads and validates the captured tables' schemas
 * (unsupported types, event-time columns, name clashes — all reported at once), makes sure the
 * publication exists, and creates or checks the silver tables.
 */
public final class CdcPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(CdcPipeline.class);

  private CdcPipeline() {}

  /** Reads and validates the captured tables' schemas. */
  public static Map<TableName, SilverSchema> loadSchemas(CdcJobConfig config, Connection c) throws SQLException {
    List<String> problems = new ArrayList<>();
    Map<TableName, SilverSchema> schemas = new LinkedHashMap<>();
    for (TableName t : config.tables()) {
      Optional<SourceTable> table = PostgresCatalog.load(c, t, problems);
      if (!table.isPresent()) {
        continue;
      }
      SilverSchema schema = new SilverSchema(table.get(), 1);
      for (String clash : schema.clashingColumns()) {
        problems.add("column " + t + "." + clash + " clashes with the silver metadata column of that name");
      }
      String eventTime = config.eventTimeColumn(t);
      if (eventTime != null) {
        int i = table.get().indexOf(eventTime);
        if (i < 0) {
          problems.add("event-time column " + t + "." + eventTime + " does not exist");
        } else {
          PgColumnType.Kind k = table.get().columns().get(i).type().kind();
          if (k != PgColumnType.Kind.TIMESTAMP && k != PgColumnType.Kind.TIMESTAMPTZ && k != PgColumnType.Kind.DATE) {
            problems.add("event-time column " + t + "." + eventTime + " is " + table.get().columns().get(i).type().pgType()
                + "; use a timestamp, timestamptz or date column");
          }
        }
      }
      if (table.get().primaryKey().isEmpty()) {
        LOG.warn("{} has no primary key: its silver table is a change log without a current-state key "
            + "(updates and deletes need REPLICA IDENTITY FULL; see README)", t);
      }
      if (table.get().replicaIdentity() != 'f') {
        LOG.warn("{} has REPLICA IDENTITY {}: before-images of updates are missing, deletes carry only the key and "
            + "unchanged TOASTed values of updates are written as null; consider ALTER TABLE {} REPLICA IDENTITY FULL",
            t, table.get().replicaIdentity(), t.quoted());
      }
      schemas.put(t, schema);
    }
    io.tributary.config.InvalidConfigurationException.throwIfAny("cdc-job tables", problems);
    return schemas;
  }

  /**
   * Adds the pipeline to {@code env}. Checkpointing must be enabled (the Delta sink commits per
   * checkpoint); the caller applies {@link io.tributary.config.CheckpointOptions}.
   *
   * @return the deduplicated change stream (already connected to the sinks), e.g. for metrics
   */
  public static DataStream<SilverRow> addTo(StreamExecutionEnvironment env, CdcJobConfig config) {
    Map<TableName, SilverSchema> schemas;
    try (Connection c = ReplicationAdmin.connect(config)) {
      schemas = loadSchemas(config, c);
      ReplicationAdmin.ensurePublication(c, config);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot prepare CDC from " + config.jdbcUrl() + ": " + e.getMessage(), e);
    }
    String uid = config.uidPrefix();
    DataStream<SilverRow> changes =
        env.addSource(new PostgresCdcSource(config), "PostgreSQL CDC " + config.slotName(), new SilverRowTypeInfo())
            .uid(uid + "-postgres-source")
            .setParallelism(1)
            .setMaxParallelism(1);
    SingleOutputStreamOperator<SilverRow> deduplicated =
        changes
            .process(new PositionDeduplicator(), new SilverRowTypeInfo())
            .name("Drop replayed changes")
            .uid(uid + "-dedup")
            .setParallelism(1);
    for (Map.Entry<TableName, SilverSchema> e : schemas.entrySet()) {
      TableName table = e.getKey();
      io.tributary.delta.DeltaSinkConfig sinkConfig = config.sinkConfig(table);
      SilverSchema schema = e.getValue();
      if (!schema.source().primaryKey().isEmpty()) {
        // Readers derive the current state by this key (tributary query's <table>_current views).
        sinkConfig = sinkConfig.withTablePropertyIfAbsent("tributary.cdc.primary-key",
            String.join(",", schema.source().primaryKey()));
      }
      EvolvingDeltaSink<SilverRow> sink = new EvolvingDeltaSink<>(schema.rowType(), sinkConfig, SilverSchema.EVENT_DATE);
      String name = CdcJobConfig.silverName(table);
      DataStream<SilverRow> rows =
          schemas.size() == 1
              ? deduplicated
              : deduplicated.filter(new TableFilter(table)).name("Rows of " + table).uid(uid + "-filter-" + name)
                  .setParallelism(1);
      if (config.parallelism() > 1) {
        rows = rows.rebalance();
      }
      rows.sinkTo(sink).name("Delta " + name).uid(uid + "-delta-" + name).setParallelism(config.parallelism());
      LOG.info("Capturing {} into {}", table, config.tablePath(table));
    }
    config.warehouse().ifPresent(w -> io.tributary.cdc.warehouse.Warehouse.addTo(w, schemas,
        t -> schemas.size() == 1
            ? deduplicated
            : deduplicated.filter(new TableFilter(t)).name("Warehouse rows of " + t)
                .uid(uid + "-warehouse-filter-" + CdcJobConfig.silverName(t)).setParallelism(1),
        uid));
    return deduplicated;
  }

  /** Keeps the rows of one table. */
  static final class TableFilter implements org.apache.flink.api.common.functions.FilterFunction<SilverRow> {
    private static final long serialVersionUID = 1L;
    private final TableName table;

    TableFilter(TableName table) {
      this.table = table;
    }

    @Override
    public boolean filter(SilverRow row) {
      return row.table().equals(table);
    }
  }
}
