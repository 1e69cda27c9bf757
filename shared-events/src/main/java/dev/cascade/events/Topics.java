package dev.cascade.events;

import java.util.List;

/**
 * The catalogue of Kafka topics: each has exactly one writing service, is keyed by zone apex (so every fact
 * about one zone stays in order on one partition) and carries one Avro record type from this module.
 *
 * <p>Names follow {@code cascade.<fact>.v<major>}: an additive schema change stays in {@code v1}; a breaking one
 * gets a new topic (house-style §5).
 */
public final class Topics {

  /** A topic, the one service that writes it, and the Avro record its values hold. */
  public record Topic(String name, String writer, Class<?> valueType) {}

  public static final String ZONE_REGISTRY = "cascade.zone-registry.v1";
  public static final String ZONE_REVIEWS = "cascade.zone-reviews.v1";
  public static final String UNSIGNED_VERSIONS = "cascade.unsigned-versions.v1";
  public static final String UNSIGNED_CONTENT = "cascade.unsigned-content.v1";
  public static final String KEY_SETS = "cascade.key-sets.v1";
  public static final String SIGNED_VERSIONS = "cascade.signed-versions.v1";
  public static final String SIGNED_CONTENT = "cascade.signed-content.v1";
  public static final String PUBLISHED_VERSIONS = "cascade.published-versions.v1";

  public static final List<Topic> ALL =
      List.of(
          new Topic(ZONE_REGISTRY, "review-gateway", dev.cascade.events.v1.ZoneRegistryFact.class),
          new Topic(ZONE_REVIEWS, "review-gateway", dev.cascade.events.v1.ZoneVersionReviewed.class),
          new Topic(UNSIGNED_VERSIONS, "loader", dev.cascade.events.v1.UnsignedVersionFact.class),
          new Topic(UNSIGNED_CONTENT, "loader", dev.cascade.events.v1.ZoneContentChunk.class),
          new Topic(KEY_SETS, "keymanager", dev.cascade.events.v1.KeySetChanged.class),
          new Topic(SIGNED_VERSIONS, "signer", dev.cascade.events.v1.SignedVersionFact.class),
          new Topic(SIGNED_CONTENT, "signer", dev.cascade.events.v1.ZoneContentChunk.class),
          new Topic(PUBLISHED_VERSIONS, "publisher", dev.cascade.events.v1.ZoneVersionPublished.class));

  private Topics() {}
}
