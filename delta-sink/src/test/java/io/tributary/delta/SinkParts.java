package io.tributary.delta;

import io.tributary.delta.testing.TestStreams;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.table.data.RowData;

/** Drives the sink's writer and committer directly, without a Flink job, for focused tests. */
final class SinkParts {
  private SinkParts() {}

  /** Writes events {@code from..to-1} with a fresh writer and returns the closed files. */
  static List<DataFile> writeEvents(DeltaSink sink, long from, long to) throws Exception {
    List<RowData> rows = new ArrayList<>();
    for (long i = from; i < to; i++) {
      rows.add(TestStreams.event(i));
    }
    return write(sink, rows);
  }

  static List<DataFile> write(DeltaSink sink, List<RowData> rows) throws Exception {
    DeltaWriter writer =
        (DeltaWriter)
            sink.createWriter(
                new org.apache.flink.api.connector.sink2.WriterInitContext() {
                  // Only the pieces the writer uses.
                  @Override
                  public org.apache.flink.metrics.groups.SinkWriterMetricGroup metricGroup() {
                    return InternalSinkWriterMetricGroup.wrap(UnregisteredMetricsGroup.createOperatorMetricGroup());
                  }

                  @Override
                  public org.apache.flink.api.common.TaskInfo getTaskInfo() {
                    return new org.apache.flink.api.common.TaskInfoImpl("test", 1, 0, 1, 0);
                  }

                  @Override
                  public org.apache.flink.api.common.JobInfo getJobInfo() {
                    throw new UnsupportedOperationException();
                  }

                  @Override
                  public org.apache.flink.util.UserCodeClassLoader getUserCodeClassLoader() {
                    throw new UnsupportedOperationException();
                  }

                  @Override
                  public org.apache.flink.api.common.operators.MailboxExecutor getMailboxExecutor() {
                    throw new UnsupportedOperationException();
                  }

                  @Override
                  public org.apache.flink.api.common.operators.ProcessingTimeService getProcessingTimeService() {
                    throw new UnsupportedOperationException();
                  }

                  @Override
                  public org.apache.flink.api.common.serialization.SerializationSchema.InitializationContext
                      asSerializationSchemaInitializationContext() {
                    throw new UnsupportedOperationException();
                  }

                  @Override
                  public boolean isObjectReuseEnabled() {
                    return false;
                  }

                  @Override
                  public <IN> org.apache.flink.api.common.typeutils.TypeSerializer<IN> createInputSerializer() {
                    throw new UnsupportedOperationException();
                  }

                  @Override
                  public java.util.OptionalLong getRestoredCheckpointId() {
                    return java.util.OptionalLong.empty();
                  }
                });
    for (RowData r : rows) {
      writer.write(r, null);
    }
    List<DataFile> files = new ArrayList<>();
    for (DeltaWriteResult result : writer.prepareCommit()) {
      files.addAll(result.files());
    }
    writer.close();
    return files;
  }
}
