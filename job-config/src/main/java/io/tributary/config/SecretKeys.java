package io.tributary.config;

import java.util.List;

/**
 * The parameter keys a secret is read from (see {@link Secrets}): {@code <key>}, {@code
 * <key>.env}, {@code <key>.secret-id}, {@code <key>.secret-region} and {@code <key>.secret-field}.
 * Apart from {@link Secrets} so that code without the AWS SDK (deploy's and k8s's tests, which
 * check deployed keys) can name them.
 */
public final class SecretKeys {
  static final String SECRET_ID = ".secret-id";
  static final String SECRET_REGION = ".secret-region";
  static final String SECRET_FIELD = ".secret-field";
  static final String ENV = ".env";

  private SecretKeys() {}

  /** The key naming the environment variable that holds secret {@code key}: {@code <key>.env}. */
  public static String envKey(String key) {
    return key + ENV;
  }

  /** Every parameter key {@link Secrets#resolve} reads for the secret {@code key}: the key and its source keys. */
  public static List<String> keysRead(String key) {
    return List.of(key, key + ENV, key + SECRET_ID, key + SECRET_REGION, key + SECRET_FIELD);
  }
}
