package io.tributary.clustertests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Flink REST API as a user drives it (the web UI and {@code flink run} use the same calls):
 * upload a jar, run it with program arguments (optionally from a savepoint), follow the job, stop
 * it with a savepoint, cancel it, read its checkpoints, exceptions and the cluster's metrics. JDK
 * {@link HttpClient} and Jackson only.
 */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  FlinkRest(String base) {
    this.base = base;
  }

  String base() {
    return base;
  }

  /** Waits until the REST endpoint answers; fails early when {@code process} died. */
  void awaitUp(Duration timeout, Process process, String logs) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        get("/config");
        return;
      } catch (IOException | RuntimeException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("JobManager REST API not up at " + base + " (process alive: "
              + process.isAlive() + ")\n" + logs, e);
        }
        Thread.sleep(250);
      }
    }
  }

  /** Waits until the TaskManagers offer {@code slots} slots in all. */
  void awaitSlots(int slots, Duration timeout, Process taskManager, String logs) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int total = 0;
      for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
        total += tm.path("slotsNumber").asInt();
      }
      if (total >= slots) {
        return;
      }
      if (!taskManager.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("TaskManager did not register " + slots + " slots (has " + total
            + ", process alive: " + taskManager.isAlive() + ")\n" + logs);
      }
      Thread.sleep(250);
    }
  }

  /** {@code POST /jars/upload}; returns the jar id. */
  String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "----tributary" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(Files.readAllBytes(jar));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .timeout(Duration.ofMinutes(2))
        .build();
    JsonNode response = send(request);
    String filename = response.path("filename").asText();
    if (!"success".equals(response.path("status").asText()) || filename.isEmpty()) {
      throw new IllegalStateException("Upload of " + jar + " failed: " + response);
    }
    return Path.of(filename).getFileName().toString();
  }

  /**
   * {@code POST /jars/<id>/run}: the JobManager runs the jar's {@code main()} and submits its job.
   *
   * @param savepoint restore from this savepoint, or null
   * @return the job id
   * @throws IllegalStateException with Flink's error (for instance from {@code main()}) when the run fails
   */
  String runJar(String jarId, List<String> programArgs, String savepoint) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.set("programArgsList", JSON.valueToTree(programArgs));
    if (savepoint != null) {
      body.put("savepointPath", savepoint);
      body.put("allowNonRestoredState", false);
    }
    JsonNode response = send(HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .timeout(Duration.ofMinutes(3))
        .build());
    return response.path("jobid").asText();
  }

  /** {@code GET /jobs/<id>}. */
  JsonNode job(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId);
  }

  String state(String jobId) throws IOException, InterruptedException {
    return job(jobId).path("state").asText();
  }

  /**
   * Waits until the job and all its tasks run (a stop-with-savepoint needs every task running).
   *
   * @throws AssertionError when the job ends, naming its root exception
   */
  void awaitRunning(String jobId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode job = null;
    while (System.nanoTime() < deadline) {
      job = job(jobId);
      String state = job.path("state").asText();
      if (isTerminal(state)) {
        throw new AssertionError("Job " + job.path("name").asText() + " (" + jobId + ") ended " + state + ": "
            + rootException(jobId));
      }
      boolean allRunning = "RUNNING".equals(state) && job.path("vertices").size() > 0;
      for (JsonNode v : job.path("vertices")) {
        allRunning &= "RUNNING".equals(v.path("status").asText());
      }
      if (allRunning) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Job " + jobId + " not running after " + timeout + ": " + job);
  }

  /** Waits until the job is in a terminal state and returns it. */
  String awaitTerminal(String jobId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = state(jobId);
    while (!isTerminal(state)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Job " + jobId + " still " + state + " after " + timeout);
      }
      Thread.sleep(250);
      state = state(jobId);
    }
    return state;
  }

  /**
   * {@code POST /jobs/<id>/stop}, then polls the operation: the job's final savepoint.
   *
   * @return the savepoint's location
   */
  String stopWithSavepoint(String jobId, Path directory, Duration timeout) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("targetDirectory", directory.toUri().toString());
    body.put("drain", false);
    body.put("formatType", "CANONICAL");
    String trigger = send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "/stop"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build()).path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode op = status.path("operation");
        if (op.has("failure-cause")) {
          throw new AssertionError("Stop with savepoint of " + jobId + " failed: " + op.path("failure-cause"));
        }
        String location = op.path("location").asText();
        awaitTerminal(jobId, Duration.ofSeconds(60));
        return location;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Stop with savepoint of " + jobId + " did not complete within " + timeout);
  }

  /** {@code PATCH /jobs/<id>?mode=cancel} and waits for CANCELED. */
  void cancel(String jobId) throws Exception {
    send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody())
        .build());
    String state = awaitTerminal(jobId, Duration.ofSeconds(60));
    if (!"CANCELED".equals(state)) {
      throw new AssertionError("Job " + jobId + " ended " + state + " instead of CANCELED: " + rootException(jobId));
    }
  }

  /** {@code GET /jobs/<id>/checkpoints}. */
  JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/checkpoints");
  }

  /** The exceptions the job saw (task failures it recovered from included), newest first. */
  List<String> exceptions(String jobId) throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    for (JsonNode e : get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
      out.add(e.path("exceptionName").asText() + " in " + e.path("taskName").asText() + ": "
          + firstLine(e.path("stacktrace").asText()));
    }
    return out;
  }

  String rootException(String jobId) {
    try {
      JsonNode e = get("/jobs/" + jobId + "/exceptions");
      JsonNode root = e.path("root-exception");
      return root.isMissingNode() ? e.toString() : joinErrors(JSON.createArrayNode().add(root.asText()));
    } catch (Exception ex) {
      return "(exceptions not readable: " + ex + ")";
    }
  }

  /** One value of {@code /jobmanager/metrics} or {@code /taskmanagers/<id>/metrics}, or null. */
  String metric(String path, String name) throws IOException, InterruptedException {
    for (JsonNode m : get(path + "/metrics?get=" + name)) {
      if (name.equals(m.path("id").asText())) {
        return m.path("value").asText();
      }
    }
    return null;
  }

  /** The ids of the registered TaskManagers. */
  List<String> taskManagerIds() throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
    return ids;
  }

  /** Jobs by id and state ({@code GET /jobs}). */
  Map<String, String> jobs() throws IOException, InterruptedException {
    Map<String, String> out = new java.util.TreeMap<>();
    get("/jobs").path("jobs").forEach(j -> out.put(j.path("id").asText(), j.path("status").asText()));
    return out;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpRequest timed = request.timeout().isPresent() ? request
        : HttpRequest.newBuilder(request, (k, v) -> true).timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> response = http.send(timed, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      String errors;
      try {
        JsonNode tree = JSON.readTree(response.body()).path("errors");
        errors = tree.isArray() ? joinErrors(tree) : response.body();
      } catch (IOException e) {
        errors = response.body();
      }
      throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " -> HTTP "
          + response.statusCode() + ": " + errors);
    }
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  /** Flink's error texts are stack traces: their first line and every cause line, without frames. */
  private static String joinErrors(JsonNode errors) {
    List<String> parts = new ArrayList<>();
    errors.forEach(e -> e.asText().lines()
        .filter(l -> !l.startsWith("\t") && !l.startsWith(" ") && !l.isBlank())
        .forEach(parts::add));
    return String.join("\n", parts);
  }

  static boolean isTerminal(String state) {
    return "FINISHED".equals(state) || "CANCELED".equals(state) || "FAILED".equals(state);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
