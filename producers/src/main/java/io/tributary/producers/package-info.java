/**
 * The {@code produce} command and its in-process API: realistic orders into PostgreSQL ({@link
 * io.tributary.producers.OrdersProducer}) and realistic web events into Kinesis ({@link
 * io.tributary.producers.EventsProducer}).
 *
 * <p>Layers: generation is pure and seeded ({@link io.tributary.producers.OrderGenerator}, {@link
 * io.tributary.producers.EventGenerator}); I/O lives in the producers; command-line parsing lives
 * in {@link io.tributary.producers.ProduceCommand} and its subcommands.
 */
package io.tributary.producers;
