package io.tributary.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The subset of kustomize these manifests use, for tests: {@code resources} (files or
 * directories with a kustomization.yaml), {@code patches} with {@code path} (strategic-merge style:
 * matched by apiVersion, kind and name; maps merge recursively, lists and scalars replace) and
 * {@code namespace}. Anything else in a kustomization fails, so the renderer cannot silently
 * ignore a feature a manifest starts to use.
 */
final class Kustomize {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Kustomize() {}

  static List<ObjectNode> render(Path dir) throws IOException {
    JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    Iterator<String> fields = k.fieldNames();
    while (fields.hasNext()) {
      String f = fields.next();
      if (!List.of("apiVersion", "kind", "resources", "patches", "namespace").contains(f)) {
        throw new IllegalArgumentException(dir + "/kustomization.yaml: unsupported field " + f);
      }
    }
    List<ObjectNode> result = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        result.addAll(render(p));
      } else {
        result.addAll(readAll(p));
      }
    }
    for (JsonNode patchRef : k.path("patches")) {
      if (!patchRef.has("path") || patchRef.size() != 1) {
        throw new IllegalArgumentException(dir + ": only `- path: <file>` patches are supported");
      }
      for (ObjectNode patch : readAll(dir.resolve(patchRef.get("path").asText()))) {
        ObjectNode target = result.stream().filter(m -> sameObject(m, patch)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException(dir + ": patch " + patchRef.get("path").asText()
                + " matches no resource (" + id(patch) + ")"));
        merge(target, patch);
      }
    }
    if (k.has("namespace")) {
      String namespace = k.get("namespace").asText();
      result.forEach(m -> ((ObjectNode) m.get("metadata")).put("namespace", namespace));
      // Like kustomize: service-account subjects of role bindings move to the namespace too.
      result.stream().filter(m -> m.path("kind").asText().equals("RoleBinding"))
          .flatMap(m -> Kustomize.elements(m.path("subjects")).stream())
          .filter(s -> s.path("kind").asText().equals("ServiceAccount"))
          .forEach(s -> ((ObjectNode) s).put("namespace", namespace));
    }
    return result;
  }

  static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> result = new ArrayList<>();
    array.forEach(result::add);
    return result;
  }

  static List<ObjectNode> readAll(Path file) throws IOException {
    List<ObjectNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          docs.add((ObjectNode) doc);
        }
      }
    }
    return docs;
  }

  static String id(JsonNode m) {
    return m.path("apiVersion").asText() + "/" + m.path("kind").asText() + "/" + m.path("metadata").path("name").asText();
  }

  private static boolean sameObject(JsonNode a, JsonNode b) {
    return id(a).equals(id(b));
  }

  /** Maps merge recursively; everything else (lists, scalars) replaces. */
  static void merge(ObjectNode target, JsonNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }
}
