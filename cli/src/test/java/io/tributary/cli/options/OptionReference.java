package io.tributary.cli.options;

import io.tributary.cdc.config.CdcJobOptions;
import io.tributary.cdc.warehouse.WarehouseOptions;
import io.tributary.config.CheckpointOptions;
import io.tributary.config.LakeOptions;
import io.tributary.config.SecretKeys;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.eventsjob.EventsJobOptions;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * Generates docs/options.md, the reference of every option of both jobs (name, type, default,
 * description), from the option lists themselves. {@code OptionReferenceTest} fails when the
 * checked-in file differs; it rewrites the file when run with {@code -Dtributary.options.write=true}
 * ({@link #REGENERATE}).
 *
 * <p>Lives in cli's tests because cli is the module that sees both jobs and delta-sink.
 */
public final class OptionReference {

  /** The command that rewrites docs/options.md. */
  public static final String REGENERATE = "./mvnw -B -ntp -q -pl cli -am verify -Dtest=OptionReferenceTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dtributary.options.write=true";

  private OptionReference() {}

  /** Writes docs/options.md and docs/options.json under {@code args[0]} (default .., the repository from cli). */
  public static void main(String[] args) throws IOException {
    Path docs = Path.of(args.length > 0 ? args[0] : "..", "docs");
    Files.writeString(docs.resolve("options.md"), render(), StandardCharsets.UTF_8);
    Files.writeString(docs.resolve("options.json"), renderKeys(), StandardCharsets.UTF_8);
    Files.writeString(docs.resolveSibling(DEPLOY_CONSTANTS), renderDeployConstants(), StandardCharsets.UTF_8);
  }

  /** deploy's generated key constants, relative to the repository. */
  public static final String DEPLOY_CONSTANTS = "deploy/src/main/java/io/tributary/deploy/JobOptionKeys.java";

  /**
   * Java source of deploy's {@code JobOptionKeys}: a constant per key each job accepts (the keys of
   * {@link #renderKeys()}), so the CDK app and the EMR steps build the jobs' parameters from the
   * option lists without depending on the jobs.
   */
  public static String renderDeployConstants() {
    StringBuilder b = new StringBuilder()
        .append("package io.tributary.deploy;\n\n")
        .append("/**\n")
        .append(" * The keys each job accepts, generated from the jobs' option classes by cli's OptionReference (with\n")
        .append(" * docs/options.md and docs/options.json). Do not edit: OptionReferenceTest fails when this file is\n")
        .append(" * out of date; regenerate it with\n")
        .append(" * {@code ").append(REGENERATE).append("}.\n")
        .append(" * The CDK app and the EMR steps build the jobs' parameters from these constants: they cannot\n")
        .append(" * depend on the jobs (they build and run without Flink).\n")
        .append(" */\n")
        .append("public final class JobOptionKeys {\n")
        .append("  private JobOptionKeys() {}\n");
    constants(b, "Cdc", "cdc-job", cdcKeys());
    constants(b, "Events", "events-job", eventsKeys());
    return b.append("}\n").toString();
  }

  private static void constants(StringBuilder b, String name, String job, List<String> keys) {
    b.append("\n  /** Keys of the ").append(job).append(". */\n")
        .append("  public static final class ").append(name).append(" {\n")
        .append("    private ").append(name).append("() {}\n\n");
    keys.stream().sorted().distinct().forEach(k -> b.append("    public static final String ")
        .append(k.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'))
        .append(" = \"").append(k).append("\";\n"));
    b.append("  }\n");
  }

  /**
   * The keys each job accepts, machine-readable: its options, the checkpoint options, the sink
   * options as {@code sink.<key>} and its secret's source keys, and the prefixes it hands on
   * unchecked. deploy's and k8s's tests check the keys they deploy against it (they cannot depend
   * on the jobs: the CDK app and the manifests build without Flink).
   */
  public static String renderKeys() {
    return "{\n"
        + "  \"cdc-job\": " + job(cdcKeys(), List.of(LakeOptions.HADOOP_PREFIX, LakeOptions.TABLE_PROPERTY_PREFIX, "debezium.")) + ",\n"
        + "  \"events-job\": " + job(eventsKeys(), List.of(LakeOptions.HADOOP_PREFIX, EventsJobOptions.KINESIS_PROPERTY_PREFIX))
        + "\n}\n";
  }

  private static List<String> cdcKeys() {
    List<String> cdc = new ArrayList<>();
    CdcJobOptions.ALL.forEach(o -> cdc.add(o.key()));
    cdc.addAll(SecretKeys.keysRead(CdcJobOptions.POSTGRES_PASSWORD.key()).subList(1, 5));
    WarehouseOptions.ALL.forEach(o -> cdc.add(o.key()));
    cdc.addAll(SecretKeys.keysRead(WarehouseOptions.PASSWORD_KEY));
    addShared(cdc);
    return cdc;
  }

  private static List<String> eventsKeys() {
    List<String> events = new ArrayList<>();
    EventsJobOptions.ALL.forEach(o -> events.add(o.key()));
    events.addAll(SecretKeys.keysRead(EventsJobOptions.KINESIS_SECRET_ACCESS_KEY.key()).subList(1, 5));
    addShared(events);
    return events;
  }

  private static void addShared(List<String> keys) {
    CheckpointOptions.ALL.forEach(o -> keys.add(o.key()));
    DeltaSinkOptions.ALL.forEach(o -> keys.add(LakeOptions.SINK_PREFIX + o.key()));
  }

  private static String job(List<String> keys, List<String> passThrough) {
    return "{\n    \"keys\": " + array(keys) + ",\n    \"passThroughPrefixes\": " + array(passThrough) + "\n  }";
  }

  private static String array(List<String> values) {
    return values.stream().sorted().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
  }

  /** The whole document. */
  public static String render() {
    StringBuilder b = new StringBuilder();
    b.append("# Job options\n\n")
        .append("<!-- Generated from the option classes by cli's OptionReference, with options.json (the keys each job\n")
        .append("     accepts, which deploy's and k8s's tests check against); do not edit. Regenerate with:\n")
        .append("     ").append(REGENERATE).append(" -->\n\n")
        .append("Every option of both jobs, generated from the code (`CdcJobOptions`, `EventsJobOptions`,\n")
        .append("`CheckpointOptions`, `LakeOptions`, `DeltaSinkOptions`). Options come as `--key value` arguments,\n")
        .append("a `--config file.properties`, or Managed Flink property groups (group `tributary`: keys as is;\n")
        .append("any other group is the prefix of its keys). Durations are written like `30s`, `500 ms`, `10 min`,\n")
        .append("`2 h` (a bare number is milliseconds), sizes like `64mb`. Unknown keys in a job's namespaces are\n")
        .append("refused with the nearest option named; every problem is reported at once.\n\n");
    section(b, "cdc-job", "Besides these: `hadoop.<key>` (Hadoop/S3A settings), `table.property.<key>` (Delta table "
        + "properties set on creation), `debezium.<key>` (Debezium connector overrides), and the Delta sink options "
        + "below as `sink.<key>`. The password's sources: `postgres.password.secret-id`, `.secret-region`, "
        + "`.secret-field`, `.env`.", "", CdcJobOptions.ALL, CheckpointOptions.ALL);
    section(b, "cdc-job: warehouse sink (docs/warehouse.md)", "Off while `warehouse.tables` is empty. The password: "
        + "`warehouse.password` through the same sources (`.secret-id`, `.secret-region`, `.secret-field`, `.env`, the "
        + "literal) or the environment variable `WAREHOUSE_PASSWORD`.", "", WarehouseOptions.ALL);
    section(b, "events-job", "Besides these: `hadoop.<key>` (Hadoop/S3A settings), `kinesis.property.<key>` (raw "
        + "FlinkKinesisConsumer properties), and the Delta sink options below as `sink.<key>` (except `sink.table.path`, "
        + "`sink.sink.id` and `sink.partition.columns`, which the job sets). The secret key's sources: "
        + "`kinesis.secret-access-key.secret-id`, `.secret-region`, `.secret-field`, `.env`.",
        "", EventsJobOptions.ALL, CheckpointOptions.ALL);
    section(b, "Delta sink (both jobs)", "Written `sink.<key>` in a job's configuration (e.g. "
        + "`sink.parquet.compression`); the jobs set `table.path` and `sink.id` per table.",
        LakeOptions.SINK_PREFIX, DeltaSinkOptions.ALL);
    return b.toString();
  }

  @SafeVarargs
  private static void section(StringBuilder b, String title, String note, String prefix,
      List<ConfigOption<?>>... lists) {
    b.append("## ").append(title).append("\n\n").append(note).append("\n\n")
        .append("| key | type | default | description |\n| --- | --- | --- | --- |\n");
    for (List<ConfigOption<?>> list : lists) {
      for (ConfigOption<?> o : list) {
        b.append("| `").append(prefix).append(o.key()).append("` | ").append(type(o)).append(" | ")
            .append(defaultValue(o)).append(" | ").append(cell(description(o))).append(" |\n");
      }
    }
    b.append('\n');
  }

  static String type(ConfigOption<?> o) {
    Class<?> clazz = (Class<?>) invoke(o, "getClazz");
    String name = clazz.isEnum()
        ? "enum (" + Arrays.stream(clazz.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ")) + ")"
        : clazz.getSimpleName();
    return (Boolean) invoke(o, "isList") ? "list of " + name + " (`;`-separated)" : name;
  }

  /** Flink keeps an option's type package-private; the reference needs it. */
  private static Object invoke(ConfigOption<?> o, String method) {
    try {
      Method m = ConfigOption.class.getDeclaredMethod(method);
      m.setAccessible(true);
      return m.invoke(o);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("ConfigOption." + method + " not readable", e);
    }
  }

  @SuppressWarnings("unchecked")
  static String defaultValue(ConfigOption<?> o) {
    if (!o.hasDefaultValue()) {
      return "(none)";
    }
    if (o.defaultValue() instanceof java.util.Collection && ((java.util.Collection<?>) o.defaultValue()).isEmpty()) {
      return "(empty)";
    }
    // Written as a user writes it: the option's own string form.
    Configuration c = new Configuration();
    c.set((ConfigOption<Object>) o, o.defaultValue());
    String text = c.toMap().get(o.key());
    return text.isEmpty() ? "(empty)" : "`" + text + "`";
  }

  static String description(ConfigOption<?> o) {
    List<String> parts = new ArrayList<>();
    for (BlockElement block : o.description().getBlocks()) {
      parts.add(block instanceof TextElement ? ((TextElement) block).getFormat() : block.toString());
    }
    return String.join(" ", parts);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
