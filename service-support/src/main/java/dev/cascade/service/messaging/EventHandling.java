package dev.cascade.service.messaging;

import dev.cascade.events.Topics;
import dev.cascade.service.kafka.FencedWriteException;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * How every consumer handles a record (issue 9, "nothing is lost on an error"): a handler that fails is run again
 * with backoff ({@link RetryPolicy}); when it still fails, or when the record cannot be decoded at all, the record is
 * set aside ({@link DeadLetters}) and the channel moves on, so one bad event never stops a channel for every other
 * zone and is never dropped silently. A handler's {@link EventRefusedException} sets the record aside at once: it
 * would be refused again. Only when not even the dead letter can be written does the record fail, and
 * with it the channel (the connector's failure strategy {@code fail}: the service turns unready and is restarted,
 * and reads the record again).
 *
 * <p>The retries hold up the record's partition, and with it the zones that share it, for at most the policy's total
 * backoff: order per zone is worth more than the delay (a later fact about a zone must not overtake an earlier one).
 */
@ApplicationScoped
public class EventHandling {

  private static final Logger LOG = Logger.getLogger(EventHandling.class);

  private final DeadLetters deadLetters;
  private final RetryPolicy retry;
  private final FactTransactions transactions;
  private final Tracer tracer;

  @Inject
  public EventHandling(
      DeadLetters deadLetters, HandlerConfig config, FactTransactions transactions, Tracer tracer) {
    this(deadLetters, config.retryPolicy(), transactions, tracer);
  }

  EventHandling(DeadLetters deadLetters, RetryPolicy retry, FactTransactions transactions, Tracer tracer) {
    this.deadLetters = deadLetters;
    this.retry = retry;
    this.transactions = transactions;
    this.tracer = tracer;
  }

  /**
   * Handles {@code message} on the calling worker thread ({@code @Blocking} consumers), inside the message's trace.
   *
   * @return the message's ack once the work succeeded or the record was set aside; its nack when the dead letter
   *     could not be written
   */
  public CompletionStage<Void> blocking(Message<?> message, Runnable work) {
    ConsumerRecord<String, ?> record = record(message);
    return handle(message, record, () -> Traced.within(tracer, message, work), () -> {},
        (reason, attempts) -> setAside(record, reason, attempts).await().indefinitely());
  }

  /**
   * {@link #blocking} with exactly-once facts ({@link FactTransactions}, issue 9): the facts {@code work} writes are
   * fenced by the consumer group membership the record was consumed under, and the group's offset moves past the
   * record in a transaction once {@code work} is done, or together with its dead letter when it is set aside. For a
   * channel whose connector does not commit offsets itself ({@code commit-strategy=ignore}).
   *
   * <p>A record polled before the group last moved on is not handled: its partition's owner handles it, from the
   * committed offset. A fact refused because the group moved on while the record was handled ends the record the
   * same way, neither retried nor set aside. A fact refused because a newer instance took over this one's
   * transactional.id nacks the record, which fails the channel (failure strategy {@code fail}): the service turns
   * unready, as a zombie should.
   */
  public CompletionStage<Void> exactlyOnce(Message<?> message, Runnable work) {
    ConsumerRecord<String, ?> record = record(message);
    Optional<ConsumedEvent> consumed = transactions.consumed(message);
    if (consumed.isEmpty()) {
      LOG.infof("%s: consumed before the group moved on; left to the partition's owner", where(record));
      return message.ack();
    }
    ConsumedEvent event = consumed.get();
    return handle(message, record,
        () -> transactions.within(event, () -> Traced.within(tracer, message, work)),
        () -> transactions.consume(event, List.of()),
        (reason, attempts) -> transactions.consume(event, deadLetter(record, reason, attempts)));
  }

  /** How a record given up on is set aside; throws when it cannot be. */
  private interface SetAside {
    void setAside(String reason, int attempts);
  }

