package dev.cascade.audit;

import dev.cascade.events.Topics;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TopicHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every fact of the fact topics a zone's history is made of, read from each topic's first offset to its end with a
 * {@code read_committed} consumer without a group (service-support {@link TopicHistory}, as the services' restores
 * read theirs): nothing is committed and no service notices the reading. Progress and propagation reports are left
 * out (throw-away, kept an hour), and so are the content topics, which {@link VersionAudit} reads by offset.
 */
public final class EventLog {

  /**
   * The topics read, in the order of the pipeline; a fact's place in this list breaks ties between facts of the same
   * millisecond, so that a cause comes before what it caused.
   */
  static final List<String> TOPICS = List.of(Topics.ZONE_REGISTRY, Topics.KEYSET_COMMANDS, Topics.KEY_SETS,
      Topics.DS_SUBMISSIONS, Topics.UNSIGNED_VERSIONS, Topics.ZONE_REVIEWS, Topics.SIGNED_VERSIONS,
      Topics.PUBLISHED_VERSIONS);

  /**
   * How long the reading of one topic may wait for the broker: a topic of a busy zone's years is large, and the
   * audit is not in a hurry. No official reference.
   */
  static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  private final List<AuditEvent> events;
  private final Map<String, AuditEvent> byId = new HashMap<>();

  EventLog(List<AuditEvent> events) {
    this.events = events.stream()
        .sorted(Comparator.comparing(AuditEvent::occurredAt)
            .thenComparing(e -> TOPICS.indexOf(e.topic()))
            .thenComparing(AuditEvent::offset))
        .toList();
    this.events.forEach(e -> byId.putIfAbsent(e.eventId(), e));
  }

  /** Reads every fact topic whole from the brokers at {@code bootstrapServers}, decoding with the registry. */
  public static EventLog read(String bootstrapServers, String registryUrl) {
    Map<String, Object> config = KafkaSettings.historyConsumer(bootstrapServers, registryUrl);
    List<AuditEvent> events = new ArrayList<>();
    for (String topic : TOPICS) {
      for (ConsumerRecord<String, Object> record : TopicHistory.<Object>read(config, topic, READ_TIMEOUT)) {
        AuditEvent event = AuditEvent.of(record);
        if (event != null) {
          events.add(event);
        }
      }
    }
    return new EventLog(events);
  }

  /** Every fact, oldest first. */
  public List<AuditEvent> events() {
    return events;
  }

  /** The facts about {@code zone} (any spelling of its apex), oldest first. */
  public List<AuditEvent> zone(String zone) {
    String apex = ZoneApex.canonical(zone);
    return events.stream().filter(e -> e.zone().equals(apex)).toList();
  }

  /** Every zone the topics name, in the order each first appears. */
  public List<String> zones() {
    return events.stream().map(AuditEvent::zone).distinct().toList();
  }

  /** The fact with {@code eventId}, if the topics hold it. */
  public Optional<AuditEvent> byId(String eventId) {
    return Optional.ofNullable(eventId).map(byId::get);
  }

  /**
   * The chain of causes of {@code event}, nearest first: the event its causationId names, then that event's cause,
   * and so on up to an event with none (an operator's request) or whose cause is not a fact on these topics (a timer,
   * or an event on a topic the audit does not read). A cycle, which no writer makes, ends the chain.
   */
  public List<AuditEvent> causes(AuditEvent event) {
    List<AuditEvent> chain = new ArrayList<>();
    for (Optional<AuditEvent> cause = byId(event.causationId()); cause.isPresent();
        cause = byId(cause.get().causationId())) {
      AuditEvent found = cause.get();
      if (found == event || chain.stream().anyMatch(e -> Objects.equals(e.eventId(), found.eventId()))) {
        break;
      }
      chain.add(found);
    }
    return chain;
  }
}
