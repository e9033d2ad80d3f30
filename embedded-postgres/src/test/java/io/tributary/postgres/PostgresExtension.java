package io.tributary.postgres;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one {@link EmbeddedPostgres} (logical replication on) per test class.
 *
 * <pre>{@code @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();}</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

  private EmbeddedPostgres server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = EmbeddedPostgres.builder().build().start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  public EmbeddedPostgres server() {
    if (server == null) {
      throw new IllegalStateException("PostgreSQL is not running (register the extension as a static field)");
    }
    return server;
  }
}
