package io.tributary.cdc.source;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.config.TestConfigs;
import io.tributary.config.JobParameters;
import io.tributary.delta.testing.S3ProxyExtension;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A CA bundle in S3 (S3Proxy) named {@code s3://<bucket>/<key>}, as the Managed Flink stack and the
 * EMR steps pass it, is read through S3A with the job's {@code hadoop.*} options and copied to a
 * local file for pgjdbc; {@code s3a://} works the same, and a missing object fails naming the option.
 */
class PostgresTlsS3Test {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();


  @Test
  void anS3BundleIsCopiedToALocalFile() throws Exception {
    // Unique content: the local file is named after it, so earlier runs cannot satisfy the test.
    byte[] pem = ("-----BEGIN CERTIFICATE-----\n" + UUID.randomUUID() + "\n-----END CERTIFICATE-----\n")
        .getBytes(StandardCharsets.US_ASCII);
    String key = "certs/rds-global-bundle-" + UUID.randomUUID() + ".pem";
    org.apache.hadoop.fs.Path object = new org.apache.hadoop.fs.Path(S3.uri(key));
    try (FileSystem fs = FileSystem.newInstance(object.toUri(), S3.newHadoopConfiguration());
        OutputStream out = fs.create(object)) {
      out.write(pem);
    }

    for (String scheme : new String[] {"s3", "s3a"}) {
      CdcJobConfig config = config(scheme + "://" + S3.bucket() + "/" + key);
      Path local = PostgresTls.localRootCert(config);
      assertThat(local).as(scheme).isAbsolute();
      assertThat(Files.readAllBytes(local)).as(scheme).isEqualTo(pem);
      assertThat(PostgresTls.jdbcProperties(config)).containsEntry("sslmode", "verify-full")
          .containsEntry("sslrootcert", local.toString());
    }
  }

  @Test
  void aMissingObjectFailsNamingTheOption() {
    String location = "s3://" + S3.bucket() + "/certs/absent.pem";
    assertThatThrownBy(() -> PostgresTls.localRootCert(config(location)))
        .hasMessageContaining("postgres.sslrootcert=" + location + ": cannot read the CA bundle");
  }

  private static CdcJobConfig config(String rootCert) {
    Map<String, String> p = new HashMap<>();
    p.put("postgres.database", "shop");
    p.put("postgres.user", "cdc");
    p.put("postgres.password", "unused");
    p.put("postgres.sslmode", "verify-full");
    p.put("postgres.sslrootcert", rootCert);
    p.put("lake.path", S3.uri("silver"));
    S3.hadoopConf().forEach((k, v) -> p.put("hadoop." + k, v));
    return CdcJobConfig.from(JobParameters.of(p), TestConfigs.NO_SECRETS);
  }
}
