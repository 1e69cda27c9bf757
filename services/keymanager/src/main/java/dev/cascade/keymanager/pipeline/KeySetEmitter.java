package dev.cascade.keymanager.pipeline;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeyRollProgress;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.KeyUse;
import dev.cascade.events.v1.RollStage;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.keymanager.persistence.StoredKeyRoll;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.messaging.FactTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends a zone's whole current key set, each key's use and the rolls in progress, as KeySetChanged to {@code
 * cascade.key-sets.v1}, keyed by zone apex, in the caller's trace context, in a Kafka transaction of its own ({@link
 * FactTransactions}, issue 9): fenced by the consumer group membership of the registry event being handled (or, for the
 * roll timer, by the producer epoch alone), so an instance whose zones went to another replica (a zombie)
 * announces nothing, and committed before it returns, so the key manager records the announcement only once it is on
 * the bus. Private keys go out exactly as stored, AES-GCM-wrapped.
 */
@ApplicationScoped
public class KeySetEmitter {

  private final FactTransactions transactions;
  private final String producer;

  public KeySetEmitter(
      FactTransactions transactions, @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.transactions = transactions;
    this.producer = producer;
  }

  /**
   * @param occurredAt when the key set changed: the retirement time of keys it no longer holds
   * @throws FencedWriteException when this instance, or the event it handles, was fenced: the key set is aborted and
   *     must not be recorded
   */
  void keySetChanged(
      String zone, long dnskeyTtl, List<StoredZoneKey> keys, List<StoredKeyRoll> rolls, String causationId,
      Instant occurredAt) {
    KeySetChanged event =
        KeySetChanged.newBuilder()
            .setMetadata(EventMetadataFactory.next(Clock.fixed(occurredAt, ZoneOffset.UTC), producer, causationId))
            .setZone(zone)
            .setDnskeyTtl(dnskeyTtl)
            .setKeys(keys.stream().map(KeySetEmitter::toEvent).toList())
            .setRolls(rolls.stream().map(KeySetEmitter::toEvent).toList())
            .build();
    transactions.write(Topics.KEY_SETS, zone, event);
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
        .setUse(new KeyUse(key.published, key.signsKeys, key.signsZone, key.atParent))
        .build();
  }

  /** A roll names its keys by reference, as the key set does. */
  private static KeyRollProgress toEvent(StoredKeyRoll roll) {
    KeyRoll progress = roll.roll();
    return KeyRollProgress.newBuilder()
        .setRollType(progress.type().name())
        .setNewKeys(progress.newKeys().stream().map(StoredZoneKey::reference).toList())
        .setOldKeys(progress.oldKeys().stream().map(StoredZoneKey::reference).toList())
        .setPhase(progress.phase())
        .setStage(RollStage.valueOf(progress.stage().name()))
        .setSince(progress.since())
        .setTtlSeconds(progress.ttl().toSeconds())
        .build();
  }
}
