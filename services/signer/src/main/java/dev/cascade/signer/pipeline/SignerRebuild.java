package dev.cascade.signer.pipeline;

import dev.cascade.events.PolicyFacts;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneSigningFailed;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.RebuildHistory;
import dev.cascade.signer.config.SignerConfig;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.RefreshSchedule;
import dev.cascade.signer.domain.SigningStatus;
import dev.cascade.signer.persistence.SignerStore.ApprovalState;
import dev.cascade.signer.persistence.SignerStore.Held;
import dev.cascade.signer.persistence.SignerStore;
import dev.cascade.service.tracing.ZoneSpans;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rebuilds the signer's tables from the log at start ({@link StartupRestore}), after {@link SignedVersionRestore} and
 * before any event is handled: an emptied schema gets back the zones' policies, key sets, manifests, approvals and
 * rejections, the outcome of each signing and each zone's last signed version, so nothing approved is signed again
 * and the next version goes past the last signed serial.
 *
 * <p>The events the signer's group consumed from its four input topics ({@link RebuildHistory}) and every fact of its
 * own topic are applied as the consumers and the signing recorded them, in the order they were written (by record
 * timestamp; a fact is written after the events that led to it), each with the time its event carries. A
 * ZoneSigningFailed of an approval marks it FAILED, one of a re-signing postpones the zone's refresh as the signing
 * did. Nothing is signed, written or announced. When the tables hold every fact that is never deleted (manifests,
 * rejections, key sets, last signed versions, the policy of each zone not removed), nothing is applied.
 */
