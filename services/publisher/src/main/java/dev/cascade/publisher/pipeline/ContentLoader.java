package dev.cascade.publisher.pipeline;

import dev.cascade.content.ContentReader;
import dev.cascade.content.KafkaSettings;
import dev.cascade.publisher.domain.ContentRef;
import dev.cascade.publisher.domain.InvalidZoneException;
import dev.cascade.publisher.domain.ZoneSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Reads a zone version from its content topic into a servable snapshot, record by record as the chunks arrive, so a
 * large zone is held once, compactly, and never as a list of records. The reader checks chunk sequence, record count
 * and digest; this class adds that the SOA serial is the one the event announced.
 */
@ApplicationScoped
public class ContentLoader {

  private final Map<String, Object> consumerConfig;

  public ContentLoader(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    this.consumerConfig = KafkaSettings.consumer(bootstrapServers, registryUrl);
  }

  /**
   * Reads and checks one version (blocking: call on a worker thread).
   *
   * @throws InvalidZoneException if the content cannot be read, does not match its manifest or is not a zone with
   *     the expected serial
   */
  ZoneSnapshot load(String zone, String versionId, ContentRef content, long expectedSerial)
      throws InvalidZoneException {
    Name origin;
    try {
      origin = Name.fromString(zone, Name.root);
    } catch (TextParseException e) {
      throw new InvalidZoneException("zone name " + zone + " is invalid: " + e.getMessage());
    }
    ZoneSnapshot.Builder builder = ZoneSnapshot.builder(origin, versionId);
    try (ContentReader reader = new ContentReader(consumerConfig)) {
      reader.read(EventMapping.location(content), zone, versionId, builder::add);
    } catch (RuntimeException e) {
      throw new InvalidZoneException("cannot read content: " + e.getMessage());
    }
    ZoneSnapshot snapshot = builder.build();
    if (snapshot.serial() != expectedSerial) {
      throw new InvalidZoneException("SOA serial " + snapshot.serial() + " differs from announced " + expectedSerial);
    }
    return snapshot;
  }
}
