package dev.cascade.loader.pipeline;

import dev.cascade.events.v1.DenialKind;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.ReviewMode;
import dev.cascade.events.v1.SerialPolicyKind;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Raw Kafka clients with the Apicurio Avro serde, as another service would use them: a producer of zone registry
 * facts standing in for review-gateway, and a reader that collects every record of a topic for assertions.
 */
final class KafkaClients {

  private KafkaClients() {}

  static KafkaProducer<String, ZoneRegistryFact> registryProducer(String bootstrap, String registryUrl) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName(),
            "apicurio.registry.url", registryUrl,
            "apicurio.registry.auto-register", "true"));
  }

  /** The registry policy snapshot of the shipped default policy (reviews off, ECDSAP256SHA256 KSK + ZSK). */
  static PolicySnapshot defaultPolicy() {
    return PolicySnapshot.newBuilder()
        .setName("default")
        .setUnsignedReview(ReviewMode.OFF)
        .setSignedReview(ReviewMode.OFF)
        .setAlgorithm("ECDSAP256SHA256")
        .setUseCsk(false)
        .setKskValiditySeconds(Duration.ofDays(365).toSeconds())
        .setZskValiditySeconds(Duration.ofDays(30).toSeconds())
        .setDnskeyTtlSeconds(3600)
        .setSerialPolicy(SerialPolicyKind.KEEP)
        .setSignatureInceptionOffsetSeconds(3600)
        .setSignatureLifetimeSeconds(Duration.ofDays(14).toSeconds())
        .setSignatureRemainTimeSeconds(Duration.ofDays(7).toSeconds())
        .setSignatureRefreshIntervalSeconds(Duration.ofDays(1).toSeconds())
        .setDenial(DenialKind.NSEC)
        .setNsec3OptOut(false)
        .setNsec3Iterations(0)
        .setNsec3Salt("")
        .build();
  }

  static ZoneRegistryFact zoneAdded(String zone, String source) {
    return fact(zone, ZoneAdded.newBuilder().setPolicy(defaultPolicy()).setSource(source).build());
  }

  static ZoneRegistryFact reloadRequested(String zone, String source) {
    return fact(zone, ZoneReloadRequested.newBuilder().setSource(source).build());
  }

  static ZoneRegistryFact zoneRemoved(String zone) {
    return fact(zone, ZoneRemoved.newBuilder().setReason("test").build());
  }

  private static ZoneRegistryFact fact(String zone, Object what) {
    return ZoneRegistryFact.newBuilder()
        .setMetadata(
            EventMetadata.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setProducer("review-gateway")
                .setCausationId(null)
                .build())
        .setZone(zone)
        .setFact(what)
        .build();
  }

  /** A W3C trace context header value with a fresh trace id (https://www.w3.org/TR/trace-context/#traceparent-header). */
  static String newTraceparent() {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String spanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return "00-" + traceId + "-" + spanId + "-01";
  }

  static String traceId(String traceparent) {
    return traceparent.split("-")[1];
  }

  /** Reads a whole topic from the beginning, by assignment (no consumer group), and keeps every record seen. */
  static final class TopicReader<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final String topic;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();
    private boolean assigned;

    /** Decodes values with the Apicurio Avro serde into the generated classes. */
    TopicReader(String bootstrap, String registryUrl, String topic) {
      this(
          topic,
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
              ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
              ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName(),
              ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
              "apicurio.registry.url", registryUrl,
              "apicurio.registry.use-specific-avro-reader", "true"));
    }

    private TopicReader(String topic, Map<String, Object> config) {
      this.topic = topic;
      this.consumer = new KafkaConsumer<>(config);
    }

    /** Polls once and returns all records seen so far whose key is {@code zone}, in offset order. */
    synchronized List<ConsumerRecord<String, V>> recordsFor(String zone) {
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

    static String header(ConsumerRecord<?, ?> record, String name) {
      var header = record.headers().lastHeader(name);
      return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  static <V> ProducerRecord<String, V> record(String topic, String zone, V value, String traceparent) {
    ProducerRecord<String, V> record = new ProducerRecord<>(topic, zone, value);
    if (traceparent != null) {
      record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }
}
