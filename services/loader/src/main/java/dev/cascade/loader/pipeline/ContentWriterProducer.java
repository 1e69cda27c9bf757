package dev.cascade.loader.pipeline;

import dev.cascade.content.BackgroundSnapshots;
import dev.cascade.content.ContentWriter;
import dev.cascade.events.Topics;
import dev.cascade.service.kafka.KafkaSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One {@link ContentWriter} (a raw Kafka producer with the Apicurio Avro serde) for the whole service, and the
 * {@link BackgroundSnapshots} of its versions with a writer of their own, built from the same broker and registry
 * settings as the messaging channels and closed on shutdown.
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

  @Produces
  @Singleton
  BackgroundSnapshots snapshots(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    return new BackgroundSnapshots(contentWriter(bootstrapServers, registryUrl), Topics.UNSIGNED_CONTENT,
        BackgroundSnapshots.DELAY);
  }

  void close(@Disposes ContentWriter writer) {
    writer.close();
  }

  void close(@Disposes BackgroundSnapshots snapshots) {
    snapshots.close();
  }
}
