package dev.cascade.keymanager.pipeline;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends a zone's whole current key set as KeySetChanged to {@code cascade.key-sets.v1}, keyed by zone apex. Private
 * keys go out exactly as stored, AES-GCM-wrapped; the returned Uni completes when Kafka has acknowledged the record.
 */
@ApplicationScoped
public class KeySetEmitter {

  private final MutinyEmitter<KeySetChanged> emitter;
  private final String producer;

  public KeySetEmitter(
      @Channel(Channels.KEY_SETS) MutinyEmitter<KeySetChanged> emitter,
      @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.emitter = emitter;
    this.producer = producer;
  }

  /** @param occurredAt when the key set changed: the retirement time of keys it no longer holds */
  Uni<Void> keySetChanged(
      String zone, long dnskeyTtl, List<StoredZoneKey> keys, String causationId, Instant occurredAt) {
    KeySetChanged event =
        KeySetChanged.newBuilder()
            .setMetadata(EventMetadataFactory.next(Clock.fixed(occurredAt, ZoneOffset.UTC), producer, causationId))
            .setZone(zone)
            .setDnskeyTtl(dnskeyTtl)
            .setKeys(keys.stream().map(KeySetEmitter::toEvent).toList())
            .build();
    Message<KeySetChanged> message =
        Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(zone).build());
    return emitter.sendMessage(message);
  }

  private static ZoneKey toEvent(StoredZoneKey key) {
    return ZoneKey.newBuilder()
        .setKeyTag(key.keyTag)
        .setAlgorithm(key.algorithm)
        .setFlags(key.flags)
        .setRole(KeyRole.valueOf(key.role.name()))
        .setPublicKey(key.publicKey)
        .setWrappedPrivateKey(ByteBuffer.wrap(key.wrappedPrivateKey))
        .setReference(key.reference())
        .setCreatedAt(key.createdAt)
        .setExpiresAt(key.expiresAt)
        .build();
  }
}
