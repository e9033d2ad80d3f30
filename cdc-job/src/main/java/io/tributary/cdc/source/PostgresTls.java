package io.tributary.cdc.source;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.config.CdcJobOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The TLS settings of the job's PostgreSQL sessions: the plain JDBC connections ({@link
 * ReplicationAdmin#connect}) and Debezium's replication and query connections ({@link
 * DebeziumSettings}) use the same {@code sslmode} and CA bundle. pgjdbc reads the bundle from a
 * local file, so a bundle given as {@code classpath:} or a Hadoop URI (e.g. {@code s3://}, read
 * through S3A like {@code s3a://}) is copied to {@code java.io.tmpdir} first, under a name derived from its content (so concurrent
 * tasks and restarts share one file and never see a partial one).
 */
final class PostgresTls {
  private PostgresTls() {}

  /** pgjdbc connection properties ({@code sslmode}, {@code sslrootcert}). */
  static Properties jdbcProperties(CdcJobConfig config) {
    Properties p = new Properties();
    p.setProperty("sslmode", config.sslMode());
    if (config.sslRootCert() != null) {
      p.setProperty("sslrootcert", localRootCert(config).toString());
    }
    return p;
  }

  /** Debezium connector properties ({@code database.sslmode}, {@code database.sslrootcert}). */
  static Map<String, String> debeziumProperties(CdcJobConfig config) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("database.sslmode", config.sslMode());
    if (config.sslRootCert() != null) {
      p.put("database.sslrootcert", localRootCert(config).toString());
    }
    return p;
  }

  /**
   * The CA bundle as a local file.
   *
   * @throws IllegalStateException naming the option when the bundle cannot be read
   */
  static Path localRootCert(CdcJobConfig config) {
    String location = config.sslRootCert();
    String key = CdcJobOptions.POSTGRES_SSLROOTCERT.key();
    try {
      if (location.startsWith("classpath:")) {
        String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
        try (InputStream in = PostgresTls.class.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            throw new IllegalStateException(key + "=" + location + ": no such resource in the job jar");
          }
          return materialize(in.readAllBytes());
        }
      }
      int colon = location.indexOf(':');
      boolean uri = colon > 1 && location.startsWith("//", colon + 1);
      if (uri && !location.startsWith("file:")) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(hadoopUri(location));
        try (InputStream in = path.getFileSystem(hadoopConfiguration(config)).open(path)) {
          return materialize(in.readAllBytes());
        }
      }
      Path file = location.startsWith("file:") ? Paths.get(java.net.URI.create(location)) : Paths.get(location);
      if (!Files.isReadable(file)) {
        throw new IllegalStateException(key + "=" + location + ": no readable file there");
      }
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(key + "=" + location + ": cannot read the CA bundle: " + e.getMessage(), e);
    }
  }

  /**
   * Hadoop has no file system for {@code s3://} (only S3A's {@code s3a://}); like the lake path
   * (DeltaSinkConfig), an {@code s3://} bundle is read through S3A.
   */
  static String hadoopUri(String location) {
    return location.startsWith("s3://") ? "s3a://" + location.substring("s3://".length()) : location;
  }

  private static org.apache.hadoop.conf.Configuration hadoopConfiguration(CdcJobConfig config) {
    // The sink's Hadoop configuration (hadoop.* options, S3 credential chain) reads the bundle too.
    return config.lakeSinkConfig().hadoopConfiguration();
  }

  private static Path materialize(byte[] pem) throws IOException {
    String name;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(pem);
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        hex.append(String.format("%02x", digest[i]));
      }
      name = "tributary-postgres-ca-" + hex + ".pem";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
    Path target = dir.resolve(name);
    if (Files.isReadable(target) && Files.size(target) == pem.length) {
      return target;
    }
    Path tmp = Files.createTempFile(dir, name, ".tmp");
    try {
      Files.write(tmp, pem);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }
}
