package dev.cascade.signer.pipeline;

import dev.cascade.content.ContentManifests;
import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.SigningTrigger;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.service.ZoneApex;
import dev.cascade.signer.domain.ContentRef;
import dev.cascade.signer.domain.SignedHead;
import dev.cascade.signer.domain.SigningCause;
import dev.cascade.signer.domain.UnsignedManifest;
import dev.cascade.signer.domain.WrappedKey;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.domain.ZonePolicy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Explicit conversions between the Avro events of shared-events and the signer's domain types. */
final class EventMapping {

  /** {@code quarkus.application.name} of this service: the {@code producer} of every event it writes. */
  static final String PRODUCER = "signer";

  private EventMapping() {}

  static ZonePolicy policy(PolicySnapshot snapshot) {
    return new ZonePolicy(
        SerialPolicy.valueOf(snapshot.getSerialPolicy().name()),
        new SigningPolicy(
            SigningPolicy.Denial.valueOf(snapshot.getDenial().name()),
            snapshot.getNsec3OptOut(),
            snapshot.getNsec3Iterations(),
            salt(snapshot.getNsec3Salt()),
            Duration.ofSeconds(snapshot.getSignatureInceptionOffsetSeconds()),
            Duration.ofSeconds(snapshot.getSignatureLifetimeSeconds()),
            Duration.ofSeconds(snapshot.getSignatureRemainTimeSeconds()),
            Duration.ofSeconds(snapshot.getSignatureRefreshIntervalSeconds())));
  }

  /** Hex salt; empty or "-" (the RFC 5155 §3.3 presentation of an empty salt) mean no salt (RFC 9276 §3.1). */
  static byte[] salt(String hex) {
    String trimmed = hex == null ? "" : hex.trim();
    return trimmed.isEmpty() || trimmed.equals("-") ? new byte[0] : HexFormat.of().parseHex(trimmed);
  }

  static WrappedKeySet keySet(KeySetChanged event) {
    return new WrappedKeySet(
        ZoneApex.canonical(event.getZone()),
        event.getMetadata().getEventId(),
        event.getDnskeyTtl(),
        event.getKeys().stream().map(EventMapping::key).toList(),
        List.copyOf(event.getCdsAndCdnskey()));
  }

  private static WrappedKey key(ZoneKey key) {
    return new WrappedKey(
        key.getKeyTag(),
        key.getAlgorithm(),
        key.getFlags(),
        key.getRole().name(),
        key.getPublicKey(),
        bytes(key.getWrappedPrivateKey()),
        use(key.getUse()),
        key.getPrivateKeyUri());
  }

  /**
   * What the key does in the zone; null when the key manager announced none (a key set from before rolls), and the
   * key then does all its role's jobs. {@code atParent} is the parent's business, not the signer's: the DS RRset is
   * in the parent zone.
   */
  private static KeyUse use(dev.cascade.events.v1.KeyUse use) {
    return use == null ? null : new KeyUse(use.getPublished(), use.getSignsKeys(), use.getSignsZone());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  /** The manifest of {@code loaded}, received in the trace of {@code traceparent} (null: none known). */
  static UnsignedManifest manifest(String zone, ZoneVersionLoaded loaded, String traceparent) {
    return new UnsignedManifest(
        ZoneApex.canonical(zone), loaded.getVersionId(), loaded.getSerial(), ref(loaded.getContent()), traceparent);
  }

  /**
   * The head a ZoneVersionSigned fact (event {@code eventId}) records, for the restore and the rebuild. A fact written
   * before refreshDueAt was carried is due {@code now}, so the timer refreshes the version rather than never (a head
   * without a due time counts as retired).
   */
  static SignedHead signedHead(String zone, ZoneVersionSigned signed, String eventId, Instant now) {
    return new SignedHead(
        zone,
        signed.getVersionId(),
        signed.getUnsignedVersionId() == null ? signed.getVersionId() : signed.getUnsignedVersionId(),
        signed.getUnsignedSerial(),
        signed.getSignedSerial(),
        ref(signed.getContent()),
        signed.getKeySetEventId(),
        eventId,
        signed.getRefreshDueAt() == null ? now : signed.getRefreshDueAt());
  }

  static ContentRef ref(ContentLocation location) {
    return new ContentRef(
        location.getTopic(),
        location.getPartition(),
        location.getFirstOffset(),
        location.getLastOffset(),
        location.getChunkCount(),
        location.getDigest(),
        location.getRecordCount(),
        location.getBase() == null ? null : ContentManifests.toJson(location));
  }

  static SigningTrigger trigger(SigningCause cause) {
    return SigningTrigger.valueOf(cause.name());
  }

  static ContentLocation location(ContentRef ref) {
    if (ref.lineage() != null) {
      return ContentManifests.fromJson(ref.lineage());
    }
    return ContentLocation.newBuilder()
        .setTopic(ref.topic())
        .setPartition(ref.partition())
        .setFirstOffset(ref.firstOffset())
        .setLastOffset(ref.lastOffset())
        .setChunkCount(ref.chunkCount())
        .setDigest(ref.digest())
        .setRecordCount(ref.recordCount())
        .build();
  }
}
