package dev.cascade.events;

import dev.cascade.events.v1.EventMetadata;
import java.time.Clock;
import java.util.UUID;

/**
 * Builds the {@link EventMetadata} envelope every event carries (house-style §5): a random UUID event id that consumers
 * dedupe on, the time from the caller's clock, the writing service and the event id of the cause.
 */
public final class EventMetadataFactory {

  private EventMetadataFactory() {}

  /**
   * The envelope of a new event with a fresh random UUID as its id.
   *
   * @param producer {@code quarkus.application.name} of the writing service
   * @param causationId event id of the event that caused this one, or null for an operator action
   */
  public static EventMetadata next(Clock clock, String producer, String causationId) {
    return of(UUID.randomUUID().toString(), clock, producer, causationId);
  }

  /**
   * The envelope with an event id fixed before sending, for writers that may send the same event again and keep the id
   * consumers dedupe on: review-gateway relays review decisions from its outbox under the id stored there, the
   * publisher derives each announcement's id from the event it answers.
   */
  public static EventMetadata of(String eventId, Clock clock, String producer, String causationId) {
    return EventMetadata.newBuilder()
        .setEventId(eventId)
        .setOccurredAt(clock.instant())
        .setProducer(producer)
        .setCausationId(causationId)
        .build();
  }
}
