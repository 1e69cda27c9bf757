package dev.cascade.service.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads every record of a topic, from its first offset to the end it had when the reading started: the history a
 * service rebuilds its state from (docs/architecture.md, rule 1: tables are projections of the log).
 *
 * <p>Records come back in offset order per partition, partition after partition; facts about one zone share a
 * partition (keyed by apex), so each zone's facts are in the order they were written. With the
 * {@code read_committed} consumers of {@link KafkaSettings#consumer}, the end is the last stable offset, so records
 * of an open or aborted transaction are never part of the history.
 */
public final class TopicHistory {

  private TopicHistory() {}

  /**
   * @param consumerConfig settings for a consumer without a group ({@link KafkaSettings#consumer})
   * @param timeout how long to wait for the broker before giving up with {@link TimeoutException}
   * @return every record up to the end offsets seen at the start; an absent topic has no history
   */
  public static <V> List<ConsumerRecord<String, V>> read(
      Map<String, Object> consumerConfig, String topic, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerConfig)) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
      if (partitions == null || partitions.isEmpty()) {
        return List.of();
      }
      List<TopicPartition> assigned =
          partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
      List<ConsumerRecord<String, V>> history = new ArrayList<>();
      for (TopicPartition partition : assigned) {
        readPartition(consumer, partition, end.get(partition), deadline, history);
      }
      return history;
    }
  }

  /** Adds the records of {@code partition} from its first offset up to (not including) {@code end} to {@code into}. */
  static <V> void readPartition(
      KafkaConsumer<String, V> consumer,
      TopicPartition partition,
      long end,
      Instant deadline,
      List<ConsumerRecord<String, V>> into) {
    String topic = partition.topic();
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    while (consumer.position(partition, remaining(deadline, topic)) < end) {
      for (ConsumerRecord<String, V> record : consumer.poll(remaining(deadline, topic))) {
        if (record.offset() < end) {
          into.add(record);
        }
      }
    }
  }

  static Duration remaining(Instant deadline, String topic) {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new TimeoutException("reading the history of " + topic + " took longer than allowed");
    }
    return left;
  }
}
