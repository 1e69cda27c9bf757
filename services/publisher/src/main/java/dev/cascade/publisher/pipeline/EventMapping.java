package dev.cascade.publisher.pipeline;

import dev.cascade.content.ContentManifests;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.publisher.domain.ContentRef;
import dev.cascade.publisher.domain.SignedVersion;
import dev.cascade.service.ZoneApex;

/** Explicit conversions between the Avro events of shared-events and the publisher's domain types. */
final class EventMapping {

  /** {@code quarkus.application.name} of this service: the {@code producer} of every event it writes. */
  static final String PRODUCER = "publisher";

  private EventMapping() {}

  /** The signed version of {@code signed}, received in the trace of {@code traceparent} (null: none known). */
  static SignedVersion signedVersion(String zone, ZoneVersionSigned signed, String traceparent) {
    return new SignedVersion(
        ZoneApex.canonical(zone),
        signed.getVersionId(),
        signed.getUnsignedSerial(),
        signed.getSignedSerial(),
        ref(signed.getContent()),
        traceparent);
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
