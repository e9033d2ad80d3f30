package io.tributary.delta.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.tributary.delta.DeltaSinkConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.s3a.AWSCredentialProviderList;
import org.apache.hadoop.fs.s3a.auth.CredentialProviderListFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The credential providers S3A really builds from the sink's Hadoop configuration, and what they
 * resolve with nothing but the platform's usual settings (no network: STS is a local stub).
 */
class S3CredentialsTest {

  private final Map<String, String> savedProperties = new LinkedHashMap<>();

  private static Configuration sinkHadoopConf(Map<String, String> extra) {
    Map<String, String> options = new HashMap<>(extra);
    options.put("table.path", "s3a://lake/silver/orders");
    return DeltaSinkConfig.fromMap(options).hadoopConfiguration();
  }

  private static AWSCredentialProviderList providers(Configuration conf) throws IOException {
    return CredentialProviderListFactory.createAWSCredentialProviderList(URI.create("s3a://lake"), conf);
  }

  private static List<String> providerClasses(Configuration conf) throws IOException {
    try (AWSCredentialProviderList list = providers(conf)) {
      return list.getProviders().stream().map(p -> p.getClass().getName()).toList();
    }
  }

  private void setProperty(String key, String value) {
    savedProperties.putIfAbsent(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  @AfterEach
  void restoreProperties() {
    savedProperties.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
  }

  /** Also keeps every test off the network: no instance metadata service (169.254.169.254). */
  private void assumeNoAwsCredentialsInTheEnvironment() {
    setProperty("aws.disableEc2Metadata", "true");
    assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
        && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
        && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null,
        "AWS credentials in the environment would be found first");
  }

  @Test
  void theSinksChainIsConfigurationKeysThenTheSdkDefaultChain() throws Exception {
    assertThat(providerClasses(sinkHadoopConf(Map.of()))).containsExactly(
        "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        AwsDefaultChainCredentialsProvider.class.getName());
  }

  @Test
  void anExplicitProviderListWins() throws Exception {
    Configuration conf = sinkHadoopConf(Map.of("hadoop.fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"));
    assertThat(providerClasses(conf)).containsExactly("org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
  }

  @Test
  void keysInTheConfigurationComeFirst() throws Exception {
    Configuration conf = sinkHadoopConf(Map.of("hadoop.fs.s3a.access.key", "AKIDCONF",
        "hadoop.fs.s3a.secret.key", "not-a-secret"));
    try (AWSCredentialProviderList list = providers(conf)) {
      assertThat(list.resolveCredentials().accessKeyId()).isEqualTo("AKIDCONF");
    }
  }

  /** IRSA: a token file and a role ARN (what EKS injects), exchanged at STS for session credentials. */
  @Test
  void irsaWebIdentityIsExchangedForSessionCredentials(@TempDir Path dir) throws Exception {
    assumeNoAwsCredentialsInTheEnvironment();
    Path token = dir.resolve("token");
    Files.writeString(token, "eyJ.test-web-identity-token");
    AtomicReference<String> request = new AtomicReference<>();
    HttpServer sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sts.createContext("/", exchange -> {
      request.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = ("<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
          + "<AssumeRoleWithWebIdentityResult><Credentials>"
          + "<AccessKeyId>ASIAIRSATEST</AccessKeyId><SecretAccessKey>not-a-secret</SecretAccessKey>"
          + "<SessionToken>session-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
          + "</Credentials></AssumeRoleWithWebIdentityResult>"
          + "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/xml");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    sts.start();
    try {
      setProperty("aws.webIdentityTokenFile", token.toString());
      setProperty("aws.roleArn", "arn:aws:iam::111122223333:role/tributary-flink-develop");
      setProperty("aws.roleSessionName", "tributary-test");
      setProperty("aws.region", "eu-west-1");
      setProperty("aws.endpointUrlSts", "http://127.0.0.1:" + sts.getAddress().getPort());
      setProperty("aws.sharedCredentialsFile", dir.resolve("no-profiles").toString());
      setProperty("aws.configFile", dir.resolve("no-config").toString());
      try (AWSCredentialProviderList list = providers(sinkHadoopConf(Map.of()))) {
        AwsCredentials credentials = list.resolveCredentials();
        assertThat(credentials.accessKeyId()).isEqualTo("ASIAIRSATEST");
        assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
      }
      assertThat(request.get()).contains("Action=AssumeRoleWithWebIdentity")
          .contains("WebIdentityToken=eyJ.test-web-identity-token");
    } finally {
      sts.stop(0);
    }
  }

  /** Local runs: a profile, found although web identity is not configured (the chain moves on). */
  @Test
  void credentialsOfASharedProfileFileAreFoundWithoutAnyFlag(@TempDir Path dir) throws Exception {
    assumeNoAwsCredentialsInTheEnvironment();
    Path file = dir.resolve("credentials");
    Files.writeString(file, "[default]\naws_access_key_id = AKIDPROFILETEST\naws_secret_access_key = not-a-secret\n");
    setProperty("aws.sharedCredentialsFile", file.toString());
    setProperty("aws.configFile", dir.resolve("no-config").toString());
    try (AWSCredentialProviderList list = providers(sinkHadoopConf(Map.of()))) {
      assertThat(list.resolveCredentials().accessKeyId()).isEqualTo("AKIDPROFILETEST");
    }
  }
}
