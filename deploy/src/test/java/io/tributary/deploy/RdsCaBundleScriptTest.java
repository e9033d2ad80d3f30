package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RDS CA bundle custom resource's code ({@code lambda/rds_ca_bundle.py}) run by Python against
 * a local HTTP server (serving the bundle and receiving CloudFormation's response on the
 * ResponseURL) and a stand-in for boto3's S3 client: it writes a bundle of certificates to the
 * configured key, refuses anything else loudly, deletes only that key's versions, and answers
 * CloudFormation exactly once on every path, failures included, so a stack never waits for the
 * custom resource timeout.
 */
class RdsCaBundleScriptTest {
  @TempDir Path tmp;

  private HttpServer server;
  private volatile int bundleStatus = 200;
  private volatile byte[] bundleBody = new byte[0];
  private final AtomicInteger downloads = new AtomicInteger();
  private final List<JsonNode> responses = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/global/global-bundle.pem", exchange -> {
      downloads.incrementAndGet();
      byte[] body = bundleBody;
      exchange.sendResponseHeaders(bundleStatus, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.createContext("/cfn-response", exchange -> {
      assertThat(exchange.getRequestMethod()).isEqualTo("PUT");
      responses.add(CdkTestSupport.JSON.readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void createAndUpdateWriteTheBundleAndAnswerSuccess() throws Exception {
    byte[] bundle = pem(3);
    bundleBody = bundle;
    for (String type : List.of("Create", "Update")) {
      responses.clear();
      JsonNode response = run(type, Map.of());
      assertThat(response.path("Status").asText()).as(type + ": " + response).isEqualTo("SUCCESS");
      assertThat(response.path("PhysicalResourceId").asText()).isEqualTo("s3://artifacts-b/certs/rds-global-bundle.pem");
      assertThat(response.path("Data").path("Location").asText()).isEqualTo("s3://artifacts-b/certs/rds-global-bundle.pem");
      assertThat(response.path("Data").path("Certificates").asText()).isEqualTo("3");
      assertThat(response.path("RequestId").asText()).isEqualTo("req-" + type);
      assertThat(response.path("LogicalResourceId").asText()).isEqualTo("RdsCaBundle");
      assertThat(Files.readAllBytes(written())).isEqualTo(bundle);
    }
    assertThat(downloads.get()).isEqualTo(2);
  }

  @Test
  void anythingButABundleOfCertificatesFailsTheDeploymentWithTheReason() throws Exception {
    Map<String, byte[]> bad = new LinkedHashMap<>();
    bad.put("no PEM certificate in the bundle", "<html>Service Unavailable</html>".getBytes(StandardCharsets.US_ASCII));
    bad.put("not ASCII PEM text", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    bad.put("holds a PRIVATE KEY block", concat(pem(1),
        "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII)));
    bad.put("is not valid base64", "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n"
        .getBytes(StandardCharsets.US_ASCII));
    bad.put("text outside its certificates", concat(pem(1), "garbage\n".getBytes(StandardCharsets.US_ASCII)));
    for (Map.Entry<String, byte[]> b : bad.entrySet()) {
      responses.clear();
      bundleBody = b.getValue();
      JsonNode response = run("Create", Map.of());
      assertThat(response.path("Status").asText()).as(b.getKey()).isEqualTo("FAILED");
      assertThat(response.path("Reason").asText()).contains(b.getKey())
          .contains("http://127.0.0.1:" + server.getAddress().getPort() + "/global/global-bundle.pem");
      assertThat(written()).as(b.getKey()).doesNotExist();
    }
  }

  @Test
  void aFailedDownloadOrWriteFailsTheDeploymentWithTheReason() throws Exception {
    bundleStatus = 404;
    JsonNode notFound = run("Create", Map.of());
    assertThat(notFound.path("Status").asText()).isEqualTo("FAILED");
    assertThat(notFound.path("Reason").asText()).contains("HTTPError").contains("404");
    // The physical id of a failed Create is the location, so its rollback's Delete names it.
    assertThat(notFound.path("PhysicalResourceId").asText()).isEqualTo("s3://artifacts-b/certs/rds-global-bundle.pem");

    responses.clear();
    bundleStatus = 200;
    bundleBody = pem(2);
    JsonNode denied = run("Create", Map.of("FAKE_S3_ERROR", "AccessDenied on certs/rds-global-bundle.pem"));
    assertThat(denied.path("Status").asText()).isEqualTo("FAILED");
    assertThat(denied.path("Reason").asText()).contains("AccessDenied");
    assertThat(written()).doesNotExist();
  }

  @Test
  void deleteRemovesExactlyTheBundleAndAnswersSuccess() throws Exception {
    Path bucket = tmp.resolve("s3").resolve("artifacts-b");
    Path longerKey = bucket.resolve("certs/rds-global-bundle.pem.bak");
    Path jar = bucket.resolve("jars/tributary-cdc-job.jar");
    for (Path p : List.of(written(), longerKey, jar)) {
      Files.createDirectories(p.getParent());
      Files.write(p, pem(1));
    }
    JsonNode response = run("Delete", Map.of(), "s3://artifacts-b/certs/rds-global-bundle.pem");
    assertThat(response.path("Status").asText()).isEqualTo("SUCCESS");
    assertThat(response.path("PhysicalResourceId").asText()).isEqualTo("s3://artifacts-b/certs/rds-global-bundle.pem");
    assertThat(written()).doesNotExist();
    assertThat(longerKey).exists();
    assertThat(jar).exists();
    assertThat(Files.readAllLines(tmp.resolve("s3").resolve("deleted.txt")))
        .containsExactly("artifacts-b/certs/rds-global-bundle.pem@v1");
    assertThat(downloads.get()).isZero();
  }

  @Test
  void aFailedDeleteStillAnswersSuccessSoTheStackDeletionGoesOn() throws Exception {
    Files.createDirectories(written().getParent());
    Files.write(written(), pem(1));
    JsonNode response = run("Delete", Map.of("FAKE_S3_ERROR", "AccessDenied on ListBucketVersions"),
        "s3://artifacts-b/certs/rds-global-bundle.pem");
    assertThat(response.path("Status").asText()).isEqualTo("SUCCESS");
    assertThat(response.path("Reason").asText()).contains("left in place").contains("AccessDenied");
    assertThat(written()).exists();
  }

  @Test
  void deleteOfAnObjectThisResourceDidNotWriteTouchesNothing() throws Exception {
    Files.createDirectories(written().getParent());
    Files.write(written(), pem(1));
    JsonNode response = run("Delete", Map.of(), "s3://artifacts-b/certs/old.pem");
    assertThat(response.path("Status").asText()).isEqualTo("SUCCESS");
    assertThat(response.path("PhysicalResourceId").asText()).isEqualTo("s3://artifacts-b/certs/old.pem");
    assertThat(written()).exists();
    assertThat(tmp.resolve("s3").resolve("deleted.txt")).doesNotExist();
    assertThat(downloads.get()).isZero();
  }

  private Path written() {
    return tmp.resolve("s3").resolve("artifacts-b").resolve("certs/rds-global-bundle.pem");
  }

  /** Runs the handler on one event; returns the one response CloudFormation received. */
  private JsonNode run(String requestType, Map<String, String> env) throws Exception {
    return run(requestType, env, requestType.equals("Create") ? null : "s3://artifacts-b/certs/rds-global-bundle.pem");
  }

  /** As above, with the physical id CloudFormation sends (none on Create). */
  private JsonNode run(String requestType, Map<String, String> env, String physicalId) throws Exception {
    Path code = tmp.resolve("code");
    Files.createDirectories(code);
    copy("lambda/rds_ca_bundle.py", code.resolve("rds_ca_bundle.py"));
    copy("fake-boto3/boto3.py", code.resolve("boto3.py"));
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("RequestType", requestType);
    event.put("ResponseURL", base + "/cfn-response?X-Amz-Signature=abc");
    event.put("StackId", "arn:aws:cloudformation:eu-west-1:111122223333:stack/Tributary-develop/1");
    event.put("RequestId", "req-" + requestType);
    event.put("LogicalResourceId", "RdsCaBundle");
    event.put("ResourceType", "Custom::RdsCaBundle");
    if (physicalId != null) {
      event.put("PhysicalResourceId", physicalId);
    }
    event.put("ResourceProperties", Map.of("ServiceToken", "arn:aws:lambda:eu-west-1:111122223333:function:f",
        "Url", base + "/global/global-bundle.pem", "Bucket", "artifacts-b", "Key", "certs/rds-global-bundle.pem"));
    Path eventFile = tmp.resolve("event.json");
    CdkTestSupport.JSON.writeValue(eventFile.toFile(), event);

    ProcessBuilder pb = new ProcessBuilder("python3", "-c",
        "import json, sys, rds_ca_bundle; rds_ca_bundle.handler(json.load(open(sys.argv[1])), None)",
        eventFile.toString())
        .directory(code.toFile()).redirectErrorStream(true);
    for (String proxy : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")) {
      pb.environment().remove(proxy);
    }
    pb.environment().put("no_proxy", "*");
    pb.environment().put("FAKE_S3_DIR", tmp.resolve("s3").toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(responses).as("one response to CloudFormation; output: " + output).hasSize(1);
    return responses.get(0);
  }

  /** A PEM bundle of {@code n} real CA certificates (from the JDK's trust store). */
  private static byte[] pem(int n) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
      store.load(in, null);
    }
    List<String> aliases = new ArrayList<>(Collections.list(store.aliases()));
    Collections.sort(aliases);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Certificate c = store.getCertificate(aliases.get(i));
      b.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static void copy(String resource, Path to) throws Exception {
    try (InputStream in = RdsCaBundleScriptTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
