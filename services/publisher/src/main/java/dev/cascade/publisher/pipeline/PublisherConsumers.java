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
import dev.cascade.service.messaging.EventHandling;
import dev.cascade.service.tracing.ZoneSpans;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The publisher's four consumers. Each runs on a worker thread ({@code @Blocking}, in order per channel) through
 * {@link EventHandling#exactlyOnce}: inside its message's trace, tried again with backoff when it fails, and set aside
 * on the publisher's dead-letter topic when it still fails, so one bad event cannot stop the channel, never goes
 * unseen, and the last good version stays served. A publication's announcement is fenced by the consumer group
 * membership its event was consumed under, and the event's offset is committed in a Kafka transaction once the
 * handler is done (issue 9, exactly-once): an instance whose group moved on meanwhile (paused past its session
 * timeout) announces nothing and handles the event again from the committed offset. None handles an event before
 * {@link PublisherRebuild} has rebuilt the tables from the events the publisher's group consumed before (an emptied
 * schema).
 */
@ApplicationScoped
public class PublisherConsumers {

  private final PublicationService publication;
  private final RemainTimes remainTimes;
  private final EventHandling handling;
  private final PublisherRebuild rebuild;

  public PublisherConsumers(
      PublicationService publication, RemainTimes remainTimes, EventHandling handling, PublisherRebuild rebuild) {
    this.publication = publication;
    this.remainTimes = remainTimes;
    this.handling = handling;
    this.rebuild = rebuild;
  }

  /** ZoneVersionLoaded: serve it as the version under unsigned review. */
  @Incoming("unsigned-versions")
  @Blocking
  public CompletionStage<Void> onUnsignedVersion(Message<UnsignedVersionFact> message) {
    rebuild.await();
    return handling.exactlyOnce(message, () -> {
      UnsignedVersionFact event = message.getPayload();
      if (event.getFact() instanceof ZoneVersionLoaded loaded) {
        publication.reviewUnsigned(
            ZoneApex.canonical(event.getZone()),
            loaded.getVersionId(),
            loaded.getSerial(),
            EventMapping.ref(loaded.getContent()));
      }
    });
  }

  /** ZoneVersionSigned: serve it as the version under signed review. */
  @Incoming("signed-versions")
  @Blocking
  public CompletionStage<Void> onSignedVersion(Message<SignedVersionFact> message) {
    rebuild.await();
    return handling.exactlyOnce(message, () -> {
      SignedVersionFact event = message.getPayload();
      if (event.getFact() instanceof ZoneVersionSigned signed) {
        publication.reviewSigned(
            EventMapping.signedVersion(event.getZone(), signed, ZoneSpans.traceparentOf(EventHandling.record(message))),
            event.getMetadata().getEventId(),
            event.getMetadata().getOccurredAt());
      }
    });
  }

  /** SIGNED/APPROVED: publish; a rejection at either gate: stop serving that review version. */
  @Incoming("zone-reviews")
  @Blocking
  public CompletionStage<Void> onReview(Message<ZoneVersionReviewed> message) {
    rebuild.await();
    return handling.exactlyOnce(message, () -> {
      ZoneVersionReviewed event = message.getPayload();
      String zone = ZoneApex.canonical(event.getZone());
      boolean signed = event.getStage() == ReviewStage.SIGNED;
      if (event.getDecision() == ReviewDecision.APPROVED) {
        if (signed) {
          publication.approveSigned(zone, event.getVersionId(),
              new Approval(event.getMetadata().getEventId(), event.getContentDigest()),
              event.getMetadata().getOccurredAt());
        }
      } else if (signed) {
        publication.rejectReview(publication.signedReviewServer(), "signed-review", zone, event.getVersionId());
      } else {
        publication.rejectReview(publication.unsignedReviewServer(), "unsigned-review", zone, event.getVersionId());
      }
    });
  }

  /**
   * ZoneAdded: keep the zone's signature remain time ({@link RemainTimes}); ZoneRemoved: forget it and stop serving
   * the zone everywhere.
   */
  @Incoming("zone-registry")
  @Blocking
  public CompletionStage<Void> onZoneRegistry(Message<ZoneRegistryFact> message) {
    remainTimes.await();
    rebuild.await();
    return handling.exactlyOnce(message, () -> {
      ZoneRegistryFact event = message.getPayload();
      remainTimes.apply(event);
      if (event.getFact() instanceof ZoneRemoved) {
        publication.removeZone(ZoneApex.canonical(event.getZone()));
      }
    });
  }
}
