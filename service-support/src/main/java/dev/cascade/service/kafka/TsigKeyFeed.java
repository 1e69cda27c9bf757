package dev.cascade.service.kafka;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.TsigKeyFact;
import dev.cascade.service.tsig.TsigKeyring;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Keeps a {@link TsigKeyring} up to the TSIG key topic: a thread that reads every partition from the first offset, with
 * no consumer group (each instance of each service needs every key, not a share of them), and goes on reading new
 * facts as review-gateway writes them. Until the topic exists it looks again every few seconds.
 */
public final class TsigKeyFeed implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TsigKeyFeed.class);

  /** Pause before looking for the topic again, and longest wait of one poll; no official reference. */
  private static final Duration POLL = Duration.ofSeconds(2);

  private final KafkaConsumer<String, TsigKeyFact> consumer;
  private final TsigKeyring keyring;
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean running = true;

  private TsigKeyFeed(Map<String, Object> consumerConfig, TsigKeyring keyring) {
    this.consumer = new KafkaConsumer<>(consumerConfig);
    this.keyring = keyring;
    this.thread = new Thread(this::run, "tsig-key-feed");
    this.thread.setDaemon(true);
  }

  /**
   * Starts reading into {@code keyring}.
   *
   * @param consumerConfig settings of a consumer without a group ({@link KafkaSettings#historyConsumer})
   */
  public static TsigKeyFeed start(Map<String, Object> consumerConfig, TsigKeyring keyring) {
    TsigKeyFeed feed = new TsigKeyFeed(consumerConfig, keyring);
    feed.thread.start();
    return feed;
  }

  /** Completes once every fact written before the feed started has been applied. */
  public CompletionStage<Void> caughtUp() {
    return caughtUp.minimalCompletionStage();
  }

  private void run() {
    try {
      Map<TopicPartition, Long> end = assign();
      while (running) {
        for (ConsumerRecord<String, TsigKeyFact> record : consumer.poll(POLL)) {
          if (record.value() == null) {
            LOG.errorf("%s offset %d of partition %d cannot be decoded; skipped", Topics.TSIG_KEYS, record.offset(),
                record.partition());
          } else {
            keyring.apply(record.value());
          }
        }
        if (!caughtUp.isDone()
            && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          caughtUp.complete(null);
          LOG.infof("TSIG keys read: %d", keyring.list().size());
        }
      }
    } catch (WakeupException e) {
      LOG.debug("TSIG key feed stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.errorf(e, "TSIG key feed failed; keys added from now on are not seen until a restart");
    } finally {
      consumer.close();
    }
  }

  /** Assigns every partition of the topic, from its first offset; returns the end offsets at this moment. */
  private Map<TopicPartition, Long> assign() throws InterruptedException {
    List<PartitionInfo> partitions = List.of();
    while (running) {
      try {
        partitions = consumer.partitionsFor(Topics.TSIG_KEYS, POLL);
      } catch (TimeoutException e) {
        LOG.debugf("the brokers did not answer: %s", e.getMessage());
      }
      if (partitions != null && !partitions.isEmpty()) {
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    List<TopicPartition> assigned =
        partitions.stream().map(p -> new TopicPartition(Topics.TSIG_KEYS, p.partition())).toList();
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    return consumer.endOffsets(assigned, POLL);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
