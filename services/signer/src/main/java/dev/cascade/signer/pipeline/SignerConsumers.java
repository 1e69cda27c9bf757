package dev.cascade.signer.pipeline;

import dev.cascade.events.PolicyFacts;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.messaging.EventHandling;
import dev.cascade.service.tracing.ZoneSpans;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.persistence.SignerStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The signer's four consumers. Each runs on a worker thread ({@code @Blocking}, in order per channel) through
 * {@link EventHandling#exactlyOnce}: inside its message's trace, tried again with backoff when it fails, and set aside
 * on the signer's dead-letter topic when it still fails, so one bad event cannot stop the channel and never goes
 * unseen (signing failures are events of their own, see {@link SigningService}). The facts a handler announces are
 * fenced by the consumer group membership its event was consumed under, and the event's offset is committed in a
 * Kafka transaction once the handler is done (issue 9, exactly-once): an instance whose zones moved to another
 * replica meanwhile announces nothing. None handles an event before
 * {@link SignedVersionRestore} has brought the tables up to the signer's own topic and {@link SignerRebuild} has
 * rebuilt them from the events the signer's group consumed before (an emptied schema).
 */
@ApplicationScoped
public class SignerConsumers {

  private static final Logger LOG = Logger.getLogger(SignerConsumers.class);

  private final SignerStore store;
  private final SigningService signing;
  private final SignerRebuild rebuild;
  private final EventHandling handling;

  public SignerConsumers(
      SignerStore store, SigningService signing, SignerRebuild rebuild, EventHandling handling) {
    this.store = store;
    this.signing = signing;
    this.rebuild = rebuild;
    this.handling = handling;
  }

  /**
   * ZoneAdded: keep the policy snapshot; ZoneReloadRequested with a policy (policy reload, zone set-policy): keep the
   * new one, which the zone's next signing uses (a new version, new keys, a signature refresh); ZoneRemoved: forget it.
   */
  @Incoming("zone-registry")
  @Blocking
  public CompletionStage<Void> onZoneRegistry(Message<ZoneRegistryFact> message) {
    rebuild.await();
    return handling.exactlyOnce(message, () -> {
      ZoneRegistryFact event = message.getPayload();
      String zone = ZoneApex.canonical(event.getZone());
      Optional<PolicySnapshot> policy = PolicyFacts.of(event);
      if (policy.isPresent()) {
        store.savePolicy(zone, EventMapping.policy(policy.get()), event.getMetadata().getEventId(),
            event.getMetadata().getOccurredAt());
        if (event.getFact() instanceof ZoneAdded) {
          signing.signPending(zone);
        } else {
          LOG.infof("zone %s: signing settings of policy %s in effect from its next signing", zone,
              policy.get().getName());
        }
      } else if (event.getFact() instanceof ZoneRemoved) {
        store.forgetZone(zone);
        signing.forget(zone);
        LOG.infof("zone %s removed: policy and pending approvals forgotten", zone);
      }
    });
  }

  /**
   * KeySetChanged: keep the latest key set (wrapped), sign what waited for it, then re-sign the zone's last signed
   * version if other keys made it (reference notes §6, "a change in signing keys") and no newer version is on its way
   * to being signed with the new keys anyway. A set that signs as the last one did (only a roll's progress changed,
   * or a KEK rotation) is carried over to the last signed version instead: no new version for nothing.
   */
  @Incoming("key-sets")
  @Blocking
  public CompletionStage<Void> onKeySet(Message<KeySetChanged> message) {
    rebuild.await();
    return handling.exactlyOnce(message, () -> {
      WrappedKeySet keySet = EventMapping.keySet(message.getPayload());
      Optional<WrappedKeySet> previous = store.findKeySet(keySet.zone());
      store.saveKeySet(keySet, message.getPayload().getMetadata().getOccurredAt());
      if (previous.isPresent() && previous.get().signsAs(keySet)) {
        store.carryKeySet(keySet.zone(), previous.get().eventId(), keySet.eventId());
      }
      LOG.infof("zone %s: key set %s with %d keys", keySet.zone(), keySet.eventId(), keySet.keys().size());
      signing.signPending(keySet.zone());
      signing.resignIfNeeded(keySet.zone());
    });
  }

  /** ZoneVersionLoaded: keep the manifest and sign the version if it was approved before it arrived. */
  @Incoming("unsigned-versions")
  @Blocking
  public CompletionStage<Void> onUnsignedVersion(Message<UnsignedVersionFact> message) {
    rebuild.await();
    return handling.exactlyOnce(message, () -> {
      UnsignedVersionFact event = message.getPayload();
      if (event.getFact() instanceof ZoneVersionLoaded loaded) {
        store.saveManifest(EventMapping.manifest(event.getZone(), loaded, ZoneSpans.traceparentOf(EventHandling.record(message))),
            event.getMetadata().getOccurredAt());
        signing.trySign(loaded.getVersionId());
      }
    });
  }

  /**
   * UNSIGNED + APPROVED: sign that version (now, or when its missing inputs arrive). UNSIGNED + REJECTED: the version
   * will never be signed, so a re-signing it held back may go ahead.
   */
  @Incoming("zone-reviews")
  @Blocking
  public CompletionStage<Void> onReview(Message<ZoneVersionReviewed> message) {
    rebuild.await();
    return handling.exactlyOnce(message, () -> {
      ZoneVersionReviewed event = message.getPayload();
      if (event.getStage() != ReviewStage.UNSIGNED) {
        return;
      }
      String zone = ZoneApex.canonical(event.getZone());
      if (event.getDecision() == ReviewDecision.APPROVED) {
        store.recordApproval(
            new Approval(zone, event.getVersionId(), event.getSerial(), event.getMetadata().getEventId(),
                event.getContentDigest()),
            event.getMetadata().getOccurredAt());
        signing.trySign(event.getVersionId());
      } else {
        store.recordRejection(zone, event.getVersionId(), event.getSerial(), event.getMetadata().getEventId(),
            event.getMetadata().getOccurredAt());
        signing.resignIfNeeded(zone);
      }
    });
  }
}
