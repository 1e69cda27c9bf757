package dev.cascade.service.kafka;

import dev.cascade.events.registry.SchemaRegistration;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Client settings for the content topics: string keys (the zone apex), Avro values through the registry. */
public final class KafkaSettings {

  /**
   * The registry URL decides the client API: a URL ending in {@code /apis/registry/v2} makes the 3.x serde
   * talk v2 to a 2.4 registry (stack-notes §4); a v3 URL talks to a 3.x registry.
   */
  private static final String REGISTRY_URL = "apicurio.registry.url";

  public static Map<String, Object> producer(String bootstrapServers, String registryUrl) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
    // A version is only announced after every chunk is acknowledged by all in-sync replicas.
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Chunks hold wire-format records, which repeat owner-name suffixes and RDATA patterns: LZ4 takes their size on
    // the topic (kept forever, see docs/architecture.md) to 45 % (signed) and 36 % (unsigned) of the wire size of a
    // 1 M-delegation zone (docs/benchmark.md) at a small fraction of gzip's CPU time. Batches are compressed by the
    // producer and kept so by the broker.
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(REGISTRY_URL, registryUrl);
    // The schemas are registered by the deploy step; the producer only looks its own up (issue 9).
    config.putAll(SchemaRegistration.PRODUCER_SETTINGS);
    return config;
  }

  public static Map<String, Object> consumer(String bootstrapServers, String registryUrl) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
    // The reader assigns partitions and seeks itself: no group, nothing committed.
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(REGISTRY_URL, registryUrl);
    config.put("apicurio.registry.use-specific-avro-reader", true);
    return config;
  }

  /**
   * Settings of a consumer that reads a topic's history for a restore or a rebuild ({@link TopicHistory}, {@link
   * RebuildHistory}): as {@link #consumer}, but a record that cannot be decoded comes back with a null value
   * ({@link UndecodableAsNull}) for the reader to skip, as the channel skipped it, instead of stopping every read.
   */
  public static Map<String, Object> historyConsumer(String bootstrapServers, String registryUrl) {
    Map<String, Object> config = consumer(bootstrapServers, registryUrl);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, UndecodableAsNull.class.getName());
    return config;
  }

  private KafkaSettings() {}
}
