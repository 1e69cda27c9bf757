package dev.cascade.service.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.jboss.logging.Logger;

/**
 * One instance's transactional producer (KIP-98): facts, and the consumer offsets that say which event they answer,
 * committed in one Kafka transaction, so that a {@code read_committed} reader sees all of them or none, and a consumer
 * group resumes exactly after the events whose facts are out.
 *
 * <p>Why a plain {@code KafkaProducer} rather than SmallRye's {@code KafkaTransactions}: the latter runs one
 * transaction per emitter at a time and wants the whole handler inside it, with the incoming channel's consumer reset
 * to its committed offsets when it aborts. The signer's handlers sign for minutes, on four channels at once, with
 * their own retries and dead letters ({@code EventHandling}); a transaction that long would hold back every
 * {@code read_committed} reader of the topic (its last stable offset) and run into {@code transaction.timeout.ms}.
 * Here the slow work (signing, content chunks) is done outside, and only the short write of its fact is a
 * transaction, serialised per instance (one producer can have one transaction open).
 *
 * <p>Zombie fencing is Kafka's own, two ways. The transactional.id names the instance (service and
 * {@code CASCADE_INSTANCE}): a newer producer with the same id bumps its epoch, and the old one's next transaction
 * fails with {@code ProducerFencedException} (KIP-98). The offsets go with the consumer group's metadata
 * (generation and member id, {@code sendOffsetsToTransaction(offsets, groupMetadata)}, KIP-447): once the group has
 * moved on, because this instance stopped answering for longer than its session timeout and its partitions went to
 * another member, the broker refuses the offsets and the transaction is aborted. Either way the caller gets a
 * {@link FencedWriteException} and must neither record the facts nor retry them.
 *
 * <p>Thread-safe: one transaction at a time. Not a CDI bean; the messaging beans wrap it.
 */
public final class TransactionalFacts implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TransactionalFacts.class);

  /**
   * How long the broker lets a transaction stay open before it aborts it: 20 s instead of the producer's default 60 s.
   * An instance cut off from the brokers in the middle of a transaction holds back every {@code read_committed} reader
   * of the topic, and the partition's new owner, which cannot read committed offsets past it, until the transaction
   * ends (the chaos suite's partitions found a 60 s cut stalling the loaders' group for 50 s). A transaction here is
   * one fact and an offset, done in milliseconds; 20 s is twice the consumers' session timeout, so a paused instance
   * is fenced by its group before its transaction is aborted. No official reference for the value.
   */
  static final int TRANSACTION_TIMEOUT_MS = 20_000;

  private final Map<String, Object> settings;
  private final String transactionalId;
  private KafkaProducer<String, Object> producer;
  private boolean fenced;

  /**
   * @param producerSettings the settings of the service's producers ({@link KafkaSettings#producer}); acks=all and
   *     idempotence, which transactions need, are among them
   * @param transactionalId this instance's transactional.id, the same across its restarts
   */
  public TransactionalFacts(Map<String, Object> producerSettings, String transactionalId) {
    this.settings = new HashMap<>(producerSettings);
    this.settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    this.settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    this.transactionalId = transactionalId;
  }

  /** The transactional.id of an instance: its service's name and its instance name (CASCADE_INSTANCE). */
  public static String transactionalId(String service, String instance) {
    return service + "-" + instance;
  }

  /**
   * Writes {@code facts} and, when {@code offsets} is not empty, commits them for {@code group}, in one transaction.
   *
   * @param offsets per partition the next offset to consume, as a consumer commits them; empty when no consumed
   *     event is answered (a timer's work)
   * @param group the metadata of the consumer that consumed the events, at the time it did; null without offsets
   * @throws FencedWriteException when the instance or the consumed event was fenced: nothing was written
   * @throws org.apache.kafka.common.KafkaException when the transaction failed otherwise (aborted): worth a retry
   */
  public synchronized void commit(
      List<ProducerRecord<String, Object>> facts, Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group) {
    if (fenced) {
      throw new FencedWriteException(
          FencedWriteException.Fenced.INSTANCE, transactionalId + " was fenced by a newer instance", null);
    }
    KafkaProducer<String, Object> current = producer();
    try {
      current.beginTransaction();
      for (ProducerRecord<String, Object> fact : facts) {
        current.send(fact);
      }
      if (!offsets.isEmpty()) {
        current.sendOffsetsToTransaction(offsets, group);
      }
      // Flushes the sends first and fails if any of them failed, so a commit that returns wrote every fact.
      current.commitTransaction();
    } catch (RuntimeException e) {
      throw failed(current, e);
    }
  }

  private RuntimeException failed(KafkaProducer<String, Object> current, RuntimeException failure) {
    if (causedBy(failure, ProducerFencedException.class)) {
      return fencedForGood(failure);
    }
    try {
      current.abortTransaction();
    } catch (RuntimeException abortFailed) {
      if (causedBy(abortFailed, ProducerFencedException.class)) {
        return fencedForGood(failure);
      }
      // A fatal state (the producer cannot even abort): the next transaction starts on a new producer, whose
      // initTransactions aborts whatever this one left open.
      failure.addSuppressed(abortFailed);
      discard();
    }
    if (causedBy(failure, CommitFailedException.class)
        || causedBy(failure, IllegalGenerationException.class)
        || causedBy(failure, UnknownMemberIdException.class)
        || causedBy(failure, RebalanceInProgressException.class)
        || causedBy(failure, FencedInstanceIdException.class)) {
      return new FencedWriteException(
          FencedWriteException.Fenced.CONSUMED_EVENT,
          "the consumer group moved on since the event was consumed; its facts are aborted", failure);
    }
    return failure;
  }

  private FencedWriteException fencedForGood(RuntimeException failure) {
    LOG.errorf("transactional.id %s was fenced by a newer producer: this instance writes no more facts",
        transactionalId);
    fenced = true;
    discard();
    return new FencedWriteException(
        FencedWriteException.Fenced.INSTANCE, transactionalId + " was fenced by a newer instance", failure);
  }

  /**
   * Makes the producer and initialises its transactions now rather than at the first fact. On a fresh cluster the
   * first {@code initTransactions} also has the broker create its transaction state topic (50 partitions by default,
   * {@code transaction.state.log.num.partitions}): seconds that the first zone added to a new stack otherwise waited
   * for (issue 8's pipeline benchmark). A failure is left to the first fact, which tries again.
   */
  public synchronized void warmUp() {
    if (!fenced) {
      try {
        producer();
      } catch (RuntimeException e) {
        LOG.infof("transactions of %s not initialised yet (%s); the first fact tries again", transactionalId,
            e.getMessage());
      }
    }
  }

  private KafkaProducer<String, Object> producer() {
    if (producer == null) {
      KafkaProducer<String, Object> created = new KafkaProducer<>(settings);
      try {
        // Fences every older producer of this transactional.id and completes what it left open.
        created.initTransactions();
      } catch (RuntimeException e) {
        created.close(Duration.ZERO);
        throw e;
      }
      producer = created;
    }
    return producer;
  }

  private void discard() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized void close() {
    discard();
  }
}
