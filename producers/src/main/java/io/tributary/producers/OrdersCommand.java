package io.tributary.producers;

import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.JobParameters;
import io.tributary.config.Secret;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code produce orders}: parses options into an {@link OrdersConfig} and runs an {@link OrdersProducer}. */
@Command(name = "orders", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = {
      "Inserts, updates and deletes realistic orders in a PostgreSQL table (the CDC source), in transactions,"
          + " at a steady rate. Creates the table if absent (REPLICA IDENTITY FULL). Reconnects with backoff"
          + " when the database restarts, never applying a transaction twice.",
      "--count counts operations (rows inserted, updated or deleted).",
      ""},
    footer = {"",
      "Examples:",
      "  Local PostgreSQL (trust authentication):",
      "    produce orders --jdbc-url jdbc:postgresql://127.0.0.1:5432/shop \\",
      "      --rate 5/s --duration 10m",
      "  Amazon RDS (password from Secrets Manager, TLS):",
      "    produce orders --jdbc-url jdbc:postgresql://shop.example.rds:5432/shop \\",
      "      --user producer --password-secret-id prod/shop-db \\",
      "      --jdbc-property sslmode=verify-full \\",
      "      --jdbc-property sslrootcert=/etc/ssl/rds-ca.pem"})
final class OrdersCommand implements Callable<Integer> {

  @ParentCommand
  ProduceCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--jdbc-url", required = true, paramLabel = "URL",
      description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://host:5432/shop.")
  String jdbcUrl;

  @Option(names = "--user", paramLabel = "NAME", defaultValue = "${env:PGUSER:-postgres}",
      description = "Database user. Default: $PGUSER, else postgres.")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "Read the password from this environment variable. Without any --password-* option: $PGPASSWORD if set, else no password.")
  String passwordEnv;

  @Option(names = "--password-secret-id", paramLabel = "ID",
      description = "Read the password from this AWS Secrets Manager secret (name or ARN; default credential chain). A JSON secret (as RDS creates) yields its 'password' field.")
  String passwordSecretId;

  @Option(names = "--password-secret-region", paramLabel = "REGION",
      description = "Region of the secret. Default: the default region chain.")
  String passwordSecretRegion;

  @Option(names = "--password-secret-field", paramLabel = "FIELD",
      description = "Field of a JSON secret holding the password. Default: password.")
  String passwordSecretField;

  @Option(names = "--jdbc-property", paramLabel = "KEY=VALUE",
      description = "Extra JDBC driver property, repeatable, e.g. sslmode=verify-full, sslrootcert=/path/rds-ca.pem.")
  Map<String, String> jdbcProperties = new LinkedHashMap<>();

  @Option(names = "--table", paramLabel = "NAME", defaultValue = "orders",
      description = "Table, optionally schema-qualified. Default: ${DEFAULT-VALUE}.")
  String table;

  @Option(names = "--no-create",
      description = "Do not create the table or its indexes; fail if it is absent. (The small marker table tributary_producer_progress is still created if absent.)")
  boolean noCreate;

  @Option(names = "--producer-id", paramLabel = "ID",
      description = "Key of this producer's row in tributary_producer_progress. Default: orders-producer:<table>. Producers writing at the same time need different ids.")
  String producerId;

  @Option(names = "--rate", paramLabel = "RATE", defaultValue = "5/s",
      description = "Operations per second: N/s, N/min, N/h or max. Default: ${DEFAULT-VALUE}.")
  Rate rate;

  @Option(names = "--mix", paramLabel = "I,U,D", defaultValue = "60,30,10",
      description = "Relative weights of inserts, updates (status pending->paid->shipped->delivered, quantity changes) and deletes (cancellations). Default: ${DEFAULT-VALUE}.")
  OrderMix mix;

  @Option(names = {"--transaction-size", "--txn-size"}, paramLabel = "N", defaultValue = "1",
      description = "Operations per transaction. Default: ${DEFAULT-VALUE}.")
  int transactionSize;

  @Option(names = "--tracked-orders", paramLabel = "N", defaultValue = "10000",
      description = "How many of the newest open orders updates and deletes choose from. Default: ${DEFAULT-VALUE}.")
  int trackedOrders;

  @Option(names = "--reconnect-timeout", paramLabel = "DURATION", defaultValue = "2m",
      description = "Give up when the database stays unreachable this long. Default: ${DEFAULT-VALUE}.")
  Duration reconnectTimeout;

  @Mixin
  RunOptions run;

  /** Where the password came from (e.g. {@code env PGPASSWORD}), for the header; never the value. */
  private String passwordOrigin;

  @Override
  public Integer call() {
    OrdersConfig config;
    try {
      OrdersConfig.Builder b = OrdersConfig.builder()
          .jdbcUrl(jdbcUrl)
          .user(user)
          .password(password().map(Secret::reveal).orElse(null))
          .jdbcProperties(jdbcProperties)
          .table(table)
          .createSchema(!noCreate)
          .producerId(producerId)
          .rate(rate)
          .mix(mix)
          .transactionSize(transactionSize)
          .maxTrackedOrders(trackedOrders)
          .reconnectTimeout(reconnectTimeout)
          .count(run.count)
          .duration(run.duration);
      if (run.seed != null) {
        b.seed(run.seed);
      }
      config = b.build();
    } catch (InvalidConfigurationException e) {
      // Secrets speaks in parameter keys (password.env); the user typed options.
      throw new ParameterException(spec.commandLine(), e.getMessage().replace("password.env", "--password-env")
          .replace("password.secret-field", "--password-secret-field"));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (IllegalStateException e) {
      // The secret store failed (message names the secret, never the value).
      parent.err.println(spec.qualifiedName() + ": error: " + EventsProducer.shortenAwsMessage(OrdersProducer.message(e)));
      return ProduceCommand.EXIT_FAILURE;
    }
    String header = OrdersConfig.redactUrl(config.jdbcUrl()) + " table " + config.table()
        + (config.user() == null ? "" : ", user " + config.user())
        + (config.password() == null ? "" : ", password from " + passwordOrigin)
        + ", rate " + config.rate() + ", " + config.mix() + ", " + config.transactionSize() + " op(s)/transaction"
        + ", " + config.limits() + ", seed " + config.seed();
    return ProducerRunner.run(parent, run, spec.qualifiedName(), header, notices -> new OrdersProducer(config, notices));
  }

  private Optional<Secret> password() {
    Map<String, String> params = new LinkedHashMap<>();
    putIf(params, "password.env", passwordEnv);
    putIf(params, "password.secret-id", passwordSecretId);
    putIf(params, "password.secret-region", passwordSecretRegion);
    putIf(params, "password.secret-field", passwordSecretField);
    Optional<Secret> secret = parent.secrets.resolve(JobParameters.of(params), "password", "PGPASSWORD");
    passwordOrigin = secret.map(Secret::origin).orElse(null);
    return secret;
  }

  private static void putIf(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

}
