package dev.cascade.service.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What a service needs to rebuild its tables from the log (docs/architecture.md, rule 1): the input events its
 * consumer group has already consumed, and its own topic.
 *
 * <p>Once a group has committed an offset, Kafka never delivers the records before it to that group again; a service
 * whose schema was dropped would never see the events that built its state. The rebuild therefore reads each input
 * partition from its first offset up to the group's committed offset, and applies those events as its handlers did.
 * A partition without a committed offset gives nothing: its records will be delivered to the handlers as usual, as
 * will every record at or after a committed offset, so no event is applied twice.
 *
 * @param consumed the input records the group has consumed, in offset order per partition, partition after partition
 *     (facts about one zone share a partition, so each zone's events are in the order they were handled)
 * @param own every record of the service's own topic up to its end ({@link TopicHistory#read})
 */
public record RebuildHistory<I, O>(List<ConsumerRecord<String, I>> consumed, List<ConsumerRecord<String, O>> own) {

  /**
   * @param consumerConfig settings for a consumer without a group ({@link KafkaSettings#consumer}); its bootstrap
   *     servers are also those of the admin client that reads the group's offsets
   * @param group the consumer group of the service's input channels
   * @param inputs the topics that group consumes (as the service's channels name them)
   * @param ownTopic the topic only this service writes
   * @param timeout how long the reading may wait for the broker before giving up
   */
  public static <I, O> RebuildHistory<I, O> read(
      Map<String, Object> consumerConfig, String group, List<String> inputs, String ownTopic, Duration timeout) {
    return new RebuildHistory<>(consumed(consumerConfig, group, inputs, timeout),
        TopicHistory.read(consumerConfig, ownTopic, timeout));
  }

  /** The records of {@code topics} that {@code group} has consumed, up to its committed offsets. */
  public static <V> List<ConsumerRecord<String, V>> consumed(
      Map<String, Object> consumerConfig, String group, List<String> topics, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(consumerConfig, group, timeout);
    List<ConsumerRecord<String, V>> history = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerConfig)) {
      for (String topic : topics) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, TopicHistory.remaining(deadline, topic));
        if (partitions == null) {
          continue;
        }
        for (PartitionInfo info : partitions) {
          TopicPartition partition = new TopicPartition(topic, info.partition());
          OffsetAndMetadata offset = committed.get(partition);
          if (offset != null && offset.offset() > 0) {
            TopicHistory.readPartition(consumer, partition, offset.offset(), deadline, history);
          }
        }
      }
    }
    return history;
  }

  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(
      Map<String, Object> consumerConfig, String group, Duration timeout) {
    Object bootstrap = consumerConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the offsets of group " + group, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the committed offsets of group " + group, e);
    }
  }
}
