package dev.cascade.loader.pipeline;

import dev.cascade.content.ContentWriter;
import dev.cascade.service.kafka.KafkaSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One {@link ContentWriter} (a raw Kafka producer with the Apicurio Avro serde) for the whole service, built from the
 * same broker and registry settings as the messaging channels and closed on shutdown.
 */
@Singleton
public class ContentWriterProducer {

  @Produces
  @Singleton
  ContentWriter contentWriter(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    return new ContentWriter(KafkaSettings.producer(bootstrapServers, registryUrl));
  }

  void close(@Disposes ContentWriter writer) {
    writer.close();
  }
}
