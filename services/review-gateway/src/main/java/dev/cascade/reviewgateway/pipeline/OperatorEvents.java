package dev.cascade.reviewgateway.pipeline;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.KeyRemovalRequested;
import dev.cascade.events.v1.KeyRollStepRequested;
import dev.cascade.events.v1.KeysetCommandGiven;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneHaltFact;
import dev.cascade.events.v1.ZoneHalted;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneReset;
import dev.cascade.events.v1.ZoneResumed;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.reviewgateway.domain.GateStage;
import dev.cascade.reviewgateway.domain.KeyImports;
import dev.cascade.reviewgateway.domain.Policy;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Writes the topics review-gateway owns: {@code cascade.zone-registry.v1} (what the operator did to the set of
 * zones), {@code cascade.zone-reviews.v1} (decisions at the review gates) and {@code cascade.keyset-commands.v1} (the
 * operator's keyset commands) and {@code cascade.zone-halts.v1} (the operator's halt, resume and reset). Every record is keyed by the zone apex
 * so all facts about one zone stay in order. The returned {@link Uni} completes when Kafka acknowledged the record.
 */
@ApplicationScoped
public class OperatorEvents {

  /** {@code EventMetadata.producer}: the service name. */
  static final String PRODUCER = "review-gateway";

  private final MutinyEmitter<ZoneRegistryFact> registry;
  private final MutinyEmitter<ZoneVersionReviewed> reviews;
  private final MutinyEmitter<KeysetCommandGiven> keysetCommands;
  private final MutinyEmitter<ZoneHaltFact> halts;

  public OperatorEvents(
      @Channel("zone-registry") MutinyEmitter<ZoneRegistryFact> registry,
      @Channel("zone-reviews") MutinyEmitter<ZoneVersionReviewed> reviews,
      @Channel("keyset-commands") MutinyEmitter<KeysetCommandGiven> keysetCommands,
      @Channel("zone-halts") MutinyEmitter<ZoneHaltFact> halts) {
    this.registry = registry;
    this.reviews = reviews;
    this.keysetCommands = keysetCommands;
    this.halts = halts;
  }

  /** {@code ZoneHaltFact{ZoneHalted}}: the operator halted the zone, for {@code reason}. */
  public Uni<Void> halted(String zone, String reason, String decidedBy) {
    return sendHalt(zone, new ZoneHalted(reason, decidedBy));
  }

  /** {@code ZoneHaltFact{ZoneResumed}}: the operator lifted their halt. */
  public Uni<Void> resumed(String zone, String decidedBy) {
    return sendHalt(zone, new ZoneResumed(decidedBy));
  }

  /** {@code ZoneHaltFact{ZoneReset}}: the operator reset the halted zone, dropping version {@code versionId}. */
  public Uni<Void> reset(String zone, String decidedBy, String versionId) {
    return sendHalt(zone, new ZoneReset(decidedBy, versionId));
  }

  private Uni<Void> sendHalt(String zone, Object fact) {
    ZoneHaltFact event = ZoneHaltFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), PRODUCER, null))
        .setZone(zone)
        .setFact(fact)
        .build();
    return halts.sendMessage(keyed(zone, event));
  }

  /** {@code KeysetCommandGiven{KeyRollStepRequested}}: the operator asked for a roll step. */
  public Uni<Void> rollStepRequested(String zone, String variant, String step, Long ttlSeconds) {
    return sendKeysetCommand(zone, new KeyRollStepRequested(variant, step, ttlSeconds));
  }

  /** {@code KeysetCommandGiven{KeyRemovalRequested}}: the operator asked for a key's removal. */
  public Uni<Void> keyRemovalRequested(String zone, String reference, boolean force, boolean continueRoll) {
    return sendKeysetCommand(zone, new KeyRemovalRequested(reference, force, continueRoll));
  }

  private Uni<Void> sendKeysetCommand(String zone, Object fact) {
    KeysetCommandGiven event = KeysetCommandGiven.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), PRODUCER, null))
        .setZone(zone)
        .setFact(fact)
        .build();
    return keysetCommands.sendMessage(keyed(zone, event));
  }

  /**
   * {@code ZoneAdded}: the zone with a snapshot of its policy, the absolute path of its zone file and the keys the
   * operator imported (private halves wrapped), if any.
   */
  public Uni<Void> zoneAdded(String zone, Policy policy, String source, List<KeyImports.Sealed> importedKeys) {
    return sendRegistry(zone, new ZoneAdded(EventMapping.snapshot(policy), source,
        EventMapping.importedKeys(importedKeys)));
  }

  /**
   * {@code ZoneReloadRequested}: the operator asked for the zone's next version, read from {@code source} (a reload,
   * or a new source), with {@code policy} from then on (policy reload, set-policy), or null to keep the zone's.
   */
  public Uni<Void> reloadRequested(String zone, String source, Policy policy) {
    return sendRegistry(zone, new ZoneReloadRequested(source, policy == null ? null : EventMapping.snapshot(policy)));
  }

  /** {@code ZoneRemoved}. */
  public Uni<Void> removed(String zone, String reason) {
    return sendRegistry(zone, new ZoneRemoved(reason));
  }

  /**
   * {@code ZoneVersionReviewed}; {@code serial} is the unsigned serial at the UNSIGNED gate and the signed serial at
   * the SIGNED gate, {@code contentDigest} the digest of the content decided on, {@code note} what the reviewer said
   * (a review hook's outcome), null for nothing.
   */
  public Uni<Void> reviewed(
      String eventId, String causationId, String zone, GateStage stage, String versionId, long serial,
      String contentDigest, boolean approved, String reviewer, String note) {
    return sendReview(eventId, causationId, zone, stage, versionId, serial, contentDigest, approved, reviewer, note,
        false);
  }

  /**
   * {@code ZoneVersionReviewed{override = true}}: {@code cascade zone override}, the approval of the version whose
   * rejection halted the zone; the signer (unsigned) or the publisher (signed) takes it as any approval.
   */
  public Uni<Void> overridden(
      String zone, GateStage stage, String versionId, long serial, String contentDigest, String reviewer) {
    return sendReview(UUID.randomUUID().toString(), null, zone, stage, versionId, serial, contentDigest, true,
        reviewer, "override", true);
  }

  private Uni<Void> sendReview(
      String eventId, String causationId, String zone, GateStage stage, String versionId, long serial,
      String contentDigest, boolean approved, String reviewer, String note, boolean override) {
    ZoneVersionReviewed event = ZoneVersionReviewed.newBuilder()
        .setMetadata(EventMetadataFactory.of(eventId, Clock.systemUTC(), PRODUCER, causationId))
        .setZone(zone)
        .setStage(ReviewStage.valueOf(stage.name()))
        .setVersionId(versionId)
        .setSerial(serial)
        .setDecision(approved ? ReviewDecision.APPROVED : ReviewDecision.REJECTED)
        .setReviewer(reviewer)
        .setContentDigest(contentDigest)
        .setNote(note)
        .setOverride(override)
        .build();
    return reviews.sendMessage(keyed(zone, event));
  }

  private Uni<Void> sendRegistry(String zone, Object fact) {
    ZoneRegistryFact event = ZoneRegistryFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), PRODUCER, null))
        .setZone(zone)
        .setFact(fact)
        .build();
    return registry.sendMessage(keyed(zone, event));
  }

  private static <T> Message<T> keyed(String zone, T payload) {
    return Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(zone).build());
  }
}
