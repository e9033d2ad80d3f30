package io.tributary.eventsjob;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters of the operator that parses and routes records ({@link RouteEvents}, or {@link
 * DeduplicateEvents} when the job deduplicates): {@value RouteEvents#ACCEPTED}, {@value
 * RouteEvents#QUARANTINED} (also in the {@value RouteEvents#MANAGED_FLINK_GROUP} group) and per
 * reason {@code reason.<REASON>.quarantinedRecords}. One instance per operator instance.
 */
final class RoutingCounters {
  private final MetricGroup metrics;
  private final Counter accepted;
  private final Counter quarantined;
  private final Map<String, Counter> byReason = new HashMap<>();

  RoutingCounters(MetricGroup metrics) {
    this.metrics = metrics;
    accepted = metrics.counter(RouteEvents.ACCEPTED);
    quarantined = metrics.counter(RouteEvents.QUARANTINED);
    // Managed Flink forwards a job's own metrics to CloudWatch only from this group; the deploy
    // stack's quarantine alarm reads it there. Same counter object: counted once.
    metrics.addGroup(RouteEvents.MANAGED_FLINK_GROUP).counter(RouteEvents.QUARANTINED, quarantined);
  }

  /** Counts what {@code mapped} is: an accepted event or a record quarantined for its reason. */
  void count(MappedRecord mapped) {
    if (mapped.isEvent()) {
      accepted.inc();
    } else {
      quarantined.inc();
      byReason
          .computeIfAbsent(mapped.quarantineReason(), r -> metrics.addGroup("reason", r).counter(RouteEvents.QUARANTINED))
          .inc();
    }
  }
}
