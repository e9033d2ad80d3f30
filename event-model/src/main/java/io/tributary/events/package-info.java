/**
 * Web-navigation event contract, version 1, shared by the Kinesis events job (parsing,
 * quarantine) and the producers (generation, including malformed payloads).
 *
 * <ul>
 *   <li>{@link io.tributary.events.WebEvent}: the immutable, always-valid value.</li>
 *   <li>{@link io.tributary.events.WebEventParser}: bytes to {@link io.tributary.events.ParseResult},
 *       never throws on bad input; rejections carry a stable {@link io.tributary.events.RejectReason}.</li>
 *   <li>{@link io.tributary.events.WebEventJson}: value to contract JSON (round trips with the parser).</li>
 *   <li>{@link io.tributary.events.SessionSimulator} and {@link io.tributary.events.MalformedPayloads}:
 *       deterministic generators of realistic valid events and of tagged bad payloads.</li>
 * </ul>
 *
 * <p>The contract itself is documented in the module README and in the JSON Schema resource
 * {@value io.tributary.events.WebEventContract#SCHEMA_RESOURCE}.
 */
package io.tributary.events;
