package io.tributary.cdc.source;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.config.CdcJobOptions;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;

/** Turns a TLS failure of a PostgreSQL connection into a message that says which option to check. */
final class TlsFailures {
  private TlsFailures() {}

  /**
   * @return {@code e} itself unless it was caused by TLS (certificate or handshake), else a new
   *     exception (same SQL state, {@code e} as cause) whose message names the settings to check
   */
  static SQLException explain(SQLException e, CdcJobConfig config) {
    Throwable tls = null;
    for (Throwable t = e; t != null && tls == null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof CertificateException) {
        tls = t;
      }
    }
    if (tls == null && e.getMessage() != null && e.getMessage().contains("could not be verified")) {
      tls = e; // pgjdbc's host name check (verify-full) fails without an SSL exception
    }
    if (tls == null) {
      return e;
    }
    String hint = config.sslMode().startsWith("verify-")
        ? "the server's certificate was rejected with " + CdcJobOptions.POSTGRES_SSLMODE.key() + "=" + config.sslMode()
            + ": check that " + CdcJobOptions.POSTGRES_SSLROOTCERT.key() + " (" + config.sslRootCert() + ") holds the CA "
            + "that signed it (for RDS: the RDS CA bundle of the instance's region)"
            + ("verify-full".equals(config.sslMode())
                ? " and that " + CdcJobOptions.POSTGRES_HOST.key() + " (" + config.host() + ") is a name in the certificate"
                : "")
        : "TLS with the server failed (" + CdcJobOptions.POSTGRES_SSLMODE.key() + "=" + config.sslMode() + ")";
    return new SQLException("PostgreSQL TLS failure at " + config.host() + ":" + config.port() + ": " + hint + " ("
        + tls.getClass().getSimpleName() + ": " + tls.getMessage() + ")", e.getSQLState(), e);
  }
}
