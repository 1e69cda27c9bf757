package dev.cascade.reviewgateway.pipeline;

import dev.cascade.reviewgateway.domain.ReviewStatus;
import dev.cascade.reviewgateway.domain.SigningCause;
import dev.cascade.reviewgateway.domain.ZoneHalts;
import dev.cascade.reviewgateway.domain.ZoneState;
import dev.cascade.service.metrics.ZoneGauges;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * review-gateway's Prometheus metrics (docs/operations.md, "Metrics"): {@code
 * cascade_zone_review_waiting_since_timestamp_seconds{zone, stage}}, present while a version of the zone waits for a
 * decision at the {@code unsigned} or {@code signed} gate, with the time it arrived there (loaded, or signed); {@code
 * time() - } it is the review wait. Set from the zone's status each time an event is applied to it, and from every
 * zone's status after the start-up rebuild.
 *
 * <p>Also {@code cascade_zones_halted{zone, mode="HardHalt", cause}}, 1 while the zone is hard-halted (the reference's
 * metric, cascade-reference.md §1.3, with the cause added: loaded-review, signed-review, signing-failed, operator),
 * and {@code cascade_zone_resigning_waiting_since_timestamp_seconds{zone}}, present while a re-signing of the zone (a
 * signature refresh or a key change, not a new version) waits at the signed gate, with the time it was signed: until
 * it is published the published signatures are not renewed, and if nobody decides they expire (the .mm and .zm
 * outages, reliability.md). The alert CascadeReSigningWaitsForReview fires on it.
 */
@ApplicationScoped
public class ReviewMetrics {

  static final String WAITING = "cascade.zone.review.waiting.since.timestamp";
  static final String HALTED = "cascade.zones.halted";
  static final String RESIGNING_WAITING = "cascade.zone.resigning.waiting.since.timestamp";

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
    boolean reSigningWaits = registered && state.signedReviewStatus == ReviewStatus.PENDING
        && state.signedCause != SigningCause.LOADED && state.signingReport != null;
    if (reSigningWaits) {
      gauges.set(RESIGNING_WAITING, "Since when a re-signing of the zone waits for a review decision", "seconds", zone,
          state.signingReport.finishedAt().toEpochMilli() / 1000.0);
    } else {
      gauges.forget(RESIGNING_WAITING, zone, id -> true);
    }
    Optional<String> cause = (registered ? ZoneHalts.current(state) : Optional.<ZoneState.Halt>empty())
        .map(h -> h.cause().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    gauges.forget(HALTED, zone, id -> !cause.equals(Optional.ofNullable(id.getTag("cause"))));
    cause.ifPresent(c -> gauges.set(HALTED, "1 while the zone is hard-halted and waits for the operator", null, zone,
        1, "mode", "HardHalt", "cause", c));
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
