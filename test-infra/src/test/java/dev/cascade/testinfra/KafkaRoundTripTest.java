package dev.cascade.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaRoundTripTest {

  @Test
  void producedRecordsAreConsumedBackInOrder() throws Exception {
    String bootstrap = Services.kafkaBootstrap();
    String topic = "testinfra-" + UUID.randomUUID();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, "example.org.", "record-" + i)).get();
      }
    }

    List<String> consumed = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "testinfra-selftest",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumed.size() < 10 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          consumed.add(record.value());
        }
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add("record-" + i);
    }
    assertEquals(expected, consumed);
  }

  /**
   * Quarkus starts its test resources in a class loader of its own, where {@link Services}' statics are a second copy:
   * what keeps them on the one broker is the bootstrap recorded as a system property, shared by every class loader.
   */
  @Test
  void theBrokerIsStartedOncePerJvm() {
    String bootstrap = Services.kafkaBootstrap();
    assertEquals(bootstrap, System.getProperty(Services.KAFKA_KEY));
    assertEquals(Map.of("kafka.bootstrap.servers", bootstrap), new KafkaResource().start());
  }
}
