package dev.cascade.reviewgateway.pipeline;

import dev.cascade.reviewgateway.domain.ReviewStatus;
import dev.cascade.reviewgateway.domain.ZoneState;
import dev.cascade.service.metrics.ZoneGauges;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * review-gateway's Prometheus metrics (docs/operations.md, "Metrics"): {@code
 * cascade_zone_review_waiting_since_timestamp_seconds{zone, stage}}, present while a version of the zone waits for a
 * decision at the {@code unsigned} or {@code signed} gate, with the time it arrived there (loaded, or signed); {@code
 * time() - } it is the review wait. Set from the zone's status each time an event is applied to it, and from every
 * zone's status after the start-up rebuild.
 */
@ApplicationScoped
public class ReviewMetrics {

  static final String WAITING = "cascade.zone.review.waiting.since.timestamp";

  private final ZoneGauges gauges;

  public ReviewMetrics(MeterRegistry registry) {
    this.gauges = new ZoneGauges(registry);
  }

  /** {@code state} is {@code zone}'s status now. */
  void applied(String zone, ZoneState state) {
    boolean registered = state.registered();
    waiting(zone, "unsigned", registered && state.unsignedReviewStatus == ReviewStatus.PENDING ? state.loadedAt : null);
    waiting(zone, "signed", registered && state.signedReviewStatus == ReviewStatus.PENDING
        && state.signingReport != null ? state.signingReport.finishedAt() : null);
  }

  private void waiting(String zone, String stage, Instant since) {
    if (since == null) {
      gauges.forget(WAITING, zone, id -> stage.equals(id.getTag("stage")));
    } else {
      gauges.set(WAITING, "Since when a version of the zone waits for a review decision", "seconds", zone,
          since.toEpochMilli() / 1000.0, "stage", stage);
    }
  }
}
