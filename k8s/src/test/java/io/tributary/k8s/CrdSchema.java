package io.tributary.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI v3 schema of the FlinkDeployment CRD as the Flink Kubernetes Operator ships it
 * (flink-kubernetes-operator-api, META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml: the
 * CRD in apiextensions.k8s.io/v1 form, version {@code v1beta1} of the resource; the jar's
 * {@code -v1beta1.yml} is the same CRD in the retired apiextensions.k8s.io/v1beta1 form),
 * made strict: every object schema that lists its properties rejects any other property (as the
 * API server's structural-schema pruning would silently drop them), unless it is marked
 * x-kubernetes-preserve-unknown-fields or declares additionalProperties itself.
 */
final class CrdSchema {

  static final String CRD_RESOURCE = "/META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";

  private final JsonSchema schema;
  private final int strictObjects;

  private CrdSchema(JsonSchema schema, int strictObjects) {
    this.schema = schema;
    this.strictObjects = strictObjects;
  }

  static CrdSchema flinkDeploymentV1beta1() {
    try (InputStream in = CrdSchema.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " is not on the classpath (flink-kubernetes-operator-api)");
      }
      JsonNode crd = Kustomize.YAML.readTree(in);
      JsonNode openApi = null;
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (v.path("name").asText().equals("v1beta1")) {
          openApi = v.path("schema").path("openAPIV3Schema");
        }
      }
      if (openApi == null || !openApi.isObject()) {
        throw new IllegalStateException("No v1beta1 openAPIV3Schema in " + CRD_RESOURCE);
      }
      ObjectNode strict = openApi.deepCopy();
      addObjectEnvelope(strict);
      int[] count = {0};
      tighten(strict, count);
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
      JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(strict, config);
      return new CrdSchema(schema, count[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Number of object schemas made strict (a sanity figure for tests). */
  int strictObjects() {
    return strictObjects;
  }

  Set<ValidationMessage> validate(JsonNode manifest) {
    return schema.validate(manifest);
  }

  /**
   * The API server validates apiVersion, kind and metadata itself, so the CRD's schema lists only
   * spec and status. Add them (metadata as the subset of ObjectMeta a manifest sets) so that the
   * whole document is checked strictly too.
   */
  private static void addObjectEnvelope(ObjectNode root) {
    ObjectNode props = (ObjectNode) root.get("properties");
    props.putObject("apiVersion").put("type", "string").put("const", "flink.apache.org/v1beta1");
    props.putObject("kind").put("type", "string").put("const", "FlinkDeployment");
    ObjectNode metadata = props.putObject("metadata");
    metadata.put("type", "object");
    metadata.putArray("required").add("name");
    ObjectNode m = metadata.putObject("properties");
    m.putObject("name").put("type", "string").put("pattern", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    m.putObject("namespace").put("type", "string");
    for (String map : List.of("labels", "annotations")) {
      m.putObject(map).put("type", "object").putObject("additionalProperties").put("type", "string");
    }
    root.putArray("required").add("apiVersion").add("kind").add("metadata").add("spec");
  }

  private static final List<String> KUBERNETES_EXTENSIONS = List.of(
      "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource",
      "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type");

  private static void tighten(JsonNode node, int[] count) {
    if (node.isArray()) {
      node.forEach(n -> tighten(n, count));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode o = (ObjectNode) node;
    boolean preserve = o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (o.path("x-kubernetes-int-or-string").asBoolean(false)) {
      // int-or-string has no "type"; accept both, as the API server does.
      o.remove("type");
      o.putArray("type").add("integer").add("string");
    }
    if (o.has("properties") && !o.has("additionalProperties") && !preserve) {
      o.put("additionalProperties", false);
      count[0]++;
    }
    KUBERNETES_EXTENSIONS.forEach(o::remove);
    if (o.path("nullable").asBoolean(false) && o.has("type") && o.get("type").isTextual()) {
      String type = o.get("type").asText();
      o.remove("nullable");
      o.putArray("type").add(type).add("null");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("properties")) {
        e.getValue().forEach(p -> tighten(p, count));
      } else {
        tighten(e.getValue(), count);
      }
    }
  }
}
