package dev.cascade.testinfra.kafka;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic from the beginning, by assignment (no consumer group), and keeps every record seen. */
public final class TopicReader<V> implements AutoCloseable {

  private final KafkaConsumer<String, V> consumer;
  private final String topic;
  private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();
  private boolean assigned;

  private TopicReader(String topic, Map<String, Object> config) {
    this.topic = topic;
    this.consumer = new KafkaConsumer<>(config);
  }

  /** Decodes values with the Apicurio Avro serde into the generated classes. */
  public static <V> TopicReader<V> avro(String bootstrap, String registryUrl, String topic) {
    return new TopicReader<>(
        topic,
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            "apicurio.registry.url", registryUrl,
            "apicurio.registry.use-specific-avro-reader", "true"));
  }

  /** Keeps values as the raw bytes on the wire, to check what a record does not contain. */
  public static TopicReader<byte[]> raw(String bootstrap, String topic) {
    return new TopicReader<>(
        topic,
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
  }

  /** Polls once and returns all records seen so far whose key is {@code zone}, in offset order. */
  public synchronized List<ConsumerRecord<String, V>> recordsFor(String zone) {
    if (!assigned) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      if (partitions.isEmpty()) {
        return List.of();
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      assigned = true;
    }
    consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
    return seen.stream().filter(r -> zone.equals(r.key())).collect(Collectors.toList());
  }

  @Override
  public void close() {
    consumer.close();
  }
}
