package dev.cascade.service.messaging;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * An event a consumer handed to a handler: where it is, and the consumer group membership it was consumed under
 * (generation and member id, KIP-447), which every transaction written for it carries so that the broker refuses it
 * once the group has moved on.
 *
 * @param partition the event's topic partition
 * @param offset the event's offset
 * @param group the metadata of the consumer that consumed it, of the generation it was consumed in
 */
public record ConsumedEvent(TopicPartition partition, long offset, ConsumerGroupMetadata group) {

  /**
   * The offset of the event itself: committed with a fact written while the event is handled, it fences that fact
   * without marking the event consumed (the records before it are, as a channel handles its records in order), so
   * the event is delivered again if its handler does not finish.
   */
  Map<TopicPartition, OffsetAndMetadata> atEvent() {
    return Map.of(partition, new OffsetAndMetadata(offset));
  }

  /** The offset after the event, as a consumer commits it: the event is consumed. */
  Map<TopicPartition, OffsetAndMetadata> pastEvent() {
    return Map.of(partition, new OffsetAndMetadata(offset + 1));
  }
}
