package dev.cascade.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.testinfra.Services;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Reads a topic's history from a real broker: every committed record, in order per key, and nothing aborted. */
class TopicHistoryTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static Map<String, Object> consumerConfig() {
    // String values need no schema registry: the URL is never contacted.
    Map<String, Object> config = KafkaSettings.consumer(Services.kafkaBootstrap(), "http://127.0.0.1:1/unused");
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return config;
  }

  private static KafkaProducer<String, String> producer(String transactionalId) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafkaBootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId));
  }

  private static String newTopic(int partitions) throws Exception {
    String topic = "cascade.test-history." + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafkaBootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    return topic;
  }

  @Test
  void everyCommittedRecordComesBackInOrderPerKeyAndAnAbortedOneDoesNot() throws Exception {
    String topic = newTopic(3);
    try (KafkaProducer<String, String> producer = producer("history-test-" + UUID.randomUUID())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 30; i++) {
        producer.send(new ProducerRecord<>(topic, "zone" + (i % 5) + ".test.", "fact " + i));
      }
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "zone0.test.", "aborted"));
      producer.flush();
      producer.abortTransaction();
    }

    List<ConsumerRecord<String, String>> history = TopicHistory.read(consumerConfig(), topic, TIMEOUT);

    assertEquals(30, history.size(), "the committed records only: " + history);
    for (int zone = 0; zone < 5; zone++) {
      String key = "zone" + zone + ".test.";
      List<String> facts = history.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::value).toList();
      List<String> expected = IntStream.iterate(zone, i -> i < 30, i -> i + 5)
          .mapToObj(i -> "fact " + i).toList();
      assertEquals(expected, facts, "the facts of " + key + " in the order written");
    }
  }

  /**
   * A record that is no Avro event at all (written by something else, or damaged) comes back with a null value for
   * the restore to skip, and the records after it are still read.
   */
  @Test
  void anUndecodableRecordComesBackEmptyAndTheReadGoesOn() throws Exception {
    String topic = newTopic(1);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafkaBootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
      producer.send(new ProducerRecord<>(topic, "zone0.test.", "not avro".getBytes(StandardCharsets.UTF_8))).get();
      producer.send(new ProducerRecord<>(topic, "zone0.test.", new byte[] {0, 0, 0})).get();
    }

    List<ConsumerRecord<String, Object>> history = TopicHistory.read(
        KafkaSettings.historyConsumer(Services.kafkaBootstrap(), "http://127.0.0.1:1/unused"), topic, TIMEOUT);

    assertEquals(2, history.size(), "both records, read past the first: " + history);
    assertTrue(history.stream().allMatch(r -> r.value() == null), "neither decoded: " + history);
  }

  @Test
  void aTopicWithoutRecordsHasAnEmptyHistory() throws Exception {
    String topic = newTopic(2);
    assertTrue(TopicHistory.read(consumerConfig(), topic, TIMEOUT).isEmpty());
  }
}
