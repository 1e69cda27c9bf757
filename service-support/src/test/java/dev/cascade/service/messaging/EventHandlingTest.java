package dev.cascade.service.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class EventHandlingTest {

  private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(4));

  private final RecordingEmitter emitter = new RecordingEmitter();
  private final EventHandling handling = new EventHandling(new DeadLetters(emitter, "signer"), QUICK, null,
      OpenTelemetry.noop().getTracer("test"));

  @Test
  void aHandlerThatFailsTwiceIsRunAgainAndTheRecordAcknowledged() {
    AtomicInteger runs = new AtomicInteger();
    Tracked message = message(record(removed("e-1")));
    handling.blocking(message.message, () -> {
      if (runs.incrementAndGet() < 3) {
        throw new IllegalStateException("database not reachable");
      }
    });
    assertEquals(3, runs.get());
    assertEquals("ack", message.outcome.get());
    assertTrue(emitter.sent.isEmpty(), "nothing set aside: " + emitter.sent);
  }

  @Test
  void aHandlerThatKeepsFailingHasItsRecordSetAsideAndAcknowledged() {
    AtomicInteger runs = new AtomicInteger();
    Tracked message = message(record(removed("e-2")));
    handling.blocking(message.message, () -> {
      runs.incrementAndGet();
      throw new IllegalStateException("cannot record the approval",
          new SQLTransientConnectionException("connection refused"));
    });
    assertEquals(3, runs.get(), "the policy's three attempts");
    assertEquals("ack", message.outcome.get(), "the channel moves on");
    EventDeadLettered letter = emitter.sent.get(0);
    assertEquals("example.test.", letter.getZone());
    assertEquals("cascade.zone-registry.v1", letter.getTopic());
    assertEquals(2, letter.getPartition());
    assertEquals(41L, letter.getOffset());
    assertEquals("ZoneRemoved", letter.getEventType());
    assertEquals("e-2", letter.getMetadata().getCausationId());
    assertEquals("signer", letter.getMetadata().getProducer());
    assertEquals(3, letter.getAttempts());
    assertEquals("IllegalStateException: cannot record the approval"
        + " (caused by SQLTransientConnectionException: connection refused)", letter.getReason());
  }

  @Test
  void aRefusedEventIsSetAsideAtOnceWithTheRefusalAsReason() {
    AtomicInteger runs = new AtomicInteger();
    Tracked message = message(record(removed("e-5")));
    handling.blocking(message.message, () -> {
      runs.incrementAndGet();
      throw new EventRefusedException("the zsk roll waits for cache-expired1, not roll-done", null);
    });
    assertEquals(1, runs.get(), "not tried again: it would be refused again");
    assertEquals("ack", message.outcome.get());
    EventDeadLettered letter = emitter.sent.get(0);
    assertEquals(1, letter.getAttempts());
    assertEquals("the zsk roll waits for cache-expired1, not roll-done", letter.getReason());
  }

  @Test
  void anUndecodableRecordIsSetAsideWithTheDeserializersReasonWithoutRunningTheHandler() {
    ConsumerRecord<String, Object> record = record(null);
    record.headers().add("deserialization-failure-reason", "unknown magic byte".getBytes(StandardCharsets.UTF_8));
    Tracked message = message(record);
    handling.blocking(message.message, () -> {
      throw new AssertionError("a handler never sees an undecodable record");
    });
    assertEquals("ack", message.outcome.get());
    EventDeadLettered letter = emitter.sent.get(0);
    assertEquals(0, letter.getAttempts());
    assertNull(letter.getEventType());
    assertEquals("could not be decoded: unknown magic byte", letter.getReason());
  }

  @Test
  void aDeadLetterThatCannotBeWrittenFailsTheRecord() {
    emitter.refuse = true;
    Tracked message = message(record(null));
    handling.blocking(message.message, () -> {});
    assertEquals("nack", message.outcome.get(), "never acknowledged without its dead letter");
  }

  @Test
  void reactiveWorkIsRetriedThenSetAside() {
    AtomicInteger runs = new AtomicInteger();
    handling.reactive(record(removed("e-3")), () -> {
      runs.incrementAndGet();
      return Uni.createFrom().failure(new IllegalStateException("still failing"));
    }).await().atMost(Duration.ofSeconds(5));
    assertEquals(3, runs.get());
    assertEquals("IllegalStateException: still failing", emitter.sent.get(0).getReason());

    AtomicInteger second = new AtomicInteger();
    handling.reactive(record(removed("e-4")), () -> second.incrementAndGet() < 2
        ? Uni.createFrom().failure(new IllegalStateException("once"))
        : Uni.createFrom().voidItem()).await().atMost(Duration.ofSeconds(5));
    assertEquals(2, second.get());
    assertEquals(1, emitter.sent.size(), "the second record succeeded on its second attempt");
  }

  @Test
  void reactiveFailsWhenTheDeadLetterCannotBeWritten() {
    emitter.refuse = true;
    Uni<Void> handled = handling.reactive(record(removed("e-5")),
        () -> Uni.createFrom().failure(new IllegalStateException("broken")));
    assertThrows(IllegalStateException.class, () -> handled.await().atMost(Duration.ofSeconds(5)));
  }

  @Test
  void aDeadLetterThatCannotBeHandledIsNotSetAsideAgain() {
    ConsumerRecord<String, Object> letter =
        new ConsumerRecord<>("cascade.signer-dead-letters.v1", 0, 7L, "example.test.", null);
    handling.reactive(letter, () -> Uni.createFrom().voidItem()).await().atMost(Duration.ofSeconds(5));
    assertTrue(emitter.sent.isEmpty());
  }

  private static ZoneRegistryFact removed(String eventId) {
    return ZoneRegistryFact.newBuilder()
        .setMetadata(new EventMetadata(eventId, Instant.EPOCH, "review-gateway", null))
        .setZone("example.test.")
        .setFact(ZoneRemoved.newBuilder().setReason("test").build())
        .build();
  }

  private static ConsumerRecord<String, Object> record(Object value) {
    return new ConsumerRecord<>("cascade.zone-registry.v1", 2, 41L, "example.test.", value);
  }

  private record Tracked(Message<Object> message, AtomicReference<String> outcome) {}

  private static Tracked message(ConsumerRecord<String, Object> record) {
    AtomicReference<String> outcome = new AtomicReference<>();
    Message<Object> message = Message.of(record.value())
        .addMetadata(new IncomingKafkaRecordMetadata<>(record, "test"))
        .withAck(() -> {
          outcome.set("ack");
          return CompletableFuture.completedFuture(null);
        })
        .withNack(failure -> {
          outcome.set("nack");
          return CompletableFuture.completedFuture(null);
        });
    return new Tracked(message, outcome);
  }

  /** The channel as the connector would run it: acknowledges each dead letter, or refuses every one. */
  private static final class RecordingEmitter implements Emitter<EventDeadLettered> {
    final List<EventDeadLettered> sent = new ArrayList<>();
    boolean refuse;

    @Override
    public CompletionStage<Void> send(EventDeadLettered payload) {
      throw new UnsupportedOperationException("DeadLetters sends messages");
    }

    @Override
    public <M extends Message<? extends EventDeadLettered>> void send(M message) {
      if (refuse) {
        message.nack(new IllegalStateException("broker unreachable"));
      } else {
        sent.add(message.getPayload());
        message.ack();
      }
    }

    @Override
    public void complete() {}

    @Override
    public void error(Exception e) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean hasRequests() {
      return true;
    }
  }
}
