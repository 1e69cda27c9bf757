package dev.cascade.signer.pipeline;

import dev.cascade.content.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/** Raw Kafka clients for the tests, with the same Avro serde settings as the services. */
final class Bus {

  private Bus() {}

  static String bootstrap() {
    return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
  }

  static String registry() {
    return ConfigProvider.getConfig().getValue("cascade.registry.url", String.class);
  }

  static Map<String, Object> producerConfig() {
    return KafkaSettings.producer(bootstrap(), registry());
  }

  static Map<String, Object> consumerConfig() {
    return KafkaSettings.consumer(bootstrap(), registry());
  }

  /** Sends one event keyed by zone, with an optional W3C traceparent header, and waits for the broker. */
  static void send(String topic, String zone, SpecificRecord event, String traceparent) throws Exception {
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig())) {
      ProducerRecord<String, Object> record = new ProducerRecord<>(topic, zone, event);
      if (traceparent != null) {
        record.headers().add("traceparent", traceparent.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      producer.send(record).get();
    }
  }

  /** Reads {@code topic} from the start until a record matches, or fails after {@code timeout}. */
  @SuppressWarnings("unchecked")
  static <T> ConsumerRecord<String, T> await(String topic, Predicate<T> match, Duration timeout) {
    Map<String, Object> config = consumerConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plus(timeout);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
          Optional<T> value = Optional.ofNullable((T) record.value());
          if (value.isPresent() && match.test(value.get())) {
            return (ConsumerRecord<String, T>) (ConsumerRecord<String, ?>) record;
          }
        }
      }
    }
    throw new AssertionError("no matching record on " + topic + " within " + timeout);
  }
}