@ApplicationScoped
public class SignerRebuild extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(SignerRebuild.class);
  /** The topics the signer's group consumes, as its channels in application.properties name them. */
  private static final List<String> INPUTS =
      List.of(Topics.ZONE_REGISTRY, Topics.KEY_SETS, Topics.UNSIGNED_VERSIONS, Topics.ZONE_REVIEWS);

  private final SignerStore store;
  private final SignedVersionRestore restore;
  private final Clock clock;
  private final Map<String, Object> consumerConfig;
  private final String group;

  public SignerRebuild(
      SignerStore store,
      SignedVersionRestore restore,
      Clock clock,
      SignerConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "mp.messaging.incoming.zone-registry.group.id") String group) {
    this.store = store;
    this.restore = restore;
    this.clock = clock;
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, config.registryUrl());
    this.group = group;
  }

  @Override
  protected String what() {
    return "signer projection";
  }

  @Override
  protected StartupRestore after() {
    return restore;
  }

  /** Applies the log to the tables when they lack any of it; returns how many records it applied (0: none lacking). */
  @Override
  protected int restore() {
    RebuildHistory<SpecificRecord, SignedVersionFact> history =
        RebuildHistory.read(consumerConfig, group, INPUTS, Topics.SIGNED_VERSIONS, READ_TIMEOUT);
    if (!lacksAny(history, store.held())) {
      return 0;
    }
    List<ConsumerRecord<String, ? extends SpecificRecord>> log = new ArrayList<>(history.consumed());
    log.addAll(history.own());
    // A stable sort: records with the same timestamp keep their topic order.
    log.sort(Comparator.comparingLong(record -> record.timestamp()));
    LOG.infof("the tables lack facts of the log: replaying %d record(s)", log.size());
    int applied = 0;
    for (ConsumerRecord<String, ? extends SpecificRecord> record : log) {
      if (record.value() != null) {
        apply(record.value(), ZoneSpans.traceparentOf(record));
        applied++;
      }
    }
    return applied;
  }

  private static boolean lacksAny(RebuildHistory<SpecificRecord, SignedVersionFact> history, Held held) {
    Map<String, Boolean> addedLast = new HashMap<>();
    for (ConsumerRecord<String, SpecificRecord> record : history.consumed()) {
      SpecificRecord event = record.value();
      if (event instanceof UnsignedVersionFact unsigned && unsigned.getFact() instanceof ZoneVersionLoaded loaded
          && !held.manifests().contains(loaded.getVersionId())) {
        return true;
      }
      if (event instanceof ZoneVersionReviewed review && review.getStage() == ReviewStage.UNSIGNED
          && review.getDecision() != ReviewDecision.APPROVED && !held.rejections().contains(review.getVersionId())) {
        return true;
      }
      if (event instanceof KeySetChanged keySet && !held.keySetZones().contains(ZoneApex.canonical(keySet.getZone()))) {
        return true;
      }
      if (event instanceof ZoneRegistryFact registry && registry.getFact() instanceof ZoneAdded) {
        addedLast.put(ZoneApex.canonical(registry.getZone()), true);
      } else if (event instanceof ZoneRegistryFact registry && registry.getFact() instanceof ZoneRemoved) {
        addedLast.put(ZoneApex.canonical(registry.getZone()), false);
      }
    }
    for (ConsumerRecord<String, SignedVersionFact> record : history.own()) {
      if (record.value() != null && record.value().getFact() instanceof ZoneVersionSigned
          && !held.signedZones().contains(ZoneApex.canonical(record.value().getZone()))) {
        return true;
      }
    }
    return addedLast.entrySet().stream()
        .anyMatch(zone -> zone.getValue() && !held.policyZones().contains(zone.getKey()));
  }

  /** What the consumer of {@code event}, received in {@code traceparent}, recorded, or the signing that announced it. */
  private void apply(SpecificRecord event, String traceparent) {
    if (event instanceof ZoneRegistryFact registry) {
      String zone = ZoneApex.canonical(registry.getZone());
      if (registry.getFact() instanceof ZoneRemoved) {
        store.forgetZone(zone);
      }
      PolicyFacts.of(registry).ifPresent(policy -> store.savePolicy(zone, EventMapping.policy(policy),
          registry.getMetadata().getEventId(), registry.getMetadata().getOccurredAt()));
    } else if (event instanceof KeySetChanged keySet) {
      store.saveKeySet(EventMapping.keySet(keySet), keySet.getMetadata().getOccurredAt());
    } else if (event instanceof UnsignedVersionFact unsigned) {
      if (unsigned.getFact() instanceof ZoneVersionLoaded loaded) {
        store.saveManifest(EventMapping.manifest(unsigned.getZone(), loaded, traceparent),
            unsigned.getMetadata().getOccurredAt());
      }
    } else if (event instanceof ZoneVersionReviewed review) {
      applyReview(review);
    } else if (event instanceof SignedVersionFact fact) {
      applyOutcome(fact);
    }
  }

  private void applyReview(ZoneVersionReviewed review) {
    if (review.getStage() != ReviewStage.UNSIGNED) {
      return;
    }
    String zone = ZoneApex.canonical(review.getZone());
    Instant at = review.getMetadata().getOccurredAt();
    if (review.getDecision() == ReviewDecision.APPROVED) {
      store.recordApproval(new Approval(zone, review.getVersionId(), review.getSerial(),
          review.getMetadata().getEventId(), review.getContentDigest()), at);
    } else {
      store.recordRejection(zone, review.getVersionId(), review.getSerial(), review.getMetadata().getEventId(), at);
    }
  }

  private void applyOutcome(SignedVersionFact event) {
    String zone = ZoneApex.canonical(event.getZone());
    Instant at = event.getMetadata().getOccurredAt();
    if (event.getFact() instanceof ZoneVersionSigned signed) {
      store.markSigned(
          EventMapping.signedHead(zone, signed, event.getMetadata().getEventId(), clock.instant()),
          at);
      return;
    }
    ZoneSigningFailed failed = (ZoneSigningFailed) event.getFact();
    Optional<ApprovalState> approval = store.findApproval(failed.getVersionId());
    boolean ofApproval = approval.isPresent() && approval.get().status() == SigningStatus.PENDING
        && approval.get().approval().eventId().equals(event.getMetadata().getCausationId());
    if (ofApproval) {
      store.markFailed(failed.getVersionId(), failed.getReason(), at);
    } else {
      // A re-signing that failed (caused by a key set or a due version, not by the approval): it postponed the refresh.
      store.findPolicy(zone).ifPresent(policy -> store.postponeRefresh(zone, RefreshSchedule.retryAt(at,
          policy.signing())));
    }
  }
}
