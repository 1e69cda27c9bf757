package dev.cascade.publisher.pipeline;

import dev.cascade.content.ContentReaders;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.publisher.domain.ContentRef;
import dev.cascade.publisher.domain.InvalidZoneException;
import dev.cascade.publisher.domain.ZoneSnapshot;
import dev.cascade.service.kafka.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Reads a zone version from its content topic into a servable snapshot, chunk by chunk into compact form as the chunks
 * arrive, so a large zone is held once, compactly, and never as a list of records. The reader checks chunk sequence,
 * record count and digest, the snapshot that the records form the zone; this class adds that the SOA serial is the
 * one the event announced.
 */
@ApplicationScoped
public class ContentLoader {

  private final ContentReaders readers;

  public ContentLoader(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    this.readers = new ContentReaders(KafkaSettings.consumer(bootstrapServers, registryUrl));
  }

  /**
   * Reads and checks one version (blocking: call on a worker thread). A version written as its difference from the
   * version {@code held} serves is made from it by reading only the difference; any other is read whole, or rebuilt
   * from its chain; {@code progress} is told the records read of a version read whole (a difference is read in
   * moments and not counted).
   *
   * @throws InvalidZoneException if the content cannot be read, does not match its manifest or is not a zone with
   *     the expected serial
   */
  ZoneSnapshot load(String zone, String versionId, ContentRef content, long expectedSerial, Optional<ZoneSnapshot> held,
      Progress progress) throws InvalidZoneException {
    Name origin;
    try {
      origin = Name.fromString(zone, Name.root);
    } catch (TextParseException e) {
      throw new InvalidZoneException("zone name " + zone + " is invalid: " + e.getMessage());
    }
    ContentLocation where = EventMapping.location(content);
    Optional<ZoneSnapshot> base = held.filter(snapshot -> snapshot.versionId().equals(where.getBase()));
    ZoneSnapshot snapshot;
    try {
      snapshot = readers.read(reader -> base.isPresent()
          ? base.get().apply(versionId, reader.readDifference(where, zone, versionId))
          : ZoneSnapshot.of(origin, versionId, reader.readCompact(where, zone, versionId, progress)));
    } catch (RuntimeException e) {
      throw new InvalidZoneException("cannot read content: " + e.getMessage());
    }
    if (snapshot.size() != where.getRecordCount()) {
      throw new InvalidZoneException("the content makes " + snapshot.size() + " records, not " + where.getRecordCount());
    }
    if (snapshot.serial() != expectedSerial) {
      throw new InvalidZoneException("SOA serial " + snapshot.serial() + " differs from announced " + expectedSerial);
    }
    return snapshot;
  }

  @PreDestroy
  void close() {
    readers.close();
  }
}
