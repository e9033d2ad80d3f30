package io.tributary.deploy;

import java.util.List;

/**
 * The TLS of the cdc-job's PostgreSQL sessions in one environment's stack, from the settings
 * {@code postgres.sslmode} (default {@code verify-full}) and {@code postgres.sslrootcert} (default
 * empty). With a verifying mode and no bundle of its own the stack fetches the RDS CA bundle at
 * deploy time ({@link #fetchesRdsBundle()}); a bundle of one's own (a database outside RDS) is an
 * {@code s3://<bucket>/<key>} object, whose GetObject the application role is granted, or a
 * {@code classpath:} resource of the job jar. The cdc-job's own checks (CdcJobConfig) are repeated
 * here so a wrong combination fails at synth, not when the application starts.
 *
 * @param sslMode libpq's sslmode, lower case
 * @param sslRootCert the operator's bundle, or empty for the RDS bundle (verifying modes) or none
 */
public record PostgresTlsSetting(String sslMode, String sslRootCert) {

  /** The RDS CA bundle of every region (commercial partition), fetched by the stack at deploy time. */
  public static final String RDS_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";
  /** Where the stack writes the RDS CA bundle in its artifacts bucket. */
  public static final String RDS_BUNDLE_KEY = "certs/rds-global-bundle.pem";
  /** libpq's sslmode values, weakest first (CdcJobConfig.SSL_MODES). */
  public static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /**
   * Validates the two settings of environment {@code env}.
   *
   * @throws IllegalArgumentException saying which key to change and how
   */
  public static PostgresTlsSetting of(String env, String sslMode, String sslRootCert) {
    String mode = sslMode.trim();
    String rootCert = sslRootCert.trim();
    String modeKey = env + ".postgres.sslmode";
    String certKey = env + ".postgres.sslrootcert";
    if (!SSL_MODES.contains(mode)) {
      throw new IllegalArgumentException(modeKey + " must be one of " + SSL_MODES + ", was '" + sslMode
          + "' (production: verify-full, with the RDS CA bundle the stack fetches)");
    }
    boolean verifies = mode.startsWith("verify-");
    if (!rootCert.isEmpty() && !verifies) {
      throw new IllegalArgumentException(certKey + "=" + rootCert + " is only used with " + modeKey
          + "=verify-ca or verify-full, but the mode is " + mode + ": the certificate would not be checked");
    }
    if (!rootCert.isEmpty() && !rootCert.startsWith("classpath:") && s3Parts(rootCert) == null) {
      throw new IllegalArgumentException(certKey + "=" + rootCert + ": on Managed Flink the CA bundle must be "
          + "an S3 object, s3://<bucket>/<key> (the application role may s3:GetObject exactly that object), or a "
          + "resource of the job jar, classpath:<resource>; leave it empty for the RDS CA bundle the stack fetches");
    }
    return new PostgresTlsSetting(mode, rootCert);
  }

  /** A verifying mode without a bundle of the operator's: the stack fetches the RDS CA bundle. */
  public boolean fetchesRdsBundle() {
    return sslMode.startsWith("verify-") && sslRootCert.isEmpty();
  }

  /** Bucket and key of the operator's {@code s3://} (or {@code s3a://}) bundle, or null. */
  public String[] s3Object() {
    return s3Parts(sslRootCert);
  }

  private static String[] s3Parts(String location) {
    String rest;
    if (location.startsWith("s3://")) {
      rest = location.substring("s3://".length());
    } else if (location.startsWith("s3a://")) {
      rest = location.substring("s3a://".length());
    } else {
      return null;
    }
    int slash = rest.indexOf('/');
    if (slash < 1 || slash == rest.length() - 1 || rest.contains("*") || rest.endsWith("/")) {
      return null; // one object, never a prefix or a pattern
    }
    return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
  }
}
