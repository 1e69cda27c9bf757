package dev.cascade.service.messaging;

import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TransactionalFacts;
import dev.cascade.service.tracing.ZoneSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Exactly-once fact writing for a service (issue 9): its facts go out in Kafka transactions of its instance's
 * {@link TransactionalFacts}, each fenced by the consumer group membership of the event being handled (KIP-447), and
 * the event's offset is committed in a transaction once its handler is done ({@link EventHandling#exactlyOnce}).
 *
 * <p>A handler runs its slow work (signing, writing content chunks) outside any transaction and then calls
 * {@link #write} for each fact, which is one short transaction: the fact and the event's own offset, so that a zombie
 * (this instance after its partitions went to another member) cannot add a fact. The caller records the fact in its
 * tables only after {@link #write} returned; a crash between the two is what the start-up restore covers. When the
 * handler returns, one more transaction moves the group's offset past the event: a handler may announce several facts
 * (the approvals a key set completes), and the event must be delivered again until the last of them is out. Work
 * without a consumed event (a timer) writes its facts in transactions without offsets, fenced by the producer epoch
 * alone.
 *
 * <p>The event being handled is bound to the worker thread that handles it ({@code @Blocking} handlers, which run one
 * record per channel at a time): the code that announces a fact does not need to be handed it.
 */
@ApplicationScoped
public class FactTransactions {

  /** How long to wait for the consumer's polling thread to tell its group membership; no official reference. */
  private static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(30);

  private static final ThreadLocal<ConsumedEvent> HANDLING = new ThreadLocal<>();

  private static final TextMapSetter<Headers> HEADER =
      (headers, name, value) -> headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));

  private final TransactionalFacts facts;
  private final KafkaClientService clients;
  private final Tracer tracer;
  /** Per channel consumer, its group membership as last asked, valid while records carry its generation. */
  private final Map<String, ConsumerGroupMetadata> memberships = new ConcurrentHashMap<>();

  @Inject
  public FactTransactions(
      KafkaClientService clients,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl,
      @ConfigProperty(name = "quarkus.application.name") String service,
      TransactionsConfig config,
      Tracer tracer) {
    this(clients, new TransactionalFacts(KafkaSettings.producer(bootstrapServers, registryUrl),
        TransactionalFacts.transactionalId(service, config.instance())), tracer);
  }

  FactTransactions(KafkaClientService clients, TransactionalFacts facts, Tracer tracer) {
    this.clients = clients;
    this.facts = facts;
    this.tracer = tracer;
  }

  /**
   * Initialises the instance's transactions at start-up ({@link TransactionalFacts#warmUp}), on a thread of its own:
   * with the brokers away it waits up to the producer's {@code max.block.ms}, which must not hold up the start.
   */
  void onStart(@Observes StartupEvent event) {
    Thread warmUp = new Thread(facts::warmUp, "fact-transactions-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /**
   * Writes {@code records} in one transaction, fenced by the event the calling thread handles, if any. Each record
   * gets a producer span in the caller's trace, named and described as the connector's outgoing channels name theirs
   * ({@code <topic> publish}, OpenTelemetry messaging conventions) and about the zone version the record names
   * ({@link ZoneSpans#of}), and that span's W3C {@code traceparent} header, so
   * the trace goes on from the consumer's span as it does for a channel; the span ends with the transaction, marked
   * failed when it was not committed.
   *
   * @throws FencedWriteException when this instance or the event was fenced: nothing was written, record nothing
   */
  public void write(List<ProducerRecord<String, Object>> records) {
    List<Span> spans = new ArrayList<>();
    for (ProducerRecord<String, Object> record : records) {
      Span span = ZoneSpans.of(record.key(), record.value()).tag(tracer.spanBuilder(record.topic() + " publish"))
          .setParent(ZoneSpans.context())
          .setSpanKind(SpanKind.PRODUCER)
          .setAttribute("messaging.system", "kafka")
          .setAttribute("messaging.destination.name", record.topic())
          .setAttribute("messaging.operation", "publish")
          .startSpan();
      spans.add(span);
      W3CTraceContextPropagator.getInstance().inject(ZoneSpans.context().with(span), record.headers(), HEADER);
    }
    try {
      ConsumedEvent event = HANDLING.get();
      if (event == null) {
        facts.commit(records, Map.of(), null);
      } else {
        commit(records, event, event.atEvent());
      }
    } catch (RuntimeException e) {
      spans.forEach(span -> span.recordException(e).setStatus(StatusCode.ERROR));
      throw e;
    } finally {
      spans.forEach(Span::end);
    }
  }

  /** Writes one fact keyed by {@code key} to {@code topic}, as {@link #write(List)}. */
  public void write(String topic, String key, Object fact) {
    write(List.of(new ProducerRecord<>(topic, key, fact)));
  }

  /**
   * Runs {@code work} with {@code event} as the event its facts answer; {@link EventHandling#exactlyOnce} does so for
   * every handler, tests for an event of their own making.
   */
  public void within(ConsumedEvent event, Runnable work) {
    ConsumedEvent outer = HANDLING.get();
    HANDLING.set(event);
    try {
      work.run();
    } finally {
      if (outer == null) {
        HANDLING.remove();
      } else {
        HANDLING.set(outer);
      }
    }
  }

  /** Writes {@code records} (a dead letter, or none) and moves the group's offset past {@code event}. */
  void consume(ConsumedEvent event, List<ProducerRecord<String, Object>> records) {
    commit(records, event, event.pastEvent());
  }

  private void commit(
      List<ProducerRecord<String, Object>> records, ConsumedEvent event,
      Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      facts.commit(records, offsets, event.group());
    } catch (FencedWriteException e) {
      // Ask the consumer again at the next record: it is likely of the old generation too, and then skipped at once
      // instead of handled in vain.
      memberships.values().removeIf(event.group()::equals);
      throw e;
    }
  }

  /**
   * The event behind {@code message}, with the group membership it was consumed under; empty when the group has
   * moved on since it was polled (a rebalance, or this instance was paused past its session timeout): then the
   * partition's owner handles it, from the group's committed offset.
   *
   * <p>Sound for the eager rebalance protocol (the RangeAssignor of the signer, the keymanager, the loader and the
   * publisher): a rebalance revokes every partition, and a partition this consumer gets back is read again from the
   * committed offset, so a record skipped here comes again, in order. Under the cooperative protocol a partition kept
   * through a rebalance keeps its position, so its records polled before it would be lost to this consumer: a service
   * must not adopt this on cooperative-sticky unless such records are handled under the new generation (issue 9).
   */
  Optional<ConsumedEvent> consumed(Message<?> message) {
    IncomingKafkaRecordMetadata<?, ?> metadata =
        message.getMetadata(IncomingKafkaRecordMetadata.class)
            .orElseThrow(() -> new IllegalArgumentException("not a message from the Kafka connector"));
    TopicPartition partition = new TopicPartition(metadata.getTopic(), metadata.getPartition());
    // The connector stamps every record with the generation of the poll that returned it.
    int generation = metadata.getConsumerGroupGenerationId();
    String key = metadata.getChannel() + "#" + metadata.getConsumerIndex();
    ConsumerGroupMetadata known = memberships.get(key);
    if (known == null || known.generationId() != generation) {
      Membership now = membership(metadata);
      if (now.group().generationId() != generation || !now.holds(partition)) {
        return Optional.empty();
      }
      known = now.group();
      memberships.put(key, known);
    }
    return Optional.of(new ConsumedEvent(partition, metadata.getOffset(), known));
  }

  private record Membership(ConsumerGroupMetadata group, Set<TopicPartition> assignment) {
    boolean holds(TopicPartition partition) {
      return assignment.contains(partition);
    }
  }

  /** Asked on the consumer's polling thread, where its metadata and assignment belong to the same generation. */
  private Membership membership(IncomingKafkaRecordMetadata<?, ?> metadata) {
    List<KafkaConsumer<Object, Object>> consumers = clients.getConsumers(metadata.getChannel());
    int index = metadata.getConsumerIndex();
    KafkaConsumer<Object, Object> consumer = consumers.get(index >= 0 && index < consumers.size() ? index : 0);
    Function<Consumer<Object, Object>, Membership> ask =
        c -> new Membership(c.groupMetadata(), Set.copyOf(c.assignment()));
    return consumer
        .runOnPollingThread(ask)
        .await()
        .atMost(MEMBERSHIP_TIMEOUT);
  }

  @PreDestroy
  void close() {
    facts.close();
  }
}
