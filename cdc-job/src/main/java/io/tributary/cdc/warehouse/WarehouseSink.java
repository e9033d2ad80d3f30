package io.tributary.cdc.warehouse;

import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.delta.runtime.UserCodeResources;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.internal.JdbcOutputFormat;
import org.apache.flink.connector.jdbc.internal.JdbcOutputSerializer;

/**
 * Upserts the changes of one captured table into its warehouse table, at least once: each writer
 * hands its changes to the connector's {@link JdbcOutputFormat} (batches by size and interval,
 * retries with reconnection) and flushes it before every checkpoint barrier, so a checkpoint
 * completes only after the changes before it are in the warehouse. Changes after the checkpoint a
 * job restores from are written again; the position guard of {@link WarehouseDialect} makes
 * those writes no-ops where the row already holds them or something newer, which gives the
 * warehouse the exactly-once effect without XA.
 *
 * <p>Not the connector's {@code JdbcSink}: that one prepares one SQL text per writer, while the
 * silver schema evolves ({@link WarehouseStatementExecutor}).
 */
public final class WarehouseSink implements Sink<SilverRow> {
  private static final long serialVersionUID = 1L;

  private final WarehouseConfig config;
  private final SilverSchema initial;

  /**
   * Creates the warehouse table (and schema and view) when absent and adds missing columns, so
   * that a wrong URL, password or privilege fails the job's start.
   */
  public WarehouseSink(WarehouseConfig config, SilverSchema initial) {
    this.config = config;
    this.initial = initial;
    try (Connection c = WarehouseConnectionProvider.connect(config)) {
      WarehouseStatementExecutor.evolve(c, config.dialect(), new WarehouseTable(config.schema(), initial));
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot prepare the warehouse table of " + initial.table() + " at "
          + config.url() + ": " + e.getMessage(), e);
    }
  }

  /** @deprecated Flink 1.20 calls {@link #createWriter(WriterInitContext)}. */
  @Deprecated
  @Override
  public SinkWriter<SilverRow> createWriter(InitContext context) {
    throw new UnsupportedOperationException("Use createWriter(WriterInitContext)");
  }

  @Override
  public SinkWriter<SilverRow> createWriter(WriterInitContext context) throws IOException {
    UserCodeResources.releaseWith(context.getUserCodeClassLoader());
    JdbcOutputFormat<SilverRow, SilverRow, WarehouseStatementExecutor> output =
        new JdbcOutputFormat<>(
            new WarehouseConnectionProvider(config),
            config.executionOptions(),
            () -> new WarehouseStatementExecutor(config.dialect(), config.schema()));
    // SilverRows are immutable: the connector need not copy them (the serializer stays unused).
    output.open(JdbcOutputSerializer.of(null, false));
    return new Writer(output);
  }

  /** Passes changes to the output format; flushes it before each checkpoint barrier. */
  static final class Writer implements SinkWriter<SilverRow> {
    private final JdbcOutputFormat<SilverRow, SilverRow, WarehouseStatementExecutor> output;

    Writer(JdbcOutputFormat<SilverRow, SilverRow, WarehouseStatementExecutor> output) {
      this.output = output;
    }

    @Override
    public void write(SilverRow row, Context context) throws IOException {
      output.writeRecord(row);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      output.flush();
      output.checkFlushException();
    }

    @Override
    public void close() {
      output.close();
    }
  }
}
