package io.tributary.delta.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.RemoveFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A compaction (remove a file, add its rewrite) and an append (add a file) read the same version
 * and race for the next one through whatever log store {@code conf} registers. The loser's first
 * attempt is rejected after Kernel has read its actions; Kernel must rebase it and commit the same
 * actions one version later. Only the log is tested: the data files do not exist.
 */
public final class CommitRaceScenario {
  private final Configuration conf;
  private final Engine engine;

  public CommitRaceScenario(Configuration conf) {
    this.conf = conf;
    this.engine = DefaultEngine.create(conf);
  }

  /** Runs the race with {@code appendFirst} deciding the winner, and checks versions 2 and 3. */
  public void loserIsRebasedWithItsActions(String tablePath, boolean appendFirst) throws Exception {
    Table table = Table.forPath(engine, tablePath);
    hooks(table.createTransactionBuilder(engine, "test", Operation.CREATE_TABLE)
        .withSchema(engine, new StructType().add("id", LongType.LONG))
        .build(engine)
        .commit(engine, CloseableIterable.emptyIterable()));
    commit(table.getLatestSnapshot(engine).buildUpdateTableTransaction("test", Operation.WRITE).build(engine),
        List.of(), List.of(new TestFile("a", 1_000)));
    // the snapshot's checksum file carries the file-size histogram that commits update
    Path crc = new Path(tablePath + "/_delta_log/00000000000000000001.crc");
    assertThat(crc.getFileSystem(conf).exists(crc)).as("checksum of version 1").isTrue();

    Snapshot v1 = table.getLatestSnapshot(engine);
    Transaction compaction = v1.buildUpdateTableTransaction("compaction", Operation.MANUAL_UPDATE).build(engine);
    Transaction append = v1.buildUpdateTableTransaction("append", Operation.WRITE).build(engine);
    Callable<Long> compact =
        () -> commit(compaction, List.of(new TestFile("a", 1_000)), List.of(new TestFile("b", 900)));
    Callable<Long> add = () -> commit(append, List.of(), List.of(new TestFile("c", 2_000)));

    assertThat((appendFirst ? add : compact).call()).as("winner's version").isEqualTo(2);
    assertThat((appendFirst ? compact : add).call()).as("loser's version after the rebase").isEqualTo(3);

    assertThat(table.getLatestSnapshot(engine).getVersion()).isEqualTo(3);
    String v2 = DeltaTestTables.readText(new Path(tablePath + "/_delta_log/00000000000000000002.json"), conf);
    String v3 = DeltaTestTables.readText(new Path(tablePath + "/_delta_log/00000000000000000003.json"), conf);
    assertThat(appendFirst ? v2 : v3).contains("c.parquet").doesNotContain("\"remove\"");
    assertThat(appendFirst ? v3 : v2).contains("\"remove\"").contains("a.parquet").contains("b.parquet");
  }

  private record TestFile(String name, long size) {}

  private long commit(Transaction txn, List<TestFile> removed, List<TestFile> added) {
    Row state = txn.getTransactionState(engine);
    StructType physicalSchema = TransactionStateRow.getPhysicalSchema(state);
    URI root = new Path(TransactionStateRow.getTablePath(state)).toUri();
    List<Row> actions = new ArrayList<>();
    for (TestFile f : removed) {
      StructType schema = RemoveFile.FULL_SCHEMA;
      Map<Integer, Object> fields = new HashMap<>();
      fields.put(schema.indexOf("path"), f.name() + ".parquet");
      fields.put(schema.indexOf("deletionTimestamp"), System.currentTimeMillis());
      fields.put(schema.indexOf("dataChange"), false);
      fields.put(schema.indexOf("extendedFileMetadata"), true);
      fields.put(schema.indexOf("partitionValues"), VectorUtils.stringStringMapValue(Map.of()));
      fields.put(schema.indexOf("size"), f.size());
      actions.add(SingleAction.createRemoveFileSingleAction(new GenericRow(schema, fields)));
    }
    for (TestFile f : added) {
      AddFile add = AddFile.convertDataFileStatus(
          physicalSchema, root, new DataFileStatus(root + "/" + f.name() + ".parquet", f.size(), 1L, Optional.empty()),
          Map.of(), true, Map.of(), Optional.empty(), Optional.empty(), Optional.empty());
      actions.add(SingleAction.createAddFileSingleAction(add.toRow()));
    }
    return hooks(txn.commit(engine, CloseableIterable.inMemoryIterable(Utils.toCloseableIterator(actions.iterator()))));
  }

  /** Runs the post-commit hooks as the sink does; the checksum hook writes the histogram. */
  private long hooks(TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      try {
        hook.threadSafeInvoke(engine);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return result.getVersion();
  }
}
