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
  /** The operator's keyset commands ({@code KeysetCommandGiven}): review-gateway writes, keymanager applies. */
  public static final String KEYSET_COMMANDS = "cascade.keyset-commands.v1";
  /**
   * The operator's halt decisions ({@code ZoneHaltFact}: halted, resumed, reset): review-gateway writes and replays
   * them into its projection.
   */
  public static final String ZONE_HALTS = "cascade.zone-halts.v1";
  /** The DS RRset each zone's parent is to hold, and the submission hook's runs ({@code DsSubmissionFact}). */
  public static final String DS_SUBMISSIONS = "cascade.ds-submissions.v1";
  /**
   * The TSIG keys ({@code TsigKeyFact}, RFC 8945): review-gateway writes, every service that signs or verifies with
   * TSIG reads it whole. Keyed by key name, not zone apex: a key is shared by zones and servers. Compacted, so it
   * keeps the latest fact of each key.
   */
  public static final String TSIG_KEYS = "cascade.tsig-keys.v1";

  /** NOTIFYs a zone's primary sent to the publication server ({@code ZoneNotifyReceived}): the loader refreshes. */
  public static final String ZONE_NOTIFIES = "cascade.zone-notifies.v1";

  /** The NOTIFY rounds the publisher sent to the secondaries ({@code ZoneNotifiesSent}), one per serial: history. */
  public static final String NOTIFIES_SENT = "cascade.notifies-sent.v1";

  /**
   * How far the loader, the signer and the publisher have got in a long step ({@code StepProgressed}): one topic per
   * writer, like every other. Throw-away information, unlike the facts: created with a short retention
   * ({@link #PROGRESS_RETENTION_MS}), and nothing is rebuilt from it.
   */
  public static final String LOAD_PROGRESS = "cascade.load-progress.v1";
  public static final String SIGN_PROGRESS = "cascade.sign-progress.v1";
  public static final String PUBLISH_PROGRESS = "cascade.publish-progress.v1";

  /**
   * What the key manager's latest propagation check of each key roll saw ({@code PropagationChecked}): throw-away
   * like the progress topics, and created with their retention.
   */
  public static final String ROLL_CHECKS = "cascade.roll-checks.v1";

  /** The progress topics, which are created with {@link #PROGRESS_RETENTION_MS} instead of unlimited retention. */
  public static final List<String> PROGRESS = List.of(LOAD_PROGRESS, SIGN_PROGRESS, PUBLISH_PROGRESS, ROLL_CHECKS);

  /**
   * Retention of the progress topics: one hour, so an operator can still look at the last progress of a step that
   * just went wrong, while a topic written once a second per busy zone stays small; no official reference.
   */
  public static final long PROGRESS_RETENTION_MS = 3_600_000L;

  /**
   * The records a service could not handle ({@code EventDeadLettered}): one topic per service, named after it
   * ({@link #deadLetters}), so each keeps a single writer. Kept as long as the facts they point at.
   */
  public static final List<String> DEAD_LETTER_WRITERS =
      List.of("loader", "keymanager", "signer", "publisher", "review-gateway");

  /** The dead-letter topic of {@code service} (its {@code quarkus.application.name}). */
  public static String deadLetters(String service) {
    return "cascade." + service + "-dead-letters.v1";
  }

  /** Whether {@code topic} is one of the dead-letter topics. */
  public static boolean isDeadLetters(String topic) {
    return DEAD_LETTER_WRITERS.stream().anyMatch(service -> deadLetters(service).equals(topic));
  }

  public static final List<Topic> ALL =
      List.of(
          new Topic(ZONE_REGISTRY, "review-gateway", dev.cascade.events.v1.ZoneRegistryFact.class),
          new Topic(ZONE_REVIEWS, "review-gateway", dev.cascade.events.v1.ZoneVersionReviewed.class),
          new Topic(UNSIGNED_VERSIONS, "loader", dev.cascade.events.v1.UnsignedVersionFact.class),
          new Topic(UNSIGNED_CONTENT, "loader", dev.cascade.events.v1.ZoneContentChunk.class),
          new Topic(KEY_SETS, "keymanager", dev.cascade.events.v1.KeySetChanged.class),
          new Topic(SIGNED_VERSIONS, "signer", dev.cascade.events.v1.SignedVersionFact.class),
          new Topic(SIGNED_CONTENT, "signer", dev.cascade.events.v1.ZoneContentChunk.class),
          new Topic(PUBLISHED_VERSIONS, "publisher", dev.cascade.events.v1.ZoneVersionPublished.class),
          new Topic(LOAD_PROGRESS, "loader", dev.cascade.events.v1.StepProgressed.class),
          new Topic(SIGN_PROGRESS, "signer", dev.cascade.events.v1.StepProgressed.class),
          new Topic(PUBLISH_PROGRESS, "publisher", dev.cascade.events.v1.StepProgressed.class),
          new Topic(ROLL_CHECKS, "keymanager", dev.cascade.events.v1.PropagationChecked.class),
          new Topic(deadLetters("loader"), "loader", dev.cascade.events.v1.EventDeadLettered.class),
          new Topic(deadLetters("keymanager"), "keymanager", dev.cascade.events.v1.EventDeadLettered.class),
          new Topic(deadLetters("signer"), "signer", dev.cascade.events.v1.EventDeadLettered.class),
          new Topic(deadLetters("publisher"), "publisher", dev.cascade.events.v1.EventDeadLettered.class),
          new Topic(deadLetters("review-gateway"), "review-gateway", dev.cascade.events.v1.EventDeadLettered.class),
          new Topic(KEYSET_COMMANDS, "review-gateway", dev.cascade.events.v1.KeysetCommandGiven.class),
          new Topic(ZONE_HALTS, "review-gateway", dev.cascade.events.v1.ZoneHaltFact.class),
          new Topic(DS_SUBMISSIONS, "keymanager", dev.cascade.events.v1.DsSubmissionFact.class),
          new Topic(TSIG_KEYS, "review-gateway", dev.cascade.events.v1.TsigKeyFact.class),
          new Topic(ZONE_NOTIFIES, "publisher", dev.cascade.events.v1.ZoneNotifyReceived.class),
          new Topic(NOTIFIES_SENT, "publisher", dev.cascade.events.v1.ZoneNotifiesSent.class));

  private Topics() {}
}
