package io.tributary.cdc.config;

import io.tributary.config.Secrets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Configuration fixtures of cdc-job's unit tests. */
public final class TestConfigs {
  /** Resolves no secret from anywhere: the tests' configurations carry none. */
  public static final Secrets NO_SECRETS = new Secrets(k -> null, Secrets.fixed(Collections.emptyMap()));

  private TestConfigs() {}

  /** The fewest options a valid configuration needs (a mutable copy). */
  public static Map<String, String> minimal() {
    Map<String, String> p = new HashMap<>();
    p.put("postgres.database", "shop");
    p.put("postgres.user", "cdc");
    p.put("lake.path", "s3a://lake/silver/");
    return p;
  }
}
