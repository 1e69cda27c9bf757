package dev.cascade.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cascade.events.v1.EventMetadata;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The envelope fields of house-style §5: random UUID id, time from the given clock, producer and cause. */
class EventMetadataFactoryTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void nextHasARandomUuidTheClockTimeTheProducerAndTheCause() {
    EventMetadata first = EventMetadataFactory.next(CLOCK, "signer", "cause-1");
    EventMetadata second = EventMetadataFactory.next(CLOCK, "signer", "cause-1");

    assertEquals(first.getEventId(), UUID.fromString(first.getEventId()).toString());
    assertNotEquals(first.getEventId(), second.getEventId());
    assertEquals(NOW, first.getOccurredAt());
    assertEquals("signer", first.getProducer());
    assertEquals("cause-1", first.getCausationId());
  }

  @Test
  void ofKeepsTheGivenEventIdAndAllowsNoCause() {
    EventMetadata metadata = EventMetadataFactory.of("stored-id", CLOCK, "review-gateway", null);

    assertEquals("stored-id", metadata.getEventId());
    assertEquals(NOW, metadata.getOccurredAt());
    assertEquals("review-gateway", metadata.getProducer());
    assertNull(metadata.getCausationId());
  }
}
