package io.tributary.delta.storage;

import io.delta.storage.CloseableIterator;
import io.delta.storage.LineCloseableIterator;
import io.delta.storage.LogStore;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.RemoteFileChangedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * A Delta {@link LogStore} for {@code s3a://} (and {@code s3://} mapped to S3A) tables that makes
 * the commit protocol safe against more than one writer, including a "zombie" writer (e.g. a Flink
 * task that lost its lease but is still running), by creating files with an S3 <em>conditional
 * PUT</em> ({@code If-None-Match: *}).
 *
 * <h2>Why conditional writes</h2>
 *
 * <p>Delta's optimistic concurrency relies on "mutual exclusion" of commit files: exactly one
 * writer may create {@code _delta_log/<version>.json}. The stock {@code S3SingleDriverLogStore}
 * only provides this inside one JVM (an in-process lock followed by an {@code exists()} check and a
 * plain PUT), so two processes committing the same version both "succeed" and the last one silently
 * overwrites the other's commit, losing data. With {@code If-None-Match: *} S3 itself rejects the
 * second creation of the object atomically (HTTP 412 Precondition Failed), so the loser learns it
 * lost and Delta Kernel can resolve the conflict and retry at a later version.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #write} with {@code overwrite=false} creates the file with a single conditional PUT
 *       through Hadoop S3A's own support (hadoop-aws 3.4.2+, {@code
 *       createFile(path).overwrite(false).must("fs.option.create.conditional.overwrite", true)}); no
 *       existence probe, no temporary file, no rename. If the object already exists (412 Precondition
 *       Failed / {@link RemoteFileChangedException}), or a racing conditional write cannot be
 *       settled (409 ConditionalRequestConflict that persists while the object exists), it throws
 *       {@link FileAlreadyExistsException}, which Delta Kernel treats as a lost commit race. A 409 is
 *       retried a few times first, as S3 asks clients to do; if it persists and the object still
 *       does not exist, the outcome is unknown and a plain {@link IOException} is thrown instead.
 *   <li>Idempotent retries: S3A and the AWS SDK retry a PUT whose response was lost; if the retry
 *       gets a 412 because the first attempt actually landed, the existing object is read back and
 *       compared byte-for-byte with what this call tried to write. Only if it is identical is the
 *       write reported as successful (the store then holds exactly what the caller asked for);
 *       otherwise {@link FileAlreadyExistsException} is thrown. A zombie's commit always differs
 *       (Kernel's {@code commitInfo} carries a fresh timestamp and transaction id).
 *   <li>{@code overwrite=true} is a plain PUT that replaces the object (used by Delta for files such
 *       as {@code _last_checkpoint}).
 *   <li>{@link #isPartialWriteVisible} is {@code false}: an S3 PUT (single or completed multipart)
 *       becomes visible atomically.
 *   <li>Other failures propagate as {@link IOException}s that name the path (with any user-info
 *       stripped from the URI); credentials are never put into messages.
 * </ul>
 *
 * <h2>Requirements</h2>
 *
 * <p>The object store must implement conditional creation with {@code If-None-Match: *} on
 * PutObject and CompleteMultipartUpload: Amazon S3 (since August 2024) or an S3-compatible store
 * that supports it (check your MinIO/Ceph/R2/... version). The S3A option {@code
 * fs.s3a.create.conditional.enabled} must not be set to {@code false}.
 *
 * <p>This store <b>fails loudly, it never silently falls back to overwriting</b>: if the file
 * system does not offer conditional creation (not S3A, an older hadoop-aws, or conditional creation
 * disabled), or the store rejects the header (e.g. 501 Not Implemented / 400), the write fails
 * with an {@link IOException}. A store that <em>accepts and ignores</em> the header cannot be
 * detected per request; use {@link #probeConditionalPutSupport} once (e.g. when a sink starts) to
 * verify that a second conditional creation of the same object is really rejected.
 *
 * <h2>Registration</h2>
 *
 * <p>Delta Kernel's default engine picks a LogStore per URI scheme from the Hadoop configuration
 * key {@code io.delta.kernel.logStore.<scheme>.impl}; see {@link #S3A_LOG_STORE_CONF_KEY}, {@link
 * #S3_LOG_STORE_CONF_KEY}, {@link #logStoreConf()} and {@link #register(Configuration)}. Kernel
 * instantiates the class through its {@code (Configuration)} constructor, once per operation, so
 * construction is cheap and the store keeps no state.
 */
public class S3ConditionalPutLogStore extends LogStore {

  private static final Logger LOG = LoggerFactory.getLogger(S3ConditionalPutLogStore.class);

  /** Prefix of the Delta Kernel configuration keys naming the LogStore for a URI scheme. */
  public static final String LOG_STORE_CONF_KEY_PREFIX = "io.delta.kernel.logStore.";

  /** Hadoop configuration key that makes Delta Kernel use a LogStore for {@code s3a://} paths. */
  public static final String S3A_LOG_STORE_CONF_KEY = logStoreConfKey("s3a");

  /** Hadoop configuration key that makes Delta Kernel use a LogStore for {@code s3://} paths. */
  public static final String S3_LOG_STORE_CONF_KEY = logStoreConfKey("s3");

  /**
   * Hadoop {@code createFile()} option requesting a create-only-if-absent write (value of {@code
   * Options.CreateFileOptionKeys.FS_OPTION_CREATE_CONDITIONAL_OVERWRITE}, hadoop 3.4.2). It is
   * also the path capability S3A reports when conditional creation is available.
   */
  public static final String CONDITIONAL_CREATE_OPTION = "fs.option.create.conditional.overwrite";

  /** S3A switch for conditional creation (default {@code true}); must not be {@code false}. */
  public static final String S3A_CONDITIONAL_CREATE_ENABLED = "fs.s3a.create.conditional.enabled";

  private static final int HTTP_CONFLICT = 409;
  private static final int HTTP_PRECONDITION_FAILED = 412;

  /** How often a conditional PUT answered with 409 ConditionalRequestConflict is attempted. */
  static final int MAX_CONFLICT_ATTEMPTS = 4;

  private static final long CONFLICT_BACKOFF_BASE_MS = 100;

  /** Returns {@code io.delta.kernel.logStore.<scheme>.impl}. */
  public static String logStoreConfKey(String scheme) {
    return LOG_STORE_CONF_KEY_PREFIX + scheme + ".impl";
  }

  /**
   * The Hadoop configuration entries that register this LogStore for {@code s3a://} and {@code
   * s3://} paths.
   */
  public static Map<String, String> logStoreConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(S3A_LOG_STORE_CONF_KEY, S3ConditionalPutLogStore.class.getName());
    conf.put(S3_LOG_STORE_CONF_KEY, S3ConditionalPutLogStore.class.getName());
    return Collections.unmodifiableMap(conf);
  }

  /** Registers this LogStore for {@code s3a://} and {@code s3://} paths in {@code conf}. */
  public static Configuration register(Configuration conf) {
    logStoreConf().forEach(conf::set);
    return conf;
  }

  public S3ConditionalPutLogStore(Configuration initHadoopConf) {
    super(initHadoopConf);
  }

  // ---------------------------------------------------------------------------------------------
  // LogStore API
  // ---------------------------------------------------------------------------------------------

  @Override
  public CloseableIterator<String> read(Path path, Configuration hadoopConf) throws IOException {
    FileSystem fs = path.getFileSystem(hadoopConf);
    FSDataInputStream in = fs.open(path);
    try {
      return new LineCloseableIterator(
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
  }

  @Override
  public void write(
      Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    FileSystem fs = path.getFileSystem(hadoopConf);
    Path target = fs.makeQualified(path);
    byte[] content = serialize(actions);
    if (Boolean.TRUE.equals(overwrite)) {
      put(fs, target, content, false);
    } else {
      createExclusively(fs, target, content);
    }
  }

  @Override
  public Iterator<FileStatus> listFrom(Path path, Configuration hadoopConf) throws IOException {
    FileSystem fs = path.getFileSystem(hadoopConf);
    Path resolved = fs.makeQualified(path);
    String fromName = resolved.getName();
    // Throws FileNotFoundException if the directory does not exist, which Kernel relies on.
    FileStatus[] statuses = fs.listStatus(resolved.getParent());
    return Arrays.stream(statuses)
        .filter(s -> s.getPath().getName().compareTo(fromName) >= 0)
        .sorted(Comparator.comparing(s -> s.getPath().getName()))
        .iterator();
  }

  @Override
  public Path resolvePathOnPhysicalStorage(Path path, Configuration hadoopConf)
      throws IOException {
    return path.getFileSystem(hadoopConf).makeQualified(path);
  }

  @Override
  public Boolean isPartialWriteVisible(Path path, Configuration hadoopConf) {
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Probe
  // ---------------------------------------------------------------------------------------------

  /**
   * Verifies, with real requests, that the store behind {@code dir} rejects a second conditional
   * creation of the same object. Writes a small probe object under {@code dir} twice (the second
   * time with different content), expects the second attempt to fail with {@link
   * FileAlreadyExistsException} and the content to be the first, then deletes the probe object.
   *
   * @throws IOException if the store does not support (or silently ignores) {@code If-None-Match:
   *     *}, or on any I/O problem
   */
  public static void probeConditionalPutSupport(Path dir, Configuration hadoopConf)
      throws IOException {
    S3ConditionalPutLogStore store = new S3ConditionalPutLogStore(hadoopConf);
    Path probe = new Path(dir, ".tributary-conditional-put-probe-" + UUID.randomUUID());
    FileSystem fs = probe.getFileSystem(hadoopConf);
    try {
      store.write(probe, Collections.singletonList("first").iterator(), false, hadoopConf);
      boolean rejected = false;
      try {
        store.write(probe, Collections.singletonList("second").iterator(), false, hadoopConf);
      } catch (FileAlreadyExistsException expected) {
        rejected = true;
      }
      byte[] stored = readFully(fs, fs.makeQualified(probe), 64);
      if (!rejected || !Arrays.equals(stored, "first\n".getBytes(StandardCharsets.UTF_8))) {
        throw new IOException(
            "The object store behind "
                + describe(dir)
                + " does not honour conditional PUT (If-None-Match: *): a second creation of "
                + describe(probe)
                + " was not rejected. Delta commits on this store are NOT safe against concurrent"
                + " or zombie writers; use a store that supports conditional writes.");
      }
    } finally {
      try {
        fs.delete(probe, false);
      } catch (IOException e) {
        LOG.warn("Could not delete conditional-put probe object {}", describe(probe), e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Internals
  // ---------------------------------------------------------------------------------------------

  private static byte[] serialize(Iterator<String> actions) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    while (actions.hasNext()) {
      byte[] line = (actions.next() + "\n").getBytes(StandardCharsets.UTF_8);
      buffer.write(line, 0, line.length);
    }
    return buffer.toByteArray();
  }

  private static void createExclusively(FileSystem fs, Path target, byte[] content)
      throws IOException {
    if (!fs.hasPathCapability(target, CONDITIONAL_CREATE_OPTION)) {
      throw new IOException(
          "Refusing to write "
              + describe(target)
              + ": file system "
              + fs.getClass().getName()
              + " does not support conditional creation ("
              + CONDITIONAL_CREATE_OPTION
              + "). S3ConditionalPutLogStore needs hadoop-aws S3A 3.4.2+ with "
              + S3A_CONDITIONAL_CREATE_ENABLED
              + "=true and a store that supports If-None-Match; it never falls back to an"
              + " unconditional overwrite.");
    }
    createWithRetries(fs, target, content, () -> put(fs, target, content, true));
  }

  /** One conditional PUT attempt; a seam for tests of the retry and settle logic. */
  @FunctionalInterface
  interface PutAttempt {
    void run() throws IOException;
  }

  /**
   * Runs conditional PUT attempts: a 409 Conflict is retried (with backoff) up to {@value
   * #MAX_CONFLICT_ATTEMPTS} attempts in all; "already exists" (412) is settled by comparing the
   * existing object with {@code content}; anything else propagates.
   */
  static void createWithRetries(FileSystem fs, Path target, byte[] content, PutAttempt putAttempt)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        putAttempt.run();
        return;
      } catch (IOException e) {
        int outcome = classify(e);
        if (outcome == HTTP_PRECONDITION_FAILED) {
          settleExisting(fs, target, content, e);
          return; // the object holds exactly our content: our own earlier attempt landed
        }
        if (outcome != HTTP_CONFLICT) {
          throw e;
        }
        if (attempt >= MAX_CONFLICT_ATTEMPTS) {
          if (fs.exists(target)) {
            settleExisting(fs, target, content, e);
            return;
          }
          throw new IOException(
              "Conditional PUT of "
                  + describe(target)
                  + " kept failing with 409 Conflict after "
                  + attempt
                  + " attempts and the object does not exist; outcome unknown",
              e);
        }
        LOG.info(
            "Conditional PUT of {} got 409 Conflict (attempt {}/{}), retrying",
            describe(target),
            attempt,
            MAX_CONFLICT_ATTEMPTS);
        backoff(attempt);
      }
    }
  }

  /**
   * Called when {@code target} exists although we asked for create-if-absent. Returns normally if
   * the object holds exactly {@code content}, otherwise throws {@link FileAlreadyExistsException}.
   */
  private static void settleExisting(
      FileSystem fs, Path target, byte[] content, IOException cause)
      throws FileAlreadyExistsException {
    FileAlreadyExistsException lost =
        new FileAlreadyExistsException(
            describe(target), null, "already exists (conditional PUT rejected)");
    lost.initCause(cause);
    byte[] existing;
    try {
      existing = readFully(fs, target, content.length);
    } catch (IOException readFailure) {
      lost.addSuppressed(readFailure);
      throw lost;
    }
    if (existing != null && Arrays.equals(existing, content)) {
      LOG.info(
          "{} already exists with exactly the content being written; treating the conditional"
              + " PUT as an idempotent retry that succeeded",
          describe(target));
      return;
    }
    throw lost;
  }

  /**
   * Reads the object if it is at most {@code limit} bytes long; returns {@code null} if it is
   * longer (so it cannot equal a buffer of that size).
   */
  private static byte[] readFully(FileSystem fs, Path path, int limit) throws IOException {
    try (InputStream in = fs.open(path)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, limit));
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0) {
        out.write(chunk, 0, n);
        if (out.size() > limit) {
          return null;
        }
      }
      return out.toByteArray();
    }
  }

  /**
   * One PUT of {@code content} to {@code target}; conditional ({@code If-None-Match: *}) if {@code
   * conditional}, otherwise an overwrite. The stream is aborted, never closed, if writing fails,
   * so that a partial buffer is never uploaded.
   */
  private static void put(FileSystem fs, Path target, byte[] content, boolean conditional)
      throws IOException {
    FSDataOutputStream out;
    try {
      FSDataOutputStreamBuilder<?, ?> builder = fs.createFile(target);
      if (conditional) {
        builder.overwrite(false);
        builder.must(CONDITIONAL_CREATE_OPTION, true);
      } else {
        builder.overwrite(true);
      }
      out = builder.build();
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // e.g. a builder that rejects the mandatory conditional option
      throw new IOException(
          "Cannot create " + describe(target) + (conditional ? " conditionally" : ""), e);
    }
    boolean written = false;
    try {
      out.write(content);
      written = true;
    } finally {
      if (!written) {
        abortQuietly(out, target);
      }
    }
    // The PUT (and hence a 412/409) happens here for S3A.
    out.close();
  }

  private static void abortQuietly(FSDataOutputStream out, Path target) {
    try {
      out.abort();
    } catch (RuntimeException e) {
      LOG.warn("Could not abort partial write of {}", describe(target), e);
    }
  }

  /**
   * Returns 412 if {@code e} means "the object already exists", 409 for a conditional-write
   * conflict, 0 otherwise.
   */
  static int classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RemoteFileChangedException
          || t instanceof FileAlreadyExistsException
          || t instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
        return HTTP_PRECONDITION_FAILED;
      }
      if (t instanceof AwsServiceException) {
        int status = ((AwsServiceException) t).statusCode();
        if (status == HTTP_PRECONDITION_FAILED || status == HTTP_CONFLICT) {
          return status;
        }
      }
    }
    return 0;
  }

  private static void backoff(int attempt) throws InterruptedIOException {
    long max = CONFLICT_BACKOFF_BASE_MS << (attempt - 1);
    long sleep = max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1);
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      InterruptedIOException iioe = new InterruptedIOException("Interrupted while retrying");
      iioe.initCause(ie);
      throw iioe;
    }
  }

  /** The path as a string with any user-info (which could hold secrets) removed. */
  static String describe(Path path) {
    URI uri = path.toUri();
    if (uri.getRawUserInfo() == null) {
      return path.toString();
    }
    try {
      return new URI(
              uri.getScheme(),
              null,
              uri.getHost(),
              uri.getPort(),
              uri.getPath(),
              uri.getQuery(),
              uri.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      return "<unprintable path>";
    }
  }
}
