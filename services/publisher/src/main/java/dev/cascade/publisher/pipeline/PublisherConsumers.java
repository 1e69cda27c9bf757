package dev.cascade.publisher.pipeline;

import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.publisher.persistence.PublisherStore.Approval;
import dev.cascade.service.ZoneApex;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The publisher's four consumers. Each runs on a worker thread ({@code @Blocking}, in order per channel) inside the
 * trace of its message. A handler never throws: failures are logged with zone and version and the message is
 * acknowledged, so one bad event cannot stop the channel and the last good version stays served.
 */
@ApplicationScoped
public class PublisherConsumers {

  private static final Logger LOG = Logger.getLogger(PublisherConsumers.class);

  private final PublicationService publication;
  private final RemainTimes remainTimes;

  public PublisherConsumers(PublicationService publication, RemainTimes remainTimes) {
    this.publication = publication;
    this.remainTimes = remainTimes;
  }

  /** ZoneVersionLoaded: serve it as the version under unsigned review. */
  @Incoming("unsigned-versions")
  @Blocking
  public CompletionStage<Void> onUnsignedVersion(Message<UnsignedVersionFact> message) {
    UnsignedVersionFact event = message.getPayload();
    if (event != null && event.getFact() instanceof ZoneVersionLoaded loaded) {
      handle(message, event.getZone(), loaded.getVersionId(), () ->
          publication.reviewUnsigned(
              ZoneApex.canonical(event.getZone()),
              loaded.getVersionId(),
              loaded.getSerial(),
              EventMapping.ref(loaded.getContent())));
    }
    return message.ack();
  }

  /** ZoneVersionSigned: serve it as the version under signed review. */
  @Incoming("signed-versions")
  @Blocking
  public CompletionStage<Void> onSignedVersion(Message<SignedVersionFact> message) {
    SignedVersionFact event = message.getPayload();
    if (event != null && event.getFact() instanceof ZoneVersionSigned signed) {
      handle(message, event.getZone(), signed.getVersionId(), () ->
          publication.reviewSigned(
              EventMapping.signedVersion(event.getZone(), signed), event.getMetadata().getEventId()));
    }
    return message.ack();
  }

  /** SIGNED/APPROVED: publish; a rejection at either gate: stop serving that review version. */
  @Incoming("zone-reviews")
  @Blocking
  public CompletionStage<Void> onReview(Message<ZoneVersionReviewed> message) {
    ZoneVersionReviewed event = message.getPayload();
    if (event != null) {
      String zone = ZoneApex.canonical(event.getZone());
      handle(message, zone, event.getVersionId(), () -> {
        boolean signed = event.getStage() == ReviewStage.SIGNED;
        if (event.getDecision() == ReviewDecision.APPROVED) {
          if (signed) {
            publication.approveSigned(zone, event.getVersionId(),
                new Approval(event.getMetadata().getEventId(), event.getContentDigest()));
          }
        } else if (signed) {
          publication.rejectReview(publication.signedReviewServer(), "signed-review", zone, event.getVersionId());
        } else {
          publication.rejectReview(publication.unsignedReviewServer(), "unsigned-review", zone, event.getVersionId());
        }
      });
    }
    return message.ack();
  }

  /**
   * ZoneAdded: keep the zone's signature remain time ({@link RemainTimes}); ZoneRemoved: forget it and stop serving
   * the zone everywhere.
   */
  @Incoming("zone-registry")
  @Blocking
  public CompletionStage<Void> onZoneRegistry(Message<ZoneRegistryFact> message) {
    ZoneRegistryFact event = message.getPayload();
    if (event != null) {
      remainTimes.awaitRestored();
      handle(message, event.getZone(), null, () -> {
        remainTimes.apply(event);
        if (event.getFact() instanceof ZoneRemoved) {
          publication.removeZone(ZoneApex.canonical(event.getZone()));
        }
      });
    }
    return message.ack();
  }

  private static void handle(Message<?> message, String zone, String versionId, Runnable work) {
    Traced.within(message, () -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        LOG.errorf(e, "zone %s version %s: handling failed", zone, versionId == null ? "-" : versionId);
      }
    });
  }
}
