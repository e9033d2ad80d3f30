package io.tributary.delta;

import io.tributary.delta.testing.TestStreams;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.table.data.RowData;

/** Drives the sink's writer and committer directly, without a Flink job, for focused tests. */
final class SinkParts {
  /** What writers get as their user-code class loader; by default it keeps no release hooks. */
  static volatile org.apache.flink.util.UserCodeClassLoader userCodeClassLoader =
      new org.apache.flink.util.UserCodeClassLoader() {
        @Override
        public ClassLoader asClassLoader() {
          return SinkParts.class.getClassLoader();
        }

        @Override
        public void registerReleaseHookIfAbsent(String name, Runnable hook) {}
      };

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
    return write(sink, rows, null);
  }

  /** Writes through a writer whose metrics go to {@code metrics} (when not null). */
  static List<DataFile> write(DeltaSink sink, List<RowData> rows, MetricGroup metrics) throws Exception {
    DeltaWriter writer =
        (DeltaWriter)
            sink.createWriter(
                new org.apache.flink.api.connector.sink2.WriterInitContext() {
                  // Only the pieces the writer uses.
                  @Override
                  public org.apache.flink.metrics.groups.SinkWriterMetricGroup metricGroup() {
                    OperatorMetricGroup base = UnregisteredMetricsGroup.createOperatorMetricGroup();
                    if (metrics == null) {
                      return InternalSinkWriterMetricGroup.wrap(base);
                    }
                    // Counters the writer registers land in the caller's group.
                    org.apache.flink.metrics.groups.SinkWriterMetricGroup wrapped = InternalSinkWriterMetricGroup.wrap(base);
                    return (org.apache.flink.metrics.groups.SinkWriterMetricGroup)
                        java.lang.reflect.Proxy.newProxyInstance(
                            SinkParts.class.getClassLoader(),
                            new Class<?>[] {org.apache.flink.metrics.groups.SinkWriterMetricGroup.class},
                            (proxy, method, args) ->
                                method.getName().equals("counter") && args.length == 1 && args[0] instanceof String
                                    ? metrics.counter((String) args[0])
                                    : method.invoke(wrapped, args));
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
                    return userCodeClassLoader;
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
