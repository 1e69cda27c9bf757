package dev.cascade.signer.pipeline;

import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.testinfra.kafka.AvroClients;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Raw Kafka clients for the tests, with the same Avro serde settings as the content topics ({@link KafkaSettings}),
 * pointed at the broker and registry of the running Quarkus test; the clients themselves are test-infra's.
 */
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
    AvroClients.send(producerConfig(), topic, zone, event, traceparent);
  }

  /** Sends one event keyed by zone and returns where the broker put it. */
  static RecordMetadata sendAt(String topic, String zone, SpecificRecord event) throws Exception {
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig())) {
      return producer.send(new ProducerRecord<>(topic, zone, event)).get();
    }
  }

  /** Reads {@code topic} from the start until a record matches, or fails after {@code timeout}. */
  static <T> ConsumerRecord<String, T> await(String topic, Predicate<T> match, Duration timeout) {
    return AvroClients.await(consumerConfig(), topic, match, timeout);
  }
}
