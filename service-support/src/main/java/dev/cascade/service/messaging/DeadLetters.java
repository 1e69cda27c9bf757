package dev.cascade.service.messaging;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.EventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sets a record aside: sends {@code EventDeadLettered} for it to the service's dead-letter topic
 * ({@link Topics#deadLetters}, channel {@code dead-letters}), keyed by the record's zone, so review-gateway shows it in
 * the zone's status. The record itself stays in its topic; the dead letter names where.
 */
@ApplicationScoped
public class DeadLetters {

  /**
   * Headers the Kafka connector adds to a record its deserializer failed on (SmallRye Reactive Messaging's
   * {@code FAILURE_REASON} and {@code _CAUSE}; that class is in the
   * connector, which services bring and this library does not).
   */
  private static final String FAILURE_REASON = "deserialization-failure-reason";
  private static final String FAILURE_CAUSE = "deserialization-failure-cause";

  private final Emitter<EventDeadLettered> emitter;
  private final String producer;
  private final Clock clock = Clock.systemUTC();

  @Inject
  public DeadLetters(
      @Channel("dead-letters") Emitter<EventDeadLettered> emitter,
      @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.emitter = emitter;
    this.producer = producer;
  }

  /** The service whose dead-letter topic this writes ({@code quarkus.application.name}). */
  String service() {
    return producer;
  }

  /**
   * Sends the dead letter for {@code record}.
   *
   * @param reason what went wrong, in the operator's words
   * @param attempts how often the handler ran (0: the record could not be decoded)
   * @return completes once Kafka has the dead letter, fails when it could not be written
   */
  public CompletionStage<Void> setAside(ConsumerRecord<String, ?> record, String reason, int attempts) {
    EventDeadLettered event = deadLetter(clock, producer, record, reason, attempts);
    CompletableFuture<Void> written = new CompletableFuture<>();
    emitter.send(
        Message.of(event)
            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.getZone()).build())
            .withAck(() -> {
              written.complete(null);
              return CompletableFuture.completedFuture(null);
            })
            .withNack(failure -> {
              written.completeExceptionally(failure);
              return CompletableFuture.completedFuture(null);
            }));
    return written;
  }

  /**
   * The dead letter for {@code record} as a record of the service's dead-letter topic, for a transaction that also
   * commits the offset past it ({@link EventHandling#exactlyOnce}).
   */
  ProducerRecord<String, Object> asRecord(ConsumerRecord<String, ?> record, String reason, int attempts) {
    EventDeadLettered event = deadLetter(clock, producer, record, reason, attempts);
    return new ProducerRecord<>(Topics.deadLetters(producer), event.getZone(), event);
  }

  /** The dead letter for {@code record}; its causationId is the record's own eventId when it could be decoded. */
  static EventDeadLettered deadLetter(
      Clock clock, String producer, ConsumerRecord<String, ?> record, String reason, int attempts) {
    Object value = record.value();
    return EventDeadLettered.newBuilder()
        .setMetadata(EventMetadataFactory.next(clock, producer, eventId(value)))
        .setZone(record.key() == null ? "" : record.key())
        .setTopic(record.topic())
        .setPartition(record.partition())
        .setOffset(record.offset())
        .setEventType(eventType(value))
        .setReason(reason)
        .setAttempts(attempts)
        .build();
  }

  /**
   * Why a record arrived without a value: the deserializer's failure, which the connector puts in the record's
   * headers when {@code fail-on-deserialization-failure=false}.
   */
  static String undecodable(ConsumerRecord<String, ?> record) {
    return "could not be decoded: "
        + header(record, FAILURE_REASON, "no value")
        + header(record, FAILURE_CAUSE, "").transform(
            cause -> cause.isEmpty() ? "" : " (" + cause + ")");
  }

  private static String header(ConsumerRecord<String, ?> record, String name, String absent) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? absent : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The Avro name of the event, or of the fact inside it where the event is a union envelope ({@code fact}). */
  private static String eventType(Object value) {
    if (!(value instanceof IndexedRecord event)) {
      return value == null ? null : value.getClass().getSimpleName();
    }
    Schema.Field fact = event.getSchema().getField("fact");
    if (fact != null && event.get(fact.pos()) instanceof GenericContainer inner) {
      return inner.getSchema().getName();
    }
    return event.getSchema().getName();
  }

  /** The eventId of an event's metadata; null for a value without one. */
  static String eventId(Object value) {
    if (value instanceof IndexedRecord event) {
      Schema.Field metadata = event.getSchema().getField("metadata");
      if (metadata != null && event.get(metadata.pos()) instanceof EventMetadata m) {
        return m.getEventId();
      }
    }
    return null;
  }
}
