package dev.cascade.testinfra.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's committed offsets, for tests that need a service to have committed what it handled: a rebuild
 * reads back only the events before the committed offsets, so a test waits for them before dropping a schema.
 */
public final class ConsumerGroups {

  private ConsumerGroups() {}

  /**
   * Waits until {@code group} has committed, on every partition of {@code topics}, the end offset each partition has
   * now: everything written to them so far is handled and committed.
   *
   * @throws IllegalStateException when that does not happen within {@code timeout}
   */
  public static void awaitCommittedToEnd(String bootstrap, String group, List<String> topics, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, Long> ends = ends(admin, topics);
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        boolean behind = ends.entrySet().stream().anyMatch(end -> end.getValue() > 0
            && (committed.get(end.getKey()) == null || committed.get(end.getKey()).offset() < end.getValue()));
        if (!behind) {
          return;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("group " + group + " committed " + committed + ", not yet " + ends);
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for group " + group, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the offsets of group " + group, e);
    }
  }

  /**
   * Waits until {@code group} has committed an offset past the record at {@code event}: its handler is done, and with
   * exactly-once handling every transaction it wrote is complete, since the offset goes in a transaction of the same
   * producer after them.
   *
   * @throws IllegalStateException when that does not happen within {@code timeout}
   */
  public static void awaitCommittedPast(String bootstrap, String group, RecordMetadata event, Duration timeout) {
    TopicPartition partition = new TopicPartition(event.topic(), event.partition());
    Instant deadline = Instant.now().plus(timeout);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      while (true) {
        OffsetAndMetadata committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .get(partition);
        if (committed != null && committed.offset() > event.offset()) {
          return;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("group " + group + " committed " + committed + " on " + partition
              + ", not yet past offset " + event.offset());
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for group " + group, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the offsets of group " + group, e);
    }
  }

  private static Map<TopicPartition, Long> ends(Admin admin, List<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
        description.partitions().forEach(
            p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, Long> ends = new HashMap<>();
    offsets.forEach((partition, info) -> ends.put(partition, info.offset()));
    return ends;
  }
}
