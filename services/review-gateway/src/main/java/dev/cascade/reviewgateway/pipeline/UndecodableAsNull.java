package dev.cascade.reviewgateway.pipeline;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.kafka.common.header.Headers;

/**
 * The Avro deserializer of {@link ProjectionRebuild}'s readers: a record it cannot decode becomes null, as on the
 * consumer's channel ({@code fail-on-deserialization-failure=false}), where such a record was set aside and never
 * reached the projection. Thrown on, it would stop every read of the topic and keep the rebuild from ever finishing.
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
