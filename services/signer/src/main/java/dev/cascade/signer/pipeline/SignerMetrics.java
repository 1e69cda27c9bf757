package dev.cascade.signer.pipeline;

import dev.cascade.service.metrics.StageMetrics;
import dev.cascade.service.metrics.ZoneGauges;
import dev.cascade.signer.domain.SigningOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * The signer's Prometheus metrics (docs/operations.md, "Metrics"), set once per signed or failed version:
 * {@code cascade_zone_last_signing_success{zone}} and {@code cascade_zone_last_signing_timestamp_seconds{zone}}, the
 * {@code sign} and {@code verify} stages' durations and records, and {@code cascade_failures_total} with stage
 * {@code verify} when the verification gate refused a version, else stage {@code sign}. Created at start
 * ({@code @Startup}), so that the refusal counter is there at 0 before any refusal.
 */
@Startup
@ApplicationScoped
public class SignerMetrics {

  /** The start of the reason {@code VersionSigner} gives when the verification gate refused a version. */
  private static final String GATE_REFUSED = "verification gate: ";

  /** The label of a refusal by the verification gate. */
  static final String GATE_REFUSED_REASON = "gate_refused";

  private final ZoneGauges gauges;
  private final StageMetrics stages;

  public SignerMetrics(MeterRegistry registry) {
    this.gauges = new ZoneGauges(registry);
    this.stages = new StageMetrics(registry);
    // The alert CascadeVerificationGateRefused (deploy/monitoring/alerts.yaml) reads its increase.
    stages.declare("verify", GATE_REFUSED_REASON);
  }

  /** {@code zone} was signed into {@code signed}, announced at {@code at}. */
  void signed(String zone, SigningOutcome.Signed signed, Instant at) {
    Duration verifying = signed.verification();
    stages.completed("sign", Duration.between(signed.startedAt(), signed.finishedAt()).minus(verifying),
        signed.stats().unsignedRrCount());
    stages.completed("verify", verifying, signed.records().size());
    outcome(zone, true, at);
  }

  /** A signing of {@code zone} failed for {@code reason}, announced at {@code at}. */
  void failed(String zone, String reason, Instant at) {
    // The reason is free text for the operator; the label takes one of a few fixed words (StageMetrics).
    if (reason.contains(GATE_REFUSED)) {
      stages.failed("verify", GATE_REFUSED_REASON);
    } else if (reason.startsWith("key set ")) {
      stages.failed("sign", "keys");
    } else if (reason.startsWith("cannot read") || reason.startsWith("cannot write")) {
      stages.failed("sign", "content");
    } else {
      stages.failed("sign", "signing");
    }
    outcome(zone, false, at);
  }

  private void outcome(String zone, boolean success, Instant at) {
    gauges.lastOutcome("signing", zone, success, at);
  }

  /** A removed zone: its series go. */
  void forget(String zone) {
    gauges.forget(zone);
  }
}
