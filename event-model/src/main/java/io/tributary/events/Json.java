package io.tributary.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson configuration of the contract (thread-safe once built): strict duplicate-key
 * detection, no trailing tokens, floats kept as exact {@link java.math.BigDecimal}s (so
 * {@code 19.90} stays {@code 19.90}), and no source excerpts in error locations. JSON stored as
 * text goes through {@link #compactObject}, which keeps every number as written.
 */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private Json() {}

  /** Compact JSON text of a tree (no insignificant whitespace, keys in their original order). */
  static String compact(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The compact text of {@code json}, which must be a single JSON object: numbers exactly as
   * written, as the parser stores {@code properties} and extra fields.
   *
   * @throws IllegalArgumentException if it is not a single well-formed JSON object, or a string in
   *     it holds an unpaired surrogate
   */
  static String compactObject(String json, String what) {
    parseObject(json, what); // the checks and messages of the tree
    StringBuilder out = new StringBuilder(json.length());
    try (JsonParser p = MAPPER.getFactory().createParser(json)) {
      if (CompactJson.copy(p, p.nextToken(), out, true)) {
        throw new IllegalArgumentException(what + ": a string holds an unpaired surrogate, which is not a Unicode character");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Parses {@code json} that must be a JSON object and returns its compact form.
   *
   * @throws IllegalArgumentException if it is not a single well-formed JSON object
   */
  static ObjectNode parseObject(String json, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + ": not well-formed JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + ": must be a JSON object");
    }
    return (ObjectNode) node;
  }
}
