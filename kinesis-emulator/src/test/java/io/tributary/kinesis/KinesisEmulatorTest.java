package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class KinesisEmulatorTest {

  @RegisterExtension
  static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();

  @Test
  void putsAndReadsBackRecordsAcrossShards(KinesisEmulator kinesis) {
    assertThat(kinesis.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(kinesis.logFile().toString()).contains("target");
    String stream = "emulator-test-orders";
    kinesis.createStream(stream, 2);

    List<String> sent = IntStream.range(0, 100).mapToObj(i -> "{\"order\":" + i + ",\"payload\":\"rec-" + i + "\"}")
        .collect(Collectors.toList());
    try (KinesisClient client = kinesis.newClient()) {
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        entries.add(PutRecordsRequestEntry.builder()
            .partitionKey("key-" + i)
            .data(SdkBytes.fromString(sent.get(i), StandardCharsets.UTF_8))
            .build());
      }
      PutRecordsResponse put = client.putRecords(b -> b.streamName(stream).records(entries));
      assertThat(put.failedRecordCount()).isZero();
      assertThat(put.records()).hasSize(100);

      List<Shard> shards = client.listShards(b -> b.streamName(stream)).shards();
      assertThat(shards).hasSize(2);

      List<String> received = new ArrayList<>();
      List<Integer> perShard = new ArrayList<>();
      for (Shard shard : shards) {
        String iterator = client.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        int count = 0;
        for (int call = 0; call < 50 && iterator != null; call++) {
          String it = iterator;
          GetRecordsResponse response = client.getRecords(b -> b.shardIterator(it).limit(1000));
          for (Record r : response.records()) {
            received.add(r.data().asUtf8String());
            count++;
          }
          iterator = response.nextShardIterator();
          if (response.records().isEmpty() && Long.valueOf(0L).equals(response.millisBehindLatest())) {
            break;
          }
        }
        perShard.add(count);
      }
      assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
      // 100 distinct partition keys over 2 shards: both must get some.
      assertThat(perShard).allSatisfy(c -> assertThat(c).isPositive());
    }
  }

  @Test
  void streamArnMatchesTheEmulator(KinesisEmulator kinesis) {
    String stream = "emulator-test-arn";
    kinesis.createStream(stream, 1);
    try (KinesisClient client = kinesis.newClient()) {
      String arn = client.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN();
      assertThat(arn).isEqualTo(kinesis.streamArn(stream));
      assertThat(client.listShards(b -> b.streamARN(arn)).shards()).hasSize(1);
    }
  }

  @Test
  void listensOnLoopbackOnly(KinesisEmulator kinesis) throws Exception {
    Path procTcp = Path.of("/proc/net/tcp");
    assumeTrue(Files.isReadable(procTcp), "needs Linux /proc/net/tcp");
    int port = kinesis.endpoint().getPort();
    int tlsPort = kinesis.tlsEndpoint().getPort();
    List<String> listeners = new ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(file);
      if (!Files.isReadable(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[3].equals("0A") && f[1].contains(":")) { // 0A = LISTEN
          int p = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
          if (p == port || p == tlsPort) {
            listeners.add(f[1].substring(0, f[1].indexOf(':')));
          }
        }
      }
    }
    // 0100007F = 127.0.0.1 (little-endian hex); a wildcard bind would show 00000000 or an all-zero tcp6 address.
    assertThat(listeners).containsExactly("0100007F", "0100007F");
  }

  @Test
  void closeLeavesNoProcess() throws Exception {
    KinesisEmulator emulator = KinesisEmulator.builder().build().start();
    long pid;
    int port;
    try {
      pid = emulator.pid();
      port = emulator.endpoint().getPort();
      assertThat(ProcessHandle.of(pid)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
      assertThat(emulator.startupTime()).isLessThan(Duration.ofSeconds(60));
      emulator.createStream("emulator-test-close", 1); // kinesis-mock is slow to stop once it has served requests
    } finally {
      long closing = System.nanoTime();
      emulator.close();
      assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(3));
    }
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(emulator.isRunning()).isFalse();
    try (Socket socket = new Socket()) {
      assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", port), 500))
          .isInstanceOf(java.io.IOException.class);
    }
    emulator.close(); // idempotent
  }

  @Test
  void restartKeepsStreamsRecordsAndSequenceNumbers(@TempDir Path data) {
    String stream = "emulator-test-restart";
    try (KinesisEmulator kinesis = KinesisEmulator.builder().persistDirectory(data).build().start()) {
      kinesis.createStream(stream, 2);
      URI endpoint = kinesis.endpoint();
      URI tlsEndpoint = kinesis.tlsEndpoint();
      long oldPid = kinesis.pid();
      Map<String, List<String>> before;
      try (KinesisClient client = kinesis.newClient()) {
        put(client, stream, 0, 60);
        put(client, stream, 60, 60); // the second batch right before the restart: written by the graceful stop
        before = readAll(client, stream);
      }
      assertThat(before.values().stream().mapToInt(List::size).sum()).isEqualTo(120);

      Duration down = kinesis.restart();

      assertThat(down).isPositive().isLessThan(Duration.ofSeconds(60));
      assertThat(kinesis.pid()).isNotEqualTo(oldPid);
      assertThat(ProcessHandle.of(oldPid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(kinesis.endpoint()).isEqualTo(endpoint);
      assertThat(kinesis.tlsEndpoint()).isEqualTo(tlsEndpoint);
      assertThat(Files.exists(data.resolve("kinesis-data.json"))).isTrue();
      try (KinesisClient client = kinesis.newClient()) {
        assertThat(client.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatusAsString())
            .isEqualTo("ACTIVE");
        // Every record back, in order, with its sequence number.
        assertThat(readAll(client, stream)).isEqualTo(before);

        // A consumer continues from a sequence number it stored before the restart.
        String shard = before.keySet().iterator().next();
        List<String> old = before.get(shard);
        assertThat(old).hasSizeGreaterThan(3);
        String checkpoint = old.get(old.size() / 2);
        String afterCheckpoint = client.getShardIterator(b -> b.streamName(stream).shardId(shard)
            .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
            .startingSequenceNumber(sequenceOf(checkpoint))).shardIterator();
        put(client, stream, 120, 40);
        List<String> continued = readShard(client, afterCheckpoint);
        assertThat(continued.subList(0, old.size() - old.size() / 2 - 1))
            .isEqualTo(old.subList(old.size() / 2 + 1, old.size()));
        List<String> fresh = continued.subList(old.size() - old.size() / 2 - 1, continued.size());
        assertThat(fresh).isNotEmpty().allSatisfy(r -> assertThat(dataOf(r)).startsWith("rec-"));
        // New records get higher sequence numbers than every old one of their shard.
        BigInteger oldMax = new BigInteger(sequenceOf(old.get(old.size() - 1)));
        assertThat(fresh).allSatisfy(r -> assertThat(new BigInteger(sequenceOf(r))).isGreaterThan(oldMax));
        before = readAll(client, stream);
      }
      assertThat(before.values().stream().mapToInt(List::size).sum()).isEqualTo(160);

      long closing = System.nanoTime();
      kinesis.close(); // graceful: writes what arrived since the last periodic write
      assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("close with open keep-alive connections")
          .isLessThan(Duration.ofSeconds(10));
      // A new emulator on the same folder (other ports) continues where the closed one stopped.
      try (KinesisEmulator again = KinesisEmulator.builder().persistDirectory(data).build().start();
          KinesisClient client = again.newClient()) {
        assertThat(readAll(client, stream)).isEqualTo(before);
      }
    }
  }

  @Test
  void restartWithoutPersistDirectoryIsRejected(KinesisEmulator kinesis) {
    long pid = kinesis.pid();
    assertThat(kinesis.persistDirectory()).isEmpty();
    assertThatThrownBy(kinesis::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without a persist directory")
        .hasMessageContaining("persistDirectory(dir)");
    assertThat(kinesis.isRunning()).isTrue();
    assertThat(kinesis.pid()).isEqualTo(pid);
  }

  private static void put(KinesisClient client, String stream, int from, int count) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + i)
          .data(SdkBytes.fromString("rec-" + i, StandardCharsets.UTF_8)).build());
    }
    PutRecordsResponse put = client.putRecords(b -> b.streamName(stream).records(entries));
    assertThat(put.failedRecordCount()).isZero();
  }

  /** Per shard, in order: {@code <sequence number> <data>}. */
  private static Map<String, List<String>> readAll(KinesisClient client, String stream) {
    Map<String, List<String>> records = new LinkedHashMap<>();
    for (Shard shard : client.listShards(b -> b.streamName(stream)).shards()) {
      String iterator = client.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      records.put(shard.shardId(), readShard(client, iterator));
    }
    return records;
  }

  private static List<String> readShard(KinesisClient client, String iterator) {
    List<String> records = new ArrayList<>();
    for (int call = 0; call < 50 && iterator != null; call++) {
      String it = iterator;
      GetRecordsResponse response = client.getRecords(b -> b.shardIterator(it).limit(1000));
      for (Record r : response.records()) {
        records.add(r.sequenceNumber() + " " + r.data().asUtf8String());
      }
      iterator = response.nextShardIterator();
      if (response.records().isEmpty() && Long.valueOf(0L).equals(response.millisBehindLatest())) {
        break;
      }
    }
    return records;
  }

  private static String sequenceOf(String record) {
    return record.substring(0, record.indexOf(' '));
  }

  private static String dataOf(String record) {
    return record.substring(record.indexOf(' ') + 1);
  }

  @Test
  void missingInstallationFailsClearly(@TempDir Path empty) {
    KinesisEmulator emulator = KinesisEmulator.builder().emulatorDir(empty).build();
    assertThatThrownBy(emulator::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kinesis-local")
        .hasMessageContaining("npm ci");
  }
}
