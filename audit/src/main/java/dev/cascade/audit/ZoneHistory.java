package dev.cascade.audit;

import java.util.List;

/**
 * A zone's whole history as the topics tell it: every fact about the zone (each version loaded, signed and
 * published, each review decision with its reviewer, each key set and keyset command, each DS submission, each
 * failure), oldest first, each with the chain of events that caused it.
 *
 * @param zone the zone apex
 * @param entries its facts, oldest first
 */
public record ZoneHistory(String zone, List<Entry> entries) {

  /**
   * One fact and its causes.
   *
   * @param event the fact
   * @param causes the event its causationId names, that event's cause, and so on ({@link EventLog#causes})
   */
  public record Entry(AuditEvent event, List<AuditEvent> causes) {}

  /** The history of {@code zone} in {@code log}; empty entries when the topics hold no fact about it. */
  public static ZoneHistory of(EventLog log, String zone) {
    List<AuditEvent> events = log.zone(zone);
    String apex = events.isEmpty() ? zone : events.get(0).zone();
    return new ZoneHistory(apex, events.stream().map(e -> new Entry(e, log.causes(e))).toList());
  }
}
