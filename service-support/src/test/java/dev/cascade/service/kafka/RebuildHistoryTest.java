package dev.cascade.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cascade.testinfra.Services;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Reads back what a consumer group has consumed, from a real broker: up to its committed offsets and no further. */
class RebuildHistoryTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static Map<String, Object> consumerConfig() {
    // String values need no schema registry: the URL is never contacted.
    Map<String, Object> config = KafkaSettings.consumer(Services.kafkaBootstrap(), "http://127.0.0.1:1/unused");
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return config;
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafkaBootstrap()));
  }

  private static String newTopic(int partitions) throws Exception {
    String topic = "cascade.test-rebuild." + UUID.randomUUID();
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    return topic;
  }

  private static void write(String topic, int partition, int count) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafkaBootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, partition, "zone.test.", topic + " " + partition + " " + i)).get();
      }
    }
  }

  @Test
  void eachPartitionIsReadUpToTheGroupsCommittedOffsetAndOneWithoutOffsetGivesNothing() throws Exception {
    String first = newTopic(2);
    String second = newTopic(1);
    String own = newTopic(1);
    write(first, 0, 5);
    write(first, 1, 4);
    write(second, 0, 3);
    write(own, 0, 2);
    String group = "rebuild-test-" + UUID.randomUUID();
    try (Admin admin = admin()) {
      admin.alterConsumerGroupOffsets(group, Map.of(
          new TopicPartition(first, 0), new OffsetAndMetadata(3),
          new TopicPartition(second, 0), new OffsetAndMetadata(3))).all().get();
    }

    RebuildHistory<String, String> history =
        RebuildHistory.read(consumerConfig(), group, List.of(first, second), own, TIMEOUT);

    assertEquals(
        List.of(first + " 0 0", first + " 0 1", first + " 0 2", second + " 0 0", second + " 0 1", second + " 0 2"),
        history.consumed().stream().map(ConsumerRecord::value).toList(),
        "partition 1 of the first topic has no committed offset: its records are delivered as usual");
    assertEquals(List.of(own + " 0 0", own + " 0 1"), history.own().stream().map(ConsumerRecord::value).toList());
  }
}
