package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot retention function's code ({@code lambda/snapshot_retention.py}) run by Python
 * against a stand-in for the Managed Flink API (the control plane cannot run here): it keeps the
 * newest scheduled snapshots, pages through long lists, and never deletes a snapshot of an update,
 * a stop or an operator, nor one still being created.
 */
class SnapshotRetentionScriptTest {
  @TempDir Path tmp;

  @Test
  void keepsTheNewestScheduledSnapshotsAndNothingElseIsDeleted() throws Exception {
    // events-job: 55 scheduled snapshots in random order (more than one page of 50), 4 others, one
    // scheduled snapshot still being created; cdc-job: fewer than KEEP.
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < 55; i++) {
      events.add(snapshot("scheduled-" + i, i, "READY"));
    }
    events.add(snapshot("scheduled-creating", 100, "CREATING"));
    events.add(snapshot("update-2026-11-01", -5, "READY"));
    events.add(snapshot("stop-2026-11-02", -4, "READY"));
    events.add(snapshot("before-migration", -3, "READY"));
    events.add(snapshot("update-2026-12-01", 70, "READY"));
    Collections.shuffle(events, new Random(7));
    List<Map<String, Object>> cdc = List.of(snapshot("scheduled-a", 1, "READY"), snapshot("scheduled-b", 2, "READY"));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("tributary-events-job-test", events);
    all.put("tributary-cdc-job-test", cdc);
    Path fixture = tmp.resolve("snapshots.json");
    new ObjectMapper().writeValue(fixture.toFile(), all);

    List<String> deleted = run(fixture, 28, "tributary-events-job-test,tributary-cdc-job-test");

    List<String> expected = IntStream.range(0, 55 - 28).mapToObj(i -> "tributary-events-job-test/scheduled-" + i)
        .collect(Collectors.toList());
    assertThat(deleted).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static Map<String, Object> snapshot(String name, int hour, String status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("SnapshotName", name);
    s.put("SnapshotStatus", status);
    // ISO timestamps sort like boto3's datetimes.
    s.put("SnapshotCreationTimestamp", java.time.Instant.parse("2026-11-10T00:00:00Z").plusSeconds(3600L * hour).toString());
    return s;
  }

  private List<String> run(Path fixture, int keep, String applications) throws Exception {
    Path code = tmp.resolve("code");
    Files.createDirectories(code);
    copy("lambda/snapshot_retention.py", code.resolve("snapshot_retention.py"));
    copy("fake-boto3/boto3.py", code.resolve("boto3.py"));
    Path deleted = tmp.resolve("deleted.txt");
    Files.writeString(deleted, "");
    ProcessBuilder pb = new ProcessBuilder("python3", "-c",
        "import snapshot_retention; print(snapshot_retention.handler({}, None))")
        .directory(code.toFile()).redirectErrorStream(true);
    pb.environment().put("KEEP", Integer.toString(keep));
    pb.environment().put("APPLICATIONS", applications);
    pb.environment().put("FAKE_SNAPSHOTS", fixture.toString());
    pb.environment().put("FAKE_DELETED", deleted.toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("tributary-events-job-test: 55 scheduled snapshots, kept 28, deleted 27")
        .contains("tributary-cdc-job-test: 2 scheduled snapshots, kept 2, deleted 0");
    return Files.readAllLines(deleted).stream().filter(l -> !l.isEmpty()).collect(Collectors.toList());
  }

  private static void copy(String resource, Path to) throws Exception {
    try (InputStream in = SnapshotRetentionScriptTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
