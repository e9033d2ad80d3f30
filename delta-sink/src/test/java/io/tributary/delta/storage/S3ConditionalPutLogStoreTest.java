package io.tributary.delta.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.storage.CloseableIterator;
import io.delta.storage.LogStore;
import io.tributary.delta.testing.CommitRaceScenario;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.S3ProxyExtension;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.AWSBadRequestException;
import org.apache.hadoop.fs.s3a.RemoteFileChangedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ConditionalPutLogStoreTest {

  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  private Configuration conf;
  private LogStore store;
  private String testDir;

  @BeforeEach
  void setUp(TestInfo info) {
    conf = S3.newHadoopConfiguration();
    store = new S3ConditionalPutLogStore(conf);
    testDir = S3.uri(info.getTestMethod().orElseThrow().getName());
  }

  // ---------------------------------------------------------------------------------------------
  // Precondition: the fixture's S3Proxy really implements If-None-Match: * (raw S3 API, no S3A)
  // ---------------------------------------------------------------------------------------------

  @Test
  void s3proxyHonoursIfNoneMatchStarOnPut() {
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(S3.endpoint())
            .region(Region.of(S3ProxyExtension.REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        S3ProxyExtension.ACCESS_KEY, S3ProxyExtension.SECRET_KEY)))
            .httpClientBuilder(ApacheHttpClient.builder())
            .build()) {
      String key = "raw/if-none-match";
      s3.putObject(
          b -> b.bucket(S3.bucket()).key(key).ifNoneMatch("*"), RequestBody.fromString("first"));

      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket(S3.bucket()).key(key).ifNoneMatch("*"),
                      RequestBody.fromString("second")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(412);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
              });
      assertThat(s3.getObjectAsBytes(b -> b.bucket(S3.bucket()).key(key)).asUtf8String())
          .isEqualTo("first");

      // without the header the same PUT overwrites: the header is what protects us
      s3.putObject(b -> b.bucket(S3.bucket()).key(key), RequestBody.fromString("third"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(S3.bucket()).key(key)).asUtf8String())
          .isEqualTo("third");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // LogStore contract
  // ---------------------------------------------------------------------------------------------

  @Test
  void writesNewFileAndReadsItBack() throws Exception {
    Path path = new Path(testDir + "/_delta_log/00000000000000000000.json");

    store.write(path, lines("{\"a\":1}", "{\"b\":2}"), false, conf);

    assertThat(readLines(path)).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(rawContent(path)).isEqualTo("{\"a\":1}\n{\"b\":2}\n");
  }

  @Test
  void secondCreateOfSamePathFailsAndKeepsFirstContent() throws Exception {
    Path path = new Path(testDir + "/_delta_log/00000000000000000001.json");
    store.write(path, lines("first"), false, conf);

    assertThatThrownBy(() -> store.write(path, lines("second"), false, conf))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(path.toString())
        // what S3A surfaces for the 412 Precondition Failed
        .hasRootCauseInstanceOf(S3Exception.class)
        .satisfies(
            e -> assertThat(e.getCause()).isInstanceOf(RemoteFileChangedException.class));

    assertThat(readLines(path)).containsExactly("first");
  }

  @Test
  void identicalContentOnExistingFileIsTreatedAsIdempotentRetry() throws Exception {
    // What a lost-response retry of our own PUT looks like: the object holds exactly our bytes.
    Path path = new Path(testDir + "/_delta_log/00000000000000000002.json");
    store.write(path, lines("same", "bytes"), false, conf);

    store.write(path, lines("same", "bytes"), false, conf);

    assertThat(readLines(path)).containsExactly("same", "bytes");
    // ...but a prefix / extension of it is a different commit and loses
    assertThatThrownBy(() -> store.write(path, lines("same"), false, conf))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> store.write(path, lines("same", "bytes", "more"), false, conf))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void racingCreatorsExactlyOneWins() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 5; round++) {
        Path path = new Path(String.format("%s/_delta_log/%020d.json", testDir, round));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          String content = "writer-" + w;
          // each writer uses its own LogStore instance, as separate committers would
          LogStore writerStore = new S3ConditionalPutLogStore(conf);
          Callable<String> task =
              () -> {
                go.await();
                try {
                  writerStore.write(path, lines(content), false, conf);
                  return content;
                } catch (FileAlreadyExistsException lost) {
                  return null;
                }
              };
          results.add(pool.submit(task));
        }
        go.countDown();

        List<String> winners = new ArrayList<>();
        for (Future<String> f : results) {
          String won = f.get(60, TimeUnit.SECONDS);
          if (won != null) {
            winners.add(won);
          }
        }
        assertThat(winners).as("winners of round %s", round).hasSize(1);
        assertThat(readLines(path)).containsExactly(winners.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listFromReturnsSortedEntriesFromGivenNameOn() throws Exception {
    String log = testDir + "/_delta_log/";
    for (int v : new int[] {3, 0, 4, 1, 2}) {
      store.write(new Path(String.format("%s%020d.json", log, v)), lines("v" + v), false, conf);
    }
    store.write(new Path(log + "00000000000000000002.checkpoint.parquet"), lines("x"), false, conf);

    List<String> names = names(store.listFrom(new Path(log + "00000000000000000002"), conf));
    assertThat(names)
        .containsExactly(
            "00000000000000000002.checkpoint.parquet",
            "00000000000000000002.json",
            "00000000000000000003.json",
            "00000000000000000004.json");

    assertThat(names(store.listFrom(new Path(log + "00000000000000000000.json"), conf)))
        .hasSize(6)
        .isSorted();
    assertThat(names(store.listFrom(new Path(log + "00000000000000000005"), conf))).isEmpty();
  }

  @Test
  void listFromMissingDirectoryThrowsFileNotFound() {
    assertThatThrownBy(
            () -> store.listFrom(new Path(testDir + "/_delta_log/00000000000000000000"), conf))
        .isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void overwriteTrueReplaces() throws Exception {
    Path path = new Path(testDir + "/_delta_log/_last_checkpoint");
    store.write(path, lines("old"), false, conf);

    store.write(path, lines("new", "content"), true, conf);
    assertThat(readLines(path)).containsExactly("new", "content");

    // overwrite=true also creates
    Path fresh = new Path(testDir + "/_delta_log/other");
    store.write(fresh, lines("created"), true, conf);
    assertThat(readLines(fresh)).containsExactly("created");
  }

  @Test
  void partialWritesAreNotVisibleAndPathsResolve() throws Exception {
    Path path = new Path(testDir + "/_delta_log/00000000000000000000.json");
    assertThat(store.isPartialWriteVisible(path, conf)).isFalse();
    assertThat(store.resolvePathOnPhysicalStorage(path, conf).toString())
        .isEqualTo(path.toString());
  }

  @Test
  void probeConfirmsConditionalPutSupportAndCleansUp() throws Exception {
    Path dir = new Path(testDir + "/_delta_log");

    S3ConditionalPutLogStore.probeConditionalPutSupport(dir, conf);

    FileSystem fs = dir.getFileSystem(conf);
    assertThat(fs.exists(dir) ? fs.listStatus(dir) : new FileStatus[0]).isEmpty();
  }

  @Test
  void refusesToWriteWhereConditionalCreateIsUnavailable(@TempDir java.nio.file.Path tmp)
      throws Exception {
    // 1. a file system without conditional creation (local): fail loudly, never overwrite
    java.nio.file.Path local = tmp.resolve("00000000000000000000.json");
    Files.writeString(local, "existing\n");
    Path localPath = new Path(local.toUri());
    assertThatThrownBy(() -> store.write(localPath, lines("zombie"), false, conf))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("does not support conditional creation");
    assertThat(Files.readString(local)).isEqualTo("existing\n");
    assertThatThrownBy(() -> S3ConditionalPutLogStore.probeConditionalPutSupport(
            new Path(tmp.toUri()), conf))
        .isInstanceOf(IOException.class);

    // 2. S3A with conditional creation switched off
    Configuration disabled = new Configuration(conf);
    disabled.setBoolean(S3ConditionalPutLogStore.S3A_CONDITIONAL_CREATE_ENABLED, false);
    disabled.setBoolean("fs.s3a.impl.disable.cache", true);
    Path path = new Path(testDir + "/_delta_log/00000000000000000000.json");
    try (FileSystem fs = path.getFileSystem(disabled)) {
      assertThatThrownBy(() -> store.write(path, lines("x"), false, disabled))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(FileAlreadyExistsException.class)
          .hasMessageContaining("does not support conditional creation");
      assertThat(fs.exists(path)).isFalse();
    }
  }

  @Test
  void classifiesPreconditionAndConflictResponses() {
    S3Exception precondition =
        (S3Exception) S3Exception.builder().statusCode(412).message("PreconditionFailed").build();
    S3Exception conflict =
        (S3Exception)
            S3Exception.builder().statusCode(409).message("ConditionalRequestConflict").build();
    S3Exception forbidden = (S3Exception) S3Exception.builder().statusCode(403).build();

    assertThat(
            S3ConditionalPutLogStore.classify(
                new RemoteFileChangedException("s3a://b/k", "put", "412", precondition)))
        .isEqualTo(412);
    // S3A maps 409 to AWSBadRequestException
    assertThat(S3ConditionalPutLogStore.classify(new AWSBadRequestException("put", conflict)))
        .isEqualTo(409);
    assertThat(S3ConditionalPutLogStore.classify(new IOException("wrapped", precondition)))
        .isEqualTo(412);
    assertThat(S3ConditionalPutLogStore.classify(new IOException("x", forbidden))).isZero();
    assertThat(S3ConditionalPutLogStore.classify(new IOException("plain"))).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // 409 Conflict retries and 412 settling (s3proxy never answers 409; driven through the seam)
  // ---------------------------------------------------------------------------------------------

  @Test
  void conflictIsRetriedUntilThePutSucceeds(@TempDir java.nio.file.Path tmp) throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
    java.nio.file.Path file = tmp.resolve("00000000000000000007.json");
    Path target = new Path(file.toUri());
    byte[] ours = "ours\n".getBytes(StandardCharsets.UTF_8);
    int[] attempts = {0};

    S3ConditionalPutLogStore.createWithRetries(
        fs,
        target,
        ours,
        () -> {
          if (++attempts[0] <= 2) {
            throw conflict409();
          }
          Files.write(file, ours);
        });

    assertThat(attempts[0]).isEqualTo(3);
    assertThat(Files.readString(file)).isEqualTo("ours\n");
  }

  @Test
  void conflictThenPreconditionFailedMeansLostUnlessContentIsOurs(@TempDir java.nio.file.Path tmp)
      throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
    java.nio.file.Path file = tmp.resolve("00000000000000000008.json");
    Path target = new Path(file.toUri());
    byte[] ours = "ours\n".getBytes(StandardCharsets.UTF_8);

    // the racer that caused the 409 won with different content
    int[] attempts = {0};
    assertThatThrownBy(
            () ->
                S3ConditionalPutLogStore.createWithRetries(
                    fs,
                    target,
                    ours,
                    () -> {
                      if (++attempts[0] == 1) {
                        Files.writeString(file, "theirs\n");
                        throw conflict409();
                      }
                      throw precondition412();
                    }))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(attempts[0]).isEqualTo(2);
    assertThat(Files.readString(file)).isEqualTo("theirs\n");

    // our own first attempt landed although we saw an error: idempotent success
    Files.write(file, ours);
    S3ConditionalPutLogStore.createWithRetries(
        fs,
        target,
        ours,
        () -> {
          throw precondition412();
        });
  }

  @Test
  void persistentConflictIsAnUnknownOutcomeNotALostRace(@TempDir java.nio.file.Path tmp)
      throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
    java.nio.file.Path file = tmp.resolve("00000000000000000009.json");
    Path target = new Path(file.toUri());
    int[] attempts = {0};

    assertThatThrownBy(
            () ->
                S3ConditionalPutLogStore.createWithRetries(
                    fs,
                    target,
                    "x\n".getBytes(StandardCharsets.UTF_8),
                    () -> {
                      attempts[0]++;
                      throw conflict409();
                    }))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("409");
    assertThat(attempts[0]).isEqualTo(S3ConditionalPutLogStore.MAX_CONFLICT_ATTEMPTS);

    // ...but if by then the object exists (someone else's), it is a lost race
    attempts[0] = 0;
    assertThatThrownBy(
            () ->
                S3ConditionalPutLogStore.createWithRetries(
                    fs,
                    target,
                    "x\n".getBytes(StandardCharsets.UTF_8),
                    () -> {
                      attempts[0]++;
                      Files.writeString(file, "other\n");
                      throw conflict409();
                    }))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void otherErrorsPropagateWithoutRetry(@TempDir java.nio.file.Path tmp) throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
    Path target = new Path(tmp.resolve("00000000000000000010.json").toUri());
    int[] attempts = {0};
    IOException denied = new java.nio.file.AccessDeniedException("s3a://b/k");

    assertThatThrownBy(
            () ->
                S3ConditionalPutLogStore.createWithRetries(
                    fs,
                    target,
                    new byte[0],
                    () -> {
                      attempts[0]++;
                      throw denied;
                    }))
        .isSameAs(denied);
    assertThat(attempts[0]).isEqualTo(1);
  }

  private static IOException conflict409() {
    S3Exception conflict =
        (S3Exception)
            S3Exception.builder()
                .statusCode(409)
                .message("ConditionalRequestConflict")
                .build();
    return new AWSBadRequestException("Writing Object", conflict);
  }

  private static IOException precondition412() {
    S3Exception precondition =
        (S3Exception) S3Exception.builder().statusCode(412).message("PreconditionFailed").build();
    return new RemoteFileChangedException("s3a://b/k", "Writing Object", "", precondition);
  }

  @Test
  void describeStripsUserInfo() {
    assertThat(S3ConditionalPutLogStore.describe(new Path("s3a://AKIA:secret@bucket/t/x.json")))
        .isEqualTo("s3a://bucket/t/x.json")
        .doesNotContain("secret");
  }

  @Test
  void registrationKeys() {
    assertThat(S3ConditionalPutLogStore.S3A_LOG_STORE_CONF_KEY)
        .isEqualTo("io.delta.kernel.logStore.s3a.impl");
    assertThat(S3ConditionalPutLogStore.S3_LOG_STORE_CONF_KEY)
        .isEqualTo("io.delta.kernel.logStore.s3.impl");
    Configuration c = S3ConditionalPutLogStore.register(new Configuration(false));
    assertThat(c.get("io.delta.kernel.logStore.s3a.impl"))
        .isEqualTo(S3ConditionalPutLogStore.class.getName());
    assertThat(c.get("io.delta.kernel.logStore.s3.impl"))
        .isEqualTo(S3ConditionalPutLogStore.class.getName());
  }

  // ---------------------------------------------------------------------------------------------
  // Through Delta Kernel
  // ---------------------------------------------------------------------------------------------

  @Test
  void kernelCreatesTableOnS3ProxyThroughTheLogStore() {
    Engine engine = DefaultEngine.create(conf);
    String tablePath = testDir + "/t";
    Table table = Table.forPath(engine, tablePath);

    TransactionCommitResult result = createTable(engine, table);

    assertThat(result.getVersion()).isZero();
    Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
    assertThat(snapshot.getVersion()).isZero();
    assertThat(snapshot.getSchema()).isEqualTo(new StructType().add("id", LongType.LONG));
  }

  @Test
  void zombieRewriteOfCommitZeroIsRejectedAndTableStaysReadable() throws Exception {
    Engine engine = DefaultEngine.create(conf);
    String tablePath = testDir + "/t";
    createTable(engine, Table.forPath(engine, tablePath));
    Path commit0 = new Path(tablePath + "/_delta_log/00000000000000000000.json");
    String original = rawContent(commit0);

    // A zombie writer that still believes it owns version 0 writes its own commit file.
    String zombieCommit =
        "{\"commitInfo\":{\"timestamp\":1,\"operation\":\"CREATE TABLE\",\"engineInfo\":\"zombie\"}}";
    String zombieMetadata =
        "{\"metaData\":{\"id\":\"zombie\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
            + "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":"
            + "\\\"evil\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
            + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1}}";
    LogStore zombieStore = new S3ConditionalPutLogStore(S3.newHadoopConfiguration());
    assertThatThrownBy(
            () ->
                zombieStore.write(
                    commit0, lines(zombieCommit, zombieMetadata), false, S3.newHadoopConfiguration()))
        .isInstanceOf(FileAlreadyExistsException.class);

    assertThat(rawContent(commit0)).isEqualTo(original);
    Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
    assertThat(snapshot.getVersion()).isZero();
    assertThat(snapshot.getSchema()).isEqualTo(new StructType().add("id", LongType.LONG));
  }

  @Test
  void kernelResolvesALostCommitRaceThroughFileAlreadyExists() throws Exception {
    Engine engine = DefaultEngine.create(conf);
    String tablePath = testDir + "/t";
    createTable(engine, Table.forPath(engine, tablePath));

    // two writers start from the same snapshot (version 0) and both try to commit version 1
    Table table = Table.forPath(engine, tablePath);
    io.delta.kernel.Transaction first =
        table.createTransactionBuilder(engine, "writer-1", Operation.WRITE).build(engine);
    io.delta.kernel.Transaction second =
        table.createTransactionBuilder(engine, "writer-2", Operation.WRITE).build(engine);

    assertThat(first.commit(engine, CloseableIterable.emptyIterable()).getVersion())
        .isEqualTo(1);
    // the second one's PUT of 1.json is rejected (412 -> FileAlreadyExistsException); Kernel
    // checks for conflicts and commits at version 2 instead of overwriting version 1
    assertThat(second.commit(engine, CloseableIterable.emptyIterable()).getVersion())
        .isEqualTo(2);

    assertThat(rawContent(new Path(tablePath + "/_delta_log/00000000000000000001.json")))
        .contains("writer-1")
        .doesNotContain("writer-2");
    assertThat(rawContent(new Path(tablePath + "/_delta_log/00000000000000000002.json")))
        .contains("writer-2");
    assertThat(Table.forPath(engine, tablePath).getLatestSnapshot(engine).getVersion())
        .isEqualTo(2);
  }

  @ParameterizedTest(name = "append first: {0}")
  @ValueSource(booleans = {true, false})
  void kernelRebasesTheLoserOfA412RaceWithItsActions(boolean appendFirst) throws Exception {
    new CommitRaceScenario(conf).loserIsRebasedWithItsActions(testDir + "/append-first-" + appendFirst, appendFirst);
  }

  // ---------------------------------------------------------------------------------------------
  // helpers
  // ---------------------------------------------------------------------------------------------

  private static TransactionCommitResult createTable(Engine engine, Table table) {
    try {
      return table
          .createTransactionBuilder(engine, "test", Operation.CREATE_TABLE)
          .withSchema(engine, new StructType().add("id", LongType.LONG))
          .build(engine)
          .commit(engine, CloseableIterable.emptyIterable());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static java.util.Iterator<String> lines(String... lines) {
    return Arrays.asList(lines).iterator();
  }

  private List<String> readLines(Path path) throws IOException {
    List<String> out = new ArrayList<>();
    try (CloseableIterator<String> it = store.read(path, conf)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private String rawContent(Path path) throws IOException {
    return DeltaTestTables.readText(path, conf);
  }

  private static List<String> names(java.util.Iterator<FileStatus> it) {
    List<FileStatus> all = new ArrayList<>();
    it.forEachRemaining(all::add);
    return all.stream().map(s -> s.getPath().getName()).collect(Collectors.toList());
  }
}
