package dev.cascade.service.kafka;

import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * The zones a service instance holds: those whose partition of one of its input topics the consumer group gave it.
 * With several replicas in one consumer group, every instance sees every zone in the shared tables, but only the
 * holder of a zone's partition may act on it; work driven by the records themselves needs no check (they reach the
 * holder only), work driven by a timer does (the signer's signature refresh, the key manager's key rolls). Where a
 * service reads several topics, they are co-partitioned and assigned by the RangeAssignor, so one topic's partition
 * stands for all of a zone's.
 *
 * <p>Fed by the channel's rebalance listener ({@code consumer-rebalance-listener.name}): each service makes one a bean
 * of its own, named for the connector by an identifier and found by type by its own beans. Assignments are taken as
 * increments, which is what the cooperative protocol hands over and also right for the eager one (which revokes
 * everything first); a gain tells the listeners, so a timer looks at the zones gained at once instead of at its next
 * check.
 */
public class HeldZones implements KafkaConsumerRebalanceListener {

  private static final Logger LOG = Logger.getLogger(HeldZones.class);

  private final String topic;
  private final Set<Integer> partitions = ConcurrentHashMap.newKeySet();
  private final List<Runnable> gainListeners = new CopyOnWriteArrayList<>();
  private volatile int partitionCount;

  /** Holds the zones of the partitions of {@code topic} the listener is told of. */
  public HeldZones(String topic) {
    this.topic = topic;
  }

  /**
   * The partition of {@code zone}'s records: the producer's default partitioner for the apex as key (murmur2 of its
   * UTF-8 bytes, made positive, modulo the partition count), so this names the partition every record of the zone is
   * on.
   */
  static int partitionOf(String zone, int partitionCount) {
    return Utils.toPositive(Utils.murmur2(zone.getBytes(StandardCharsets.UTF_8))) % partitionCount;
  }

  /** Whether this instance holds {@code zone} (its apex, as the records are keyed); none before the first assignment. */
  public boolean holds(String zone) {
    int count = partitionCount;
    return count > 0 && partitions.contains(partitionOf(zone, count));
  }

  /** Runs {@code listener} after every assignment that gains partitions. */
  public void onGain(Runnable listener) {
    gainListeners.add(listener);
  }

  /** Adds {@code gained} partitions of a topic with {@code count} partitions. */
  void assigned(int count, Collection<Integer> gained) {
    partitionCount = count;
    partitions.addAll(gained);
    if (!gained.isEmpty()) {
      gainListeners.forEach(Runnable::run);
    }
  }

  /** Drops partitions revoked from, or lost by, this instance. */
  void released(Collection<Integer> released) {
    partitions.removeAll(released);
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
    List<Integer> gained = numbers(assigned);
    // The count is asked of the consumer, from its metadata: a topic may be given more partitions while we run.
    int count = consumer.partitionsFor(topic).size();
    LOG.infof("holding partitions %s of %s (of %d)", gained, topic, count);
    assigned(count, gained);
  }

  @Override
  public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
    released(numbers(revoked));
  }

  @Override
  public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
    released(numbers(lost));
  }

  private List<Integer> numbers(Collection<TopicPartition> topicPartitions) {
    return topicPartitions.stream().filter(p -> p.topic().equals(topic)).map(TopicPartition::partition).toList();
  }
}
