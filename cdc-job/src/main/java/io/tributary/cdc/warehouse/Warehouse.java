package io.tributary.cdc.warehouse;

import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.TableName;
import io.tributary.config.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds the warehouse sinks of the opted-in tables to a CDC pipeline (docs/warehouse.md). */
public final class Warehouse {
  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

  private Warehouse() {}

  /**
   * Connects, per table of {@code config}, the rows of that table, keyed by primary key, to a
   * {@link WarehouseSink}.
   *
   * @param changes the deduplicated change stream of every captured table
   * @param schemas the captured tables' initial silver schemas
   * @param rowsOf the change stream of one table
   * @throws InvalidConfigurationException when a table cannot be served (listing every problem)
   */
  public static void addTo(WarehouseConfig config, Map<TableName, SilverSchema> schemas,
      java.util.function.Function<TableName, DataStream<SilverRow>> rowsOf, String uidPrefix) {
    List<String> problems = new ArrayList<>();
    for (TableName t : config.tables()) {
      SilverSchema schema = schemas.get(t);
      if (schema != null) {
        problems.addAll(new WarehouseTable(config.schema(), schema).problems(config.dialect()));
      }
    }
    InvalidConfigurationException.throwIfAny("cdc-job warehouse", problems);
    for (TableName t : config.tables()) {
      SilverSchema schema = schemas.get(t);
      if (schema == null) {
        continue;
      }
      String name = WarehouseTable.nameOf(t);
      rowsOf.apply(t)
          .keyBy(new WarehouseKey())
          .sinkTo(new WarehouseSink(config, schema))
          .name("Warehouse " + name)
          .uid(uidPrefix + "-warehouse-" + name)
          .setParallelism(config.parallelism());
      LOG.info("Serving the current state of {} to the warehouse table {}.{} ({})", t, config.schema(), name,
          config.dialect());
    }
  }
}
