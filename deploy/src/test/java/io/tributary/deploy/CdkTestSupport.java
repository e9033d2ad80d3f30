package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** One synthesized app for a test class, with placeholder jars when the real ones are absent. */
final class CdkTestSupport {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Path TARGET = Path.of(System.getProperty("tributary.repo.root", ".."), "deploy", "target");

  private CdkTestSupport() {}

  /** The jar named by the system property when it exists (not set by the build), else a small placeholder in target/. */
  static String jar(String property, String placeholderName) {
    String configured = System.getProperty(property);
    if (configured != null && Files.isRegularFile(Path.of(configured))) {
      return configured;
    }
    try {
      Path dir = Files.createDirectories(TARGET.resolve("test-jars"));
      Path jar = dir.resolve(placeholderName);
      // Content differs per job so the two assets get different hashes.
      Files.writeString(jar, "placeholder for " + placeholderName + "\n");
      return jar.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> context(Map<String, Object> extra) {
    Map<String, Object> context = new HashMap<>();
    context.put("eventsJar", jar("tributary.events.jar", "events-job-placeholder.jar"));
    context.put("cdcJar", jar("tributary.cdc.jar", "cdc-job-placeholder.jar"));
    context.putAll(extra);
    return context;
  }

  static App app(Map<String, Object> extraContext, String outName) {
    return TributaryApp.create(context(extraContext), TARGET.resolve(outName).toString());
  }

  static JsonNode json(Template template) {
    return JSON.valueToTree(template.toJSON());
  }

  /** The resources of {@code type}: logical id to resource. */
  static Map<String, JsonNode> resources(JsonNode template, String type) {
    Map<String, JsonNode> result = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().path("Type").asText().equals(type)) {
        result.put(e.getKey(), e.getValue());
      }
    }
    return result;
  }

  static List<JsonNode> list(JsonNode node) {
    List<JsonNode> result = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(result::add);
    } else if (!node.isMissingNode() && !node.isNull()) {
      result.add(node);
    }
    return result;
  }

  /** An IAM resource as text: literals kept, intrinsic references as {@code <Ref:Id>}. */
  static String render(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.has("Fn::Join")) {
      StringBuilder b = new StringBuilder();
      value.get("Fn::Join").get(1).forEach(part -> b.append(render(part)));
      return b.toString();
    }
    if (value.has("Ref")) {
      return "<Ref:" + value.get("Ref").asText() + ">";
    }
    if (value.has("Fn::GetAtt")) {
      return "<GetAtt:" + value.get("Fn::GetAtt").get(0).asText() + "." + value.get("Fn::GetAtt").get(1).asText() + ">";
    }
    if (value.has("Fn::ImportValue") || value.has("Fn::Sub") || value.has("Fn::Select")) {
      return "<" + value + ">";
    }
    return value.toString();
  }
}
