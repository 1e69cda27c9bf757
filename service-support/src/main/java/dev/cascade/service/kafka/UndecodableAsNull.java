package dev.cascade.service.kafka;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.kafka.common.header.Headers;

/**
 * The Avro deserializer of the history readers' consumers ({@link KafkaSettings#historyConsumer}, for {@link
 * TopicHistory} and {@link RebuildHistory}): a record it cannot decode becomes null, as on the services' channels
 * ({@code fail-on-deserialization-failure=false}), where such a record was set aside and never reached the tables;
 * the restores and rebuilds skip it likewise. Thrown on, it would stop every read of the topic and keep a restore or
 * rebuild from ever finishing.
 */
public class UndecodableAsNull extends AvroKafkaDeserializer<Object> {

  @Override
  public Object deserialize(String topic, byte[] data) {
    try {
      return super.deserialize(topic, data);
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public Object deserialize(String topic, Headers headers, byte[] data) {
    try {
      return super.deserialize(topic, headers, data);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
