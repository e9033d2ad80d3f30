package io.tributary.cdc.source;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.SourceTable;
import io.tributary.cdc.silver.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current silver schema and converter of every captured table. When a change event names a
 * column the schema lacks ({@code ALTER TABLE ... ADD COLUMN}), the table's schema is read again
 * from {@code pg_catalog} and the event converted with the new one; the Delta sink's committer then
 * adds the column to the table ({@link io.tributary.delta.EvolvingDeltaSink}).
 */
final class SchemaTracker {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaTracker.class);

  private final CdcJobConfig config;
  private final Connection connection;
  private final Map<TableName, ChangeEventConverter> converters = new HashMap<>();
  private final ToastPlaceholder placeholder;

  SchemaTracker(CdcJobConfig config, Connection connection) throws SQLException {
    this.config = config;
    this.connection = connection;
    this.placeholder = new ToastPlaceholder(
        config.debeziumOverrides().getOrDefault("unavailable.value.placeholder", ToastPlaceholder.DEFAULT));
    for (TableName t : config.tables()) {
      converters.put(t, new ChangeEventConverter(load(t, 1), config.host(), config.database(), config.eventTimeColumn(t), placeholder));
    }
  }

  private SilverSchema load(TableName table, int version) throws SQLException {
    List<String> problems = new ArrayList<>();
    Optional<SourceTable> source = PostgresCatalog.load(connection, table, problems);
    if (!source.isPresent()) {
      throw new IllegalStateException("Cannot capture " + table + ": " + String.join("; ", problems));
    }
    return new SilverSchema(source.get(), version);
  }

  /** The current silver schema of a captured table. */
  SilverSchema schema(TableName table) {
    return converters.get(table).schema();
  }

  /** See {@link ChangeEventConverter#snapshotDelete}. */
  SilverRow snapshotDelete(TableName table, Object[] key, long snapshotLsn, long seq, long etlMillis) {
    return converters.get(table).snapshotDelete(key, snapshotLsn, seq, etlMillis);
  }

  /** See {@link ChangeEventConverter#atCommit}. */
  SilverRow atCommit(SilverRow row, long commitLsn, long etlMillis) {
    return converters.get(row.table()).atCommit(row, commitLsn, etlMillis);
  }

  /** Converts one event of {@code table}; null for non-row operations and tables not captured. */
  SilverRow convert(TableName table, Struct envelope, long commitLsn, long seq, long etlMillis) throws SQLException {
    ChangeEventConverter converter = converters.get(table);
    if (converter == null) {
      return null;
    }
    try {
      return converter.convert(envelope, commitLsn, seq, etlMillis);
    } catch (ChangeEventConverter.UnknownColumnsException e) {
      SilverSchema newer = load(table, converter.schema().version() + 1);
      for (String c : e.columns()) {
        if (newer.source().indexOf(c) < 0) {
          throw new IllegalStateException("Change event of " + table + " has column " + c
              + " which pg_catalog does not list (yet); failing over to retry", e);
        }
      }
      LOG.info("Schema of {} changed: new columns {}; now {}", table, e.columns(), newer.source().columns());
      ChangeEventConverter updated = converter.withSchema(newer, config.eventTimeColumn(table));
      converters.put(table, updated);
      try {
        return updated.convert(envelope, commitLsn, seq, etlMillis);
      } catch (ChangeEventConverter.UnknownColumnsException again) {
        throw new IllegalStateException(again.getMessage(), again);
      }
    }
  }
}
