package io.tributary.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Resolves a secret parameter, for example the database password {@code postgres.password}, from
 * (first match wins):
 *
 * <ol>
 *   <li>{@code <key>.secret-id}: an AWS Secrets Manager secret (name or ARN), read with the default
 *       AWS credential chain, in {@code <key>.secret-region} or the default region. A JSON secret
 *       (as RDS creates them) yields its field {@code <key>.secret-field} (default
 *       {@code password}); any other secret is used whole.
 *   <li>{@code <key>.env}: the name of an environment variable holding it.
 *   <li>{@code <key>}: the value itself, for local use only (it sits in plain text in a file or
 *       a process list).
 *   <li>The environment variable {@code defaultEnv}, when given.
 * </ol>
 */
public final class Secrets {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<String, String> environment;
  private final SecretStore store;

  /** Reads the process environment and AWS Secrets Manager. */
  public Secrets() {
    this(System::getenv, Secrets::fromSecretsManager);
  }

  /** For tests: a given environment and secret store. */
  public Secrets(Function<String, String> environment, SecretStore store) {
    this.environment = environment;
    this.store = store;
  }

  /** Reads a secret's string by id from a store such as AWS Secrets Manager. */
  @FunctionalInterface
  public interface SecretStore {
    /**
     * @param region the region to use, or null for the default provider chain
     * @throws IllegalStateException when the secret cannot be read (message without the value)
     */
    String read(String secretId, String region);
  }

  private static final String SECRET_ID = SecretKeys.SECRET_ID;
  private static final String SECRET_REGION = SecretKeys.SECRET_REGION;
  private static final String SECRET_FIELD = SecretKeys.SECRET_FIELD;
  private static final String ENV = SecretKeys.ENV;

  /** See {@link SecretKeys#envKey}. */
  public static String envKey(String key) {
    return SecretKeys.envKey(key);
  }

  /** See {@link SecretKeys#keysRead}. */
  public static List<String> keysRead(String key) {
    return SecretKeys.keysRead(key);
  }

  /** The secret named by {@code key}, or empty when none of the sources is set. */
  public Optional<Secret> resolve(JobParameters params, String key, String defaultEnv) {
    String secretId = params.raw(key + SECRET_ID);
    if (secretId != null && !secretId.isBlank()) {
      String raw = store.read(secretId, params.raw(key + SECRET_REGION));
      String field = Optional.ofNullable(params.raw(key + SECRET_FIELD)).orElse("password");
      return Optional.of(new Secret(extract(raw, field, secretId), "secret " + secretId));
    }
    String envName = params.raw(key + ENV);
    if (envName != null && !envName.isBlank()) {
      String value = environment.apply(envName);
      if (value == null) {
        throw new InvalidConfigurationException(
            key + ".env names the environment variable " + envName + ", which is not set");
      }
      return Optional.of(new Secret(value, "env " + envName));
    }
    if (params.raw(key) != null) {
      return Optional.of(new Secret(params.raw(key), "parameter " + key));
    }
    if (defaultEnv != null && environment.apply(defaultEnv) != null) {
      return Optional.of(new Secret(environment.apply(defaultEnv), "env " + defaultEnv));
    }
    return Optional.empty();
  }

  /** Field {@code field} of a JSON object secret, else the whole secret string. */
  static String extract(String raw, String field, String secretId) {
    String trimmed = raw.trim();
    if (!trimmed.startsWith("{")) {
      return raw;
    }
    try {
      JsonNode node = JSON.readTree(trimmed).get(field);
      if (node == null || !node.isValueNode()) {
        throw new InvalidConfigurationException(
            "Secret " + secretId + " is a JSON object without the field '" + field + "'");
      }
      return node.asText();
    } catch (IOException e) {
      // Not JSON after all: a password that starts with '{'.
      return raw;
    }
  }

  /** Reads {@code secretId} from AWS Secrets Manager. */
  public static String fromSecretsManager(String secretId, String region) {
    SecretsManagerClientBuilder builder =
        SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    if (region != null && !region.isBlank()) {
      builder.region(Region.of(region));
    }
    try (SecretsManagerClient client = builder.build()) {
      GetSecretValueResponse response = client.getSecretValue(r -> r.secretId(secretId));
      if (response.secretString() == null) {
        throw new IllegalStateException("Secret " + secretId + " has no string value (binary secrets are not supported)");
      }
      return response.secretString();
    } catch (SdkException e) {
      // The SDK's message names the secret and the cause, never the value.
      throw new IllegalStateException("Cannot read secret " + secretId + " from AWS Secrets Manager: " + e.getMessage(), e);
    }
  }

  /** A store holding fixed secrets, for tests and local runs. */
  public static SecretStore fixed(Map<String, String> secrets) {
    return (id, region) -> {
      String value = secrets.get(id);
      if (value == null) {
        throw new IllegalStateException("Secret " + id + " not found");
      }
      return value;
    };
  }
}
