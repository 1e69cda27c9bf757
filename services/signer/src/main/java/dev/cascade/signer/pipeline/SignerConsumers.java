package dev.cascade.signer.pipeline;

import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.service.ZoneApex;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.persistence.SignerStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The signer's four consumers. Each runs on a worker thread ({@code @Blocking}, in order per channel), records what
 * it learned, then signs whatever that completed. None handles an event before {@link SignedVersionRestore} has
 * brought the tables up to the signer's own topic. A handler never throws: a failure is logged with zone and version
 * and the message is acknowledged, so one bad event cannot stop the channel (signing failures are events of their
 * own, see {@link SigningService}).
 */
@ApplicationScoped
public class SignerConsumers {

  private static final Logger LOG = Logger.getLogger(SignerConsumers.class);

  private final SignerStore store;
  private final SigningService signing;
  private final SignedVersionRestore restore;

  public SignerConsumers(SignerStore store, SigningService signing, SignedVersionRestore restore) {
    this.store = store;
    this.signing = signing;
    this.restore = restore;
  }

  /** ZoneAdded: keep the policy snapshot; ZoneRemoved: forget it. */
  @Incoming("zone-registry")
  @Blocking
  public CompletionStage<Void> onZoneRegistry(Message<ZoneRegistryFact> message) {
    ZoneRegistryFact event = message.getPayload();
    handle(message, event == null ? null : event.getZone(), null, () -> {
      String zone = ZoneApex.canonical(event.getZone());
      if (event.getFact() instanceof ZoneAdded added) {
        store.savePolicy(zone, EventMapping.policy(added.getPolicy()), event.getMetadata().getEventId());
        signing.signPending(zone);
      } else if (event.getFact() instanceof ZoneRemoved) {
        store.forgetZone(zone);
        signing.forget(zone);
        LOG.infof("zone %s removed: policy and pending approvals forgotten", zone);
      }
    });
    return message.ack();
  }

  /**
   * KeySetChanged: keep the latest key set (wrapped), sign what waited for it, then re-sign the zone's last signed
   * version if other keys made it (reference notes §6, "a change in signing keys") and no newer version is on its way
   * to being signed with the new keys anyway.
   */
  @Incoming("key-sets")
  @Blocking
  public CompletionStage<Void> onKeySet(Message<KeySetChanged> message) {
    KeySetChanged event = message.getPayload();
    handle(message, event == null ? null : event.getZone(), null, () -> {
      WrappedKeySet keySet = EventMapping.keySet(event);
      store.saveKeySet(keySet);
      LOG.infof("zone %s: key set %s with %d keys", keySet.zone(), keySet.eventId(), keySet.keys().size());
      signing.signPending(keySet.zone());
      signing.resignIfNeeded(keySet.zone());
    });
    return message.ack();
  }

  /** ZoneVersionLoaded: keep the manifest and sign the version if it was approved before it arrived. */
  @Incoming("unsigned-versions")
  @Blocking
  public CompletionStage<Void> onUnsignedVersion(Message<UnsignedVersionFact> message) {
    UnsignedVersionFact event = message.getPayload();
    if (event != null && event.getFact() instanceof ZoneVersionLoaded loaded) {
      handle(message, event.getZone(), loaded.getVersionId(), () -> {
        store.saveManifest(EventMapping.manifest(event.getZone(), loaded));
        signing.trySign(loaded.getVersionId());
      });
    }
    return message.ack();
  }

  /**
   * UNSIGNED + APPROVED: sign that version (now, or when its missing inputs arrive). UNSIGNED + REJECTED: the version
   * will never be signed, so a re-signing it held back may go ahead.
   */
  @Incoming("zone-reviews")
  @Blocking
  public CompletionStage<Void> onReview(Message<ZoneVersionReviewed> message) {
    ZoneVersionReviewed event = message.getPayload();
    if (event != null && event.getStage() == ReviewStage.UNSIGNED) {
      handle(message, event.getZone(), event.getVersionId(), () -> {
        String zone = ZoneApex.canonical(event.getZone());
        if (event.getDecision() == ReviewDecision.APPROVED) {
          store.recordApproval(
              new Approval(zone, event.getVersionId(), event.getSerial(), event.getMetadata().getEventId(),
                  event.getContentDigest()));
          signing.trySign(event.getVersionId());
        } else {
          store.recordRejection(zone, event.getVersionId(), event.getSerial(), event.getMetadata().getEventId());
          signing.resignIfNeeded(zone);
        }
      });
    }
    return message.ack();
  }

  private void handle(Message<?> message, String zone, String versionId, Runnable work) {
    if (message.getPayload() == null) {
      LOG.warn("skipping a record that could not be deserialised");
      return;
    }
    restore.awaitRestored();
    Traced.within(message, () -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        LOG.errorf(e, "zone %s version %s: handling failed", zone, versionId == null ? "-" : versionId);
      }
    });
  }
}
