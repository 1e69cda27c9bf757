package dev.cascade.testinfra.kafka;

import dev.cascade.events.registry.SchemaRegistration;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** Avro producers and a matching-record wait through the Apicurio registry, as the services configure them. */
public final class AvroClients {

  private AvroClients() {}

  /**
   * String keys (the zone apex), Avro values; like the services' producers, it only finds the schemas the deploy step
   * registered ({@link SchemaRegistration#PRODUCER_SETTINGS}).
   */
  public static <V> KafkaProducer<String, V> producer(String bootstrap, String registryUrl) {
    Map<String, Object> config = new HashMap<>(SchemaRegistration.PRODUCER_SETTINGS);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
    config.put("apicurio.registry.url", registryUrl);
    return new KafkaProducer<>(config);
  }

  /**
   * Sends one event keyed by zone, with an optional W3C traceparent header, through a producer made from
   * {@code producerConfig}, and waits for the broker.
   */
  public static void send(
      Map<String, Object> producerConfig, String topic, String zone, SpecificRecord event, String traceparent)
      throws Exception {
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig)) {
      producer.send(TraceContext.record(topic, zone, (Object) event, traceparent)).get();
    }
  }

  /**
   * Reads {@code topic} from the start with a fresh consumer group until a record's value matches, or fails after
   * {@code timeout}. {@code consumerConfig} is copied, not changed.
   */
  @SuppressWarnings("unchecked")
  public static <T> ConsumerRecord<String, T> await(
      Map<String, Object> consumerConfig, String topic, Predicate<T> match, Duration timeout) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
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
