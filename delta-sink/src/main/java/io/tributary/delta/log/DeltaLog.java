package io.tributary.delta.log;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.MetadataChangedException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.RemoveFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.DataFile;
import io.tributary.delta.FileStatistics;
import io.tributary.delta.storage.InterruptSafeFileIO;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of a table's {@code _delta_log}: every write to it (table creation, appends,
 * schema changes, compaction commits, log checkpoints and their repair) goes through this class
 * and its package, and so does every use of Kernel internals ({@code io.delta.kernel.internal}).
 *
 * <p>Errors say what happened: {@link CommitConflictException} (provably not committed),
 * {@link CommitOutcomeUnknownException} (may have landed: keep the files),
 * {@link CorruptCheckpointException}, {@link MissingDataFilesException}. Instances are not
 * thread-safe beyond what Kernel's engine is; one committer uses one.
 */
public final class DeltaLog {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaLog.class);

  /** Recorded as the engine in the sink's commits. */
  public static final String ENGINE_INFO = "Tributary-DeltaSink/0.1";

  /** Attempts for an append that lost a race to a schema change (each one re-reads the table). */
  private static final int METADATA_RACE_ATTEMPTS = 5;

  private final String path;
  private final Configuration hadoopConf;
  private final Engine engine;
  private final Table table;

  /** A log over an engine the caller already has (its Hadoop configuration is {@code hadoopConf}). */
  public DeltaLog(String tablePath, Configuration hadoopConf, Engine engine) {
    this.path = tablePath;
    this.hadoopConf = hadoopConf;
    this.engine = engine;
    this.table = Table.forPath(engine, tablePath);
  }

  /** A log with an engine of its own over {@code hadoopConf}. */
  public static DeltaLog open(String tablePath, Configuration hadoopConf) {
    return new DeltaLog(tablePath, hadoopConf, DefaultEngine.create(new InterruptSafeFileIO(hadoopConf)));
  }

  public String path() {
    return path;
  }

  public Engine engine() {
    return engine;
  }

  public Configuration hadoopConf() {
    return hadoopConf;
  }

  public Table table() {
    return table;
  }

  /**
   * The latest snapshot. When reading it fails, the log's checkpoints are examined and those
   * proven corrupt are removed (see {@link CheckpointRepair}) before one more attempt; a failure
   * that proves nothing (throttling, a timeout, a 403) is rethrown and nothing is deleted.
   *
   * @throws TableNotFoundException when there is no table
   * @throws CorruptCheckpointException when a corrupt checkpoint cannot be removed safely
   */
  public Snapshot latestSnapshot() {
    return withCheckpointRepair(() -> table.getLatestSnapshot(engine));
  }

  /**
   * The version the table records for the transaction application id, if any. Replays the log
   * from its newest checkpoint, with the repair of {@link #latestSnapshot()}.
   */
  public Optional<Long> recordedTransactionVersion(String applicationId) {
    return withCheckpointRepair(
        () -> table.getLatestSnapshot(engine).getLatestTransactionVersion(engine, applicationId));
  }

  /**
   * Every transaction identifier the table records whose application id starts with {@code
   * prefix}, with the version it records (the newest), read from the log from its newest
   * checkpoint on; with the repair of {@link #latestSnapshot()}.
   *
   * @throws TableNotFoundException when there is no table
   */
  public Map<String, Long> recordedTransactions(String prefix) {
    return withCheckpointRepair(() -> {
      io.delta.kernel.internal.SnapshotImpl snapshot =
          (io.delta.kernel.internal.SnapshotImpl) table.getLatestSnapshot(engine);
      StructType readSchema = new StructType().add("txn", io.delta.kernel.internal.actions.SetTransaction.FULL_SCHEMA);
      Map<String, Long> out = new LinkedHashMap<>();
      // Newest file first: the first identifier seen is the one the table records.
      try (io.delta.kernel.internal.replay.ActionsIterator actions = new io.delta.kernel.internal.replay.ActionsIterator(
          engine, snapshot.getLogSegment().allLogFilesReversed(), readSchema, Optional.empty())) {
        while (actions.hasNext()) {
          io.delta.kernel.data.ColumnarBatch batch = actions.next().getColumnarBatch();
          io.delta.kernel.data.ColumnVector txn = batch.getColumnVector(0);
          for (int i = 0; i < batch.getSize(); i++) {
            if (txn.isNullAt(i)) {
              continue;
            }
            io.delta.kernel.internal.actions.SetTransaction t =
                io.delta.kernel.internal.actions.SetTransaction.fromColumnVector(txn, i);
            if (t != null && t.getAppId().startsWith(prefix)) {
              out.putIfAbsent(t.getAppId(), t.getVersion());
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the transaction identifiers of " + path, e);
      }
      return out;
    });
  }

  /** Runs a read of the log; on failure removes proven-corrupt checkpoints and retries once. */
  private <T> T withCheckpointRepair(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (TableNotFoundException e) {
      throw e;
    } catch (RuntimeException e) {
      int removed;
      try {
        removed = CheckpointRepair.removeCorruptCheckpoints(path, hadoopConf);
      } catch (CorruptCheckpointException corrupt) {
        corrupt.addSuppressed(e);
        throw corrupt;
      } catch (IOException | RuntimeException repair) {
        e.addSuppressed(repair);
        throw e;
      }
      if (removed == 0) {
        throw e;
      }
      LOG.warn("Reading {} failed on a corrupt log checkpoint, which was removed; retrying", path, e);
      return read.get();
    }
  }

  /**
   * Creates the table (an empty commit with schema, partition columns and properties).
   *
   * @return false when another writer created it first
   */
  public boolean createTable(StructType schema, List<String> partitionColumns, Map<String, String> properties) {
    try {
      table
          .createTransactionBuilder(engine, ENGINE_INFO, Operation.CREATE_TABLE)
          .withSchema(engine, schema)
          .withPartitionColumns(engine, partitionColumns)
          .withTableProperties(engine, properties)
          .build(engine)
          .commit(engine, CloseableIterable.emptyIterable());
      return true;
    } catch (TableAlreadyExistsException | ConcurrentWriteException raced) {
      return false;
    }
  }

  /**
   * Appends nullable columns with a metadata-only commit on top of {@code snapshot}. Kernel only
   * evolves schemas of tables with column mapping (protocol 2/5, unreadable through Redshift
   * Spectrum manifests); adding a nullable column at the end needs no mapping under the Delta
   * protocol, so the commit is written here through Kernel's log store, which refuses to
   * overwrite an existing version.
   *
   * @return false if another writer committed first (the caller re-reads and retries)
   */
  public boolean addColumns(Snapshot snapshot, List<StructField> columns) {
    StructType evolved = snapshot.getSchema();
    List<String> names = new ArrayList<>();
    for (StructField f : columns) {
      evolved = evolved.add(f);
      names.add(f.getName());
    }
    Metadata metadata = snapshot.getMetadata().withNewSchema(evolved);
    long version = snapshot.getVersion() + 1;
    CommitInfo info =
        new CommitInfo(
            Optional.empty(),
            System.currentTimeMillis(),
            Optional.of(ENGINE_INFO),
            Optional.of("ADD COLUMNS"),
            Collections.singletonMap("columns", names.toString()),
            Optional.of(false),
            Optional.of(UUID.randomUUID().toString()),
            Collections.emptyMap());
    String file = FileNames.deltaFile(snapshot.getLogPath(), version);
    try {
      engine
          .getJsonHandler()
          .writeJsonFileAtomically(
              file,
              closeable(
                  Arrays.asList(
                          SingleAction.createCommitInfoSingleAction(info.toRow()),
                          SingleAction.createMetadataSingleAction(metadata.toRow()))
                      .iterator()),
              false);
      LOG.info("Added columns {} to Delta table {} (version {})", names, path, version);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new CommitOutcomeUnknownException("Could not write the schema change " + file, e);
    }
  }

  /**
   * Makes the table's schema hold every column of {@code wanted} (matched by name, ignoring case),
   * adding the missing ones, which must be nullable, in serialized metadata-only commits.
   *
   * @return the columns added (empty when the table had them all)
   */
  public List<StructField> ensureColumns(StructType wanted) {
    for (int attempt = 0; ; attempt++) {
      Snapshot snapshot = latestSnapshot();
      List<StructField> missing = new ArrayList<>();
      for (StructField f : wanted.fields()) {
        StructField existing = field(snapshot.getSchema(), f.getName());
        if (existing != null && !existing.getDataType().equivalent(f.getDataType())) {
          throw new IllegalStateException("Column '" + f.getName() + "' is " + existing.getDataType() + " in " + path
              + " but " + f.getDataType() + " in the files to commit; only added columns are evolved");
        }
        if (existing == null) {
          if (!f.isNullable()) {
            throw new IllegalStateException("Column '" + f.getName() + "' is NOT NULL and not in " + path
                + "; only nullable columns can be added");
          }
          missing.add(f);
        }
      }
      if (missing.isEmpty() || addColumns(snapshot, missing)) {
        return missing;
      }
      if (attempt >= 10) {
        throw new CommitConflictException("Could not add columns to " + path + " after 10 lost races", null);
      }
    }
  }

  /** A column of {@code schema} by name, ignoring case as Delta does; null when absent. */
  public static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.getName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return null;
  }

  /** What an append committed. */
  public static final class Committed {
    private final long version;
    private final List<PostCommitHook> hooks;

    Committed(long version, List<PostCommitHook> hooks) {
      this.version = version;
      this.hooks = hooks;
    }

    public long version() {
      return version;
    }

    /** Kernel's post-commit work (log checkpoint, checksum), for {@link PostCommitHooks}. */
    public List<PostCommitHook> hooks() {
      return hooks;
    }
  }

  /**
   * Appends {@code files} as one commit carrying the transaction identifier {@code
   * (applicationId, transactionVersion)}, after checking that every file exists.
   *
   * @return the commit, or empty when the table already records this transaction version (or a
   *     later one) for the application id: another committer committed it first
   * @throws MissingDataFilesException when a file does not exist (nothing is committed)
   * @throws CommitOutcomeUnknownException when writing the commit failed without telling whether
   *     it landed; retrying the same transaction is safe
   */
  public Optional<Committed> append(String applicationId, long transactionVersion, List<DataFile> files,
      int maxRetries, String what) {
    requireExisting(files, what);
    for (int attempt = 1; ; attempt++) {
      Transaction txn;
      try {
        txn =
            table
                .createTransactionBuilder(engine, ENGINE_INFO, Operation.STREAMING_UPDATE)
                .withTransactionId(engine, applicationId, transactionVersion)
                .withMaxRetries(maxRetries)
                .build(engine);
      } catch (ConcurrentTransactionException e) {
        return Optional.empty();
      }
      try {
        TransactionCommitResult result = txn.commit(engine, addActions(txn, files));
        return Optional.of(new Committed(result.getVersion(), result.getPostCommitHooks()));
      } catch (ConcurrentTransactionException e) {
        return Optional.empty();
      } catch (MetadataChangedException e) {
        // A schema change (ours, serialized before this commit, or a tool's) landed meanwhile:
        // build the transaction again on the new schema.
        if (attempt >= METADATA_RACE_ATTEMPTS) {
          throw new CommitConflictException("The metadata of " + path + " kept changing under " + what, e);
        }
        LOG.info("The metadata of {} changed while committing {}; retrying on the new schema", path, what);
      } catch (ConcurrentWriteException e) {
        throw new CommitConflictException("Committing " + what + " to " + path + " conflicted with another writer", e);
      } catch (RuntimeException e) {
        throw new CommitOutcomeUnknownException("Committing " + what + " to " + path
            + " failed without a known outcome; it is retried from the committer's state", e);
      }
    }
  }

  /**
   * Fails with {@link MissingDataFilesException} unless every file exists with the recorded size.
   * One metadata request per file: a pending commit can wait in a savepoint for as long as the
   * job is down, and a vacuum meanwhile must not turn into a commit of missing files.
   */
  public void requireExisting(List<DataFile> files, String what) {
    List<String> missing = new ArrayList<>();
    try {
      FileSystem fs = new Path(path).getFileSystem(hadoopConf);
      for (DataFile f : files) {
        try {
          FileStatus status = fs.getFileStatus(new Path(f.path()));
          if (status.getLen() != f.size()) {
            missing.add(f.path() + " (" + status.getLen() + " bytes, expected " + f.size() + ")");
          }
        } catch (FileNotFoundException e) {
          missing.add(f.path());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the data files of " + what + " in " + path, e);
    }
    if (!missing.isEmpty()) {
      throw new MissingDataFilesException(what + " (table " + path + ")", missing);
    }
  }

  /**
   * The {@code add} actions of {@code files}, made while Kernel writes the commit and again should
   * it iterate once more: a checkpoint of many partitions has as many files, and holding all their
   * actions (with parsed statistics) at once cost more heap than the files' own descriptions.
   */
  private CloseableIterable<Row> addActions(Transaction txn, List<DataFile> files) {
    Row state = txn.getTransactionState(engine);
    StructType schema = txn.getSchema(engine);
    Map<Map<String, String>, List<DataFile>> byPartition = new LinkedHashMap<>();
    for (DataFile f : files) {
      byPartition.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f);
    }
    return new CloseableIterable<Row>() {
      @Override
      public CloseableIterator<Row> iterator() {
        Iterator<Map.Entry<Map<String, String>, List<DataFile>>> partitions = byPartition.entrySet().iterator();
        return new CloseableIterator<Row>() {
          private CloseableIterator<Row> current = closeable(java.util.Collections.emptyIterator());

          @Override
          public boolean hasNext() {
            while (!current.hasNext() && partitions.hasNext()) {
              closeQuietly(current);
              Map.Entry<Map<String, String>, List<DataFile>> e = partitions.next();
              DataWriteContext context =
                  Transaction.getWriteContext(engine, state, PartitionLiterals.of(schema, e.getKey()));
              current = Transaction.generateAppendActions(engine, state, statuses(e.getValue(), schema), context);
            }
            return current.hasNext();
          }

          @Override
          public Row next() {
            if (!hasNext()) {
              throw new java.util.NoSuchElementException();
            }
            return current.next();
          }

          @Override
          public void close() {
            closeQuietly(current);
          }
        };
      }

      @Override
      public void close() {}
    };
  }

  /** Kernel's view of {@code files}, each made (statistics parsed) only when Kernel asks for it. */
  private static CloseableIterator<DataFileStatus> statuses(List<DataFile> files, StructType schema) {
    Iterator<DataFile> it = files.iterator();
    return closeable(new Iterator<DataFileStatus>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public DataFileStatus next() {
        DataFile f = it.next();
        Optional<DataFileStatistics> stats =
            f.statsJson() == null ? Optional.empty() : Optional.of(FileStatistics.fromJson(f.statsJson(), schema));
        return new DataFileStatus(f.path(), f.size(), f.modificationTime(), stats);
      }
    });
  }

  private static void closeQuietly(CloseableIterator<?> it) {
    try {
      it.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file written for a rewrite (compaction), to be added with {@code dataChange=false}. */
  public static final class NewFile {
    final String path;
    final long size;
    final long modificationTime;
    final String statsJson;

    public NewFile(String path, long size, long modificationTime, String statsJson) {
      this.path = path;
      this.size = size;
      this.modificationTime = modificationTime;
      this.statsJson = statsJson;
    }
  }

  /**
   * Commits a rewrite of one partition on top of {@code base}: removes {@code inputs}, adds
   * {@code outputs}, both with {@code dataChange=false}. Whatever the commit call throws, the log
   * is read again before answering, because an error can follow a write that landed (a lost
   * acknowledgement, or Kernel's retry conflicting with its own first attempt).
   *
   * @return the committed version
   * @throws CommitConflictException when the log provably does not hold the rewrite and Kernel
   *     reported a conflict: the outputs may be deleted
   * @throws CommitOutcomeUnknownException when the log does not hold the rewrite (or cannot be
   *     read) after any other failure: the outputs must stay (vacuum removes them if they stay
   *     unreferenced)
   */
  public long commitRewrite(Snapshot base, String engineInfo, List<ActiveFile> inputs, List<NewFile> outputs,
      Map<String, String> partition, int maxRetries) {
    Transaction txn = base.buildUpdateTableTransaction(engineInfo, Operation.MANUAL_UPDATE)
        .withMaxRetries(maxRetries)
        .build(engine);
    Row state = txn.getTransactionState(engine);
    StructType physicalSchema = TransactionStateRow.getPhysicalSchema(state);
    StructType schema = txn.getSchema(engine);
    URI root = new Path(path).toUri();
    long now = System.currentTimeMillis();
    List<Row> actions = new ArrayList<>();
    for (ActiveFile input : inputs) {
      actions.add(SingleAction.createRemoveFileSingleAction(removeRow(input, now)));
    }
    for (NewFile w : outputs) {
      Optional<DataFileStatistics> stats = Optional.of(FileStatistics.fromJson(w.statsJson, schema));
      AddFile add = AddFile.convertDataFileStatus(
          physicalSchema, root, new DataFileStatus(w.path, w.size, w.modificationTime, stats),
          PartitionLiterals.of(schema, partition), false /* dataChange */,
          Collections.emptyMap(), Optional.empty(), Optional.empty(), Optional.empty());
      actions.add(SingleAction.createAddFileSingleAction(add.toRow()));
    }
    TransactionCommitResult result;
    try {
      result = txn.commit(engine, CloseableIterable.inMemoryIterable(closeable(actions.iterator())));
    } catch (RuntimeException e) {
      List<String> names = new ArrayList<>();
      outputs.forEach(o -> names.add(new Path(o.path).getName()));
      Optional<Long> landed;
      try {
        landed = versionAdding(base.getVersion(), names);
      } catch (IOException | RuntimeException reread) {
        e.addSuppressed(reread);
        throw new CommitOutcomeUnknownException("The rewrite of " + partition + " in " + path
            + " failed and the log cannot be read to tell whether it landed; its files are kept", e);
      }
      if (landed.isPresent()) {
        LOG.warn("The rewrite of {} in {} reported {} but landed as version {}", partition, path, e.toString(), landed.get());
        return landed.get();
      }
      if (e instanceof ConcurrentWriteException) {
        throw new CommitConflictException("The rewrite of " + partition + " in " + path
            + " conflicted with another writer: " + e.getMessage(), e);
      }
      throw new CommitOutcomeUnknownException("The rewrite of " + partition + " in " + path
          + " failed and is not in the log as of now; its files are kept in case a late write lands", e);
    }
    try (PostCommitHooks hooks = new PostCommitHooks(this)) {
      hooks.run(result.getVersion(), result.getPostCommitHooks());
    }
    return result.getVersion();
  }

  /**
   * The first version after {@code after} whose commit adds a file with one of {@code names}
   * (file names are unique: they carry a random UUID).
   */
  Optional<Long> versionAdding(long after, List<String> names) throws IOException {
    Path log = new Path(path, "_delta_log");
    FileSystem fs = log.getFileSystem(hadoopConf);
    List<Long> versions = new ArrayList<>();
    for (FileStatus f : fs.listStatus(log, p -> p.getName().matches("\\d{20}\\.json"))) {
      long v = Long.parseLong(f.getPath().getName().substring(0, 20));
      if (v > after) {
        versions.add(v);
      }
    }
    Collections.sort(versions);
    for (long v : versions) {
      Path commit = new Path(log, String.format("%020d.json", v));
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          if (line.startsWith("{\"add\"")) {
            for (String name : names) {
              if (line.contains(name)) {
                return Optional.of(v);
              }
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Row removeRow(ActiveFile f, long deletionTimestamp) {
    Map<Integer, Object> fields = new HashMap<>();
    fields.put(RemoveFile.FULL_SCHEMA.indexOf("path"), f.logPath());
    fields.put(RemoveFile.FULL_SCHEMA.indexOf("deletionTimestamp"), deletionTimestamp);
    fields.put(RemoveFile.FULL_SCHEMA.indexOf("dataChange"), false);
    fields.put(RemoveFile.FULL_SCHEMA.indexOf("extendedFileMetadata"), true);
    fields.put(RemoveFile.FULL_SCHEMA.indexOf("partitionValues"), VectorUtils.stringStringMapValue(f.partitionValues()));
    fields.put(RemoveFile.FULL_SCHEMA.indexOf("size"), f.size());
    if (f.statsJson() != null) {
      fields.put(RemoveFile.FULL_SCHEMA.indexOf("stats"), f.statsJson());
    }
    return new GenericRow(RemoveFile.FULL_SCHEMA, fields);
  }

  /**
   * Writes a log checkpoint of the latest version (Kernel then also removes log files older than
   * {@code delta.logRetentionDuration} when {@code delta.enableExpiredLogCleanup} is on).
   *
   * @return the checkpointed version
   */
  public long checkpoint() {
    long version = latestSnapshot().getVersion();
    try {
      table.checkpoint(engine, version);
    } catch (io.delta.kernel.exceptions.CheckpointAlreadyExistsException e) {
      // Nothing to do: the sink or another run already wrote it.
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot checkpoint " + path + " at version " + version, e);
    }
    return version;
  }

  /** Kernel's closeable iterator over an in-memory iterator (nothing to close). */
  static <T> CloseableIterator<T> closeable(Iterator<T> it) {
    return new CloseableIterator<T>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }
}
