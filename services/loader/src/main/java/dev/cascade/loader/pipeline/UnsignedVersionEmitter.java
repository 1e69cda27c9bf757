package dev.cascade.loader.pipeline;

import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneLoadFailed;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.loader.domain.LoadOutcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Builds and sends UnsignedVersionFact records to {@code cascade.unsigned-versions.v1}, keyed by zone apex so all
 * facts about one zone stay in order. Each returned Uni completes when Kafka has acknowledged the record.
 */
@ApplicationScoped
public class UnsignedVersionEmitter {

  private final MutinyEmitter<UnsignedVersionFact> emitter;
  private final String producer;

  public UnsignedVersionEmitter(
      @Channel(Channels.UNSIGNED_VERSIONS) MutinyEmitter<UnsignedVersionFact> emitter,
      @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.emitter = emitter;
    this.producer = producer;
  }

  /** Announces a new unsigned version whose content is already on the content topic. */
  Uni<Void> versionLoaded(
      String zone,
      String source,
      String versionId,
      ParsedZone parsed,
      ContentLocation content,
      String causationId) {
    ZoneVersionLoaded loaded =
        ZoneVersionLoaded.newBuilder()
            .setVersionId(versionId)
            .setSerial(parsed.serial())
            .setSource(source)
            .setByteCount(parsed.byteCount())
            .setContent(content)
            .setWarnings(List.copyOf(parsed.warnings()))
            .build();
    return send(zone, loaded, causationId);
  }

  /** Announces that a zone file could not be loaded. */
  Uni<Void> loadFailed(String zone, LoadOutcome.Failed failed, String causationId) {
    ZoneLoadFailed fact =
        ZoneLoadFailed.newBuilder()
            .setSource(failed.source())
            .setFile(failed.file())
            .setLine(failed.line())
            .setReason(failed.reason())
            .build();
    return send(zone, fact, causationId);
  }

  private Uni<Void> send(String zone, Object fact, String causationId) {
    UnsignedVersionFact event =
        UnsignedVersionFact.newBuilder()
            .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), producer, causationId))
            .setZone(zone)
            .setFact(fact)
            .build();
    Message<UnsignedVersionFact> message =
        Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(zone).build());
    return emitter.sendMessage(message);
  }
}
