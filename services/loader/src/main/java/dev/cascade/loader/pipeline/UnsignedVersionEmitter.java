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
import java.time.Instant;
import java.time.ZoneOffset;
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

  /** The precision of an event's occurredAt (timestamp-millis), so the time recorded equals the time announced. */
  private static final Clock MILLIS = Clock.tickMillis(ZoneOffset.UTC);

  private final MutinyEmitter<UnsignedVersionFact> emitter;
  private final String producer;

  public UnsignedVersionEmitter(
      @Channel(Channels.UNSIGNED_VERSIONS) MutinyEmitter<UnsignedVersionFact> emitter,
      @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.emitter = emitter;
    this.producer = producer;
  }

  /**
   * Announces a new unsigned version whose content is already on the content topic.
   *
   * @return when the version was announced, in the millisecond precision the event carries it (the loader records
   *     that time, which a rebuild reads back from the event)
   */
  Uni<Instant> versionLoaded(
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
    UnsignedVersionFact event = fact(zone, loaded, causationId);
    return send(zone, event).replaceWith(event.getMetadata().getOccurredAt());
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
    return send(zone, fact(zone, fact, causationId));
  }

  private UnsignedVersionFact fact(String zone, Object fact, String causationId) {
    return UnsignedVersionFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(MILLIS, producer, causationId))
        .setZone(zone)
        .setFact(fact)
        .build();
  }

  private Uni<Void> send(String zone, UnsignedVersionFact event) {
    Message<UnsignedVersionFact> message =
        Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(zone).build());
    return emitter.sendMessage(message);
  }
}