  private CompletionStage<Void> handle(
      Message<?> message, ConsumerRecord<String, ?> record, Runnable work, Runnable done, SetAside setAside) {
    try {
      if (message.getPayload() == null) {
        setAside.setAside(DeadLetters.undecodable(record), 0);
        return message.ack();
      }
      for (int attempt = 1; ; attempt++) {
        try {
          work.run();
          done.run();
          return message.ack();
        } catch (FencedWriteException e) {
          throw e;
        } catch (EventRefusedException e) {
          setAside.setAside(e.getMessage(), attempt);
          return message.ack();
        } catch (RuntimeException e) {
          if (attempt >= retry.attempts()) {
            setAside.setAside(describe(e), attempt);
            return message.ack();
          }
          Duration wait = retry.backoffAfter(attempt);
          LOG.warnf(e, "%s: attempt %d of %d failed, trying again in %d ms", where(record), attempt,
              retry.attempts(), wait.toMillis());
          try {
            Thread.sleep(wait.toMillis());
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return message.nack(interrupted);
          }
        }
      }
    } catch (FencedWriteException e) {
      if (e.fenced() == FencedWriteException.Fenced.INSTANCE) {
        LOG.errorf(e, "%s: this instance is fenced by a newer one; the channel stops", where(record));
        return message.nack(e);
      }
      LOG.warnf("%s: fenced, the consumer group moved on while it was handled; left to the partition's owner",
          where(record));
      return message.ack();
    } catch (RuntimeException e) {
      return message.nack(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
    }
  }

  /** The dead letter of {@code record}, or none for a record of a dead-letter topic (which is not set aside again). */
  private List<ProducerRecord<String, Object>> deadLetter(ConsumerRecord<String, ?> record, String reason,
      int attempts) {
    if (Topics.isDeadLetters(record.topic())) {
      LOG.errorf("%s: a dead letter that cannot be handled (%s); skipped", where(record), reason);
      return List.of();
    }
    LOG.errorf("%s: set aside on %s after %d attempt(s): %s", where(record),
        Topics.deadLetters(deadLetters.service()), attempts, reason);
    return List.of(deadLetters.asRecord(record, reason, attempts));
  }

  /**
   * Handles {@code record} with reactive {@code work}, run again (on the caller's Vert.x context, which Hibernate
   * Reactive needs) after each failure. The returned Uni succeeds once the work succeeded or the record was set
   * aside; it fails only when the dead letter could not be written.
   */
  public Uni<Void> reactive(ConsumerRecord<String, ?> record, Supplier<Uni<Void>> work) {
    if (record.value() == null) {
      return setAside(record, DeadLetters.undecodable(record), 0);
    }
    Context context = Vertx.currentContext();
    Executor resume = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    return attempt(record, work, 1, resume);
  }

  /** The consumer record behind a message from the Kafka connector. */
  public static ConsumerRecord<String, ?> record(Message<?> message) {
    @SuppressWarnings("unchecked")
    IncomingKafkaRecordMetadata<String, ?> metadata =
        message.getMetadata(IncomingKafkaRecordMetadata.class)
            .orElseThrow(() -> new IllegalArgumentException("not a message from the Kafka connector"));
    return metadata.getRecord();
  }

  private Uni<Void> attempt(ConsumerRecord<String, ?> record, Supplier<Uni<Void>> work, int attempt, Executor resume) {
    return Uni.createFrom().deferred(work::get).onFailure().recoverWithUni(failure -> {
      if (attempt >= retry.attempts()) {
        return setAside(record, describe(failure), attempt);
      }
      Duration wait = retry.backoffAfter(attempt);
      LOG.warnf(failure, "%s: attempt %d of %d failed, trying again in %d ms", where(record), attempt,
          retry.attempts(), wait.toMillis());
      return Uni.createFrom().voidItem().onItem().delayIt().by(wait).emitOn(resume)
          .chain(() -> attempt(record, work, attempt + 1, resume));
    });
  }

  private Uni<Void> setAside(ConsumerRecord<String, ?> record, String reason, int attempts) {
    if (Topics.isDeadLetters(record.topic())) {
      // A dead letter that cannot be handled is not set aside again (that would loop); it stays on its topic.
      LOG.errorf("%s: a dead letter that cannot be handled (%s); skipped", where(record), reason);
      return Uni.createFrom().voidItem();
    }
    LOG.errorf("%s: set aside on %s after %d attempt(s): %s", where(record),
        Topics.deadLetters(deadLetters.service()), attempts, reason);
    return Uni.createFrom().completionStage(() -> deadLetters.setAside(record, reason, attempts))
        .onFailure().invoke(e -> LOG.errorf(e, "%s: the dead letter could not be written", where(record)));
  }

  private static String where(ConsumerRecord<String, ?> record) {
    return "zone " + record.key() + ", " + record.topic() + " partition " + record.partition() + " offset "
        + record.offset();
  }

  /** The failure as an operator reads it: its message, and the root cause's where that says something else. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    return root == failure || String.valueOf(failure.getMessage()).contains(String.valueOf(root.getMessage()))
        ? top
        : top + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
