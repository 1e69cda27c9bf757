package dev.cascade.service.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.service.kafka.FencedWriteException;
import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * {@link EventHandling#exactlyOnce} against a stand-in for the transactions: the offset past an event is committed
 * after its handler, with its dead letter when it is set aside, and never for an event fenced or polled before the
 * group moved on. The transactions themselves are TransactionalFactsTest's, on a real broker.
 */
class ExactlyOnceHandlingTest {

  private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(4));

  private static final ConsumedEvent EVENT = new ConsumedEvent(new TopicPartition("cascade.zone-registry.v1", 2), 41L,
      new ConsumerGroupMetadata("signer", 7, "signer-1-member", Optional.empty()));

  private final StandInTransactions transactions = new StandInTransactions();
  private final EventHandling handling = new EventHandling(new DeadLetters(null, "signer"), QUICK, transactions,
      OpenTelemetry.noop().getTracer("test"));

  @Test
  void theOffsetPastTheEventIsCommittedOnceItsHandlerIsDone() {
    AtomicReference<ConsumedEvent> seen = new AtomicReference<>();
    Tracked message = message();
    handling.exactlyOnce(message.message, () -> seen.set(transactions.handling()));
    assertEquals(EVENT, seen.get(), "the handler's facts are fenced by its event");
    assertEquals(List.of(List.of()), transactions.consumed, "one transaction, the offset alone");
    assertEquals("ack", message.outcome.get());
  }

  @Test
  void anEventSetAsideHasItsDeadLetterCommittedWithTheOffsetPastIt() {
    Tracked message = message();
    handling.exactlyOnce(message.message, () -> {
      throw new IllegalStateException("still failing");
    });
    assertEquals(1, transactions.consumed.size());
    ProducerRecord<String, Object> letter = transactions.consumed.get(0).get(0);
    assertEquals("cascade.signer-dead-letters.v1", letter.topic());
    assertEquals(3, assertInstanceOf(EventDeadLettered.class, letter.value()).getAttempts());
    assertEquals("ack", message.outcome.get(), "the channel moves on");
  }

  @Test
  void anEventFencedBecauseTheGroupMovedOnIsNeitherRetriedNorSetAsideNorConsumed() {
    AtomicInteger runs = new AtomicInteger();
    Tracked message = message();
    handling.exactlyOnce(message.message, () -> {
      runs.incrementAndGet();
      throw new FencedWriteException(FencedWriteException.Fenced.CONSUMED_EVENT, "group moved on", null);
    });
    assertEquals(1, runs.get());
    assertTrue(transactions.consumed.isEmpty(), "left to the partition's owner: " + transactions.consumed);
    assertEquals("ack", message.outcome.get(), "the channel goes on with what its consumer is given");
  }

  @Test
  void anInstanceFencedForGoodFailsTheChannel() {
    Tracked message = message();
    handling.exactlyOnce(message.message, () -> {
      throw new FencedWriteException(FencedWriteException.Fenced.INSTANCE, "a newer instance", null);
    });
    assertTrue(transactions.consumed.isEmpty());
    assertEquals("nack", message.outcome.get());
  }

  @Test
  void anEventPolledBeforeTheGroupMovedOnIsNotHandled() {
    transactions.current = false;
    Tracked message = message();
    handling.exactlyOnce(message.message, () -> {
      throw new AssertionError("a stale record is never handled");
    });
    assertTrue(transactions.consumed.isEmpty());
    assertEquals("ack", message.outcome.get());
  }

  /** Records what would be committed; the event is current unless told otherwise. */
  private static final class StandInTransactions extends FactTransactions {
    final List<List<ProducerRecord<String, Object>>> consumed = new ArrayList<>();
    boolean current = true;
    private ConsumedEvent handling;

    StandInTransactions() {
      super(null, null, null);
    }

    ConsumedEvent handling() {
      return handling;
    }

    @Override
    Optional<ConsumedEvent> consumed(Message<?> message) {
      return current ? Optional.of(EVENT) : Optional.empty();
    }

    @Override
    public void within(ConsumedEvent event, Runnable work) {
      handling = event;
      try {
        work.run();
      } finally {
        handling = null;
      }
    }

    @Override
    void consume(ConsumedEvent event, List<ProducerRecord<String, Object>> records) {
      assertEquals(EVENT, event);
      consumed.add(records);
    }
  }

  private record Tracked(Message<Object> message, AtomicReference<String> outcome) {}

  private static Tracked message() {
    ConsumerRecord<String, Object> record = new ConsumerRecord<>("cascade.zone-registry.v1", 2, 41L, "example.test.",
        ZoneRegistryFact.newBuilder()
            .setMetadata(new EventMetadata("e-1", Instant.EPOCH, "review-gateway", null))
            .setZone("example.test.")
            .setFact(ZoneRemoved.newBuilder().setReason("test").build())
            .build());
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
}
