package dev.cascade.service.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The per-stage meters of the pipeline (stages {@code load}, {@code sign}, {@code verify}, {@code publish}):
 *
 * <ul>
 *   <li>{@code cascade_stage_duration_seconds{stage}}, a histogram of how long one zone version took;
 *   <li>{@code cascade_stage_records_total{stage}}, the records that went through it, so that records per second is
 *       {@code rate(cascade_stage_records_total[5m]) / rate(cascade_stage_duration_seconds_sum[5m])};
 *   <li>{@code cascade_failures_total{stage, reason}}, each failure by a reason from a short fixed list (never the
 *       free text of the failure, which would make a series per message).
 * </ul>
 *
 * Per version, never per record. No zone label: per-zone series would multiply the histogram's buckets by the number
 * of zones.
 */
public final class StageMetrics {

  /**
   * The histogram's buckets, in seconds: from a small zone signed in milliseconds to the 1 M-delegation zone, which
   * takes one to two minutes per step on two cores (docs/architecture.md, "Progress of long steps"), with room above
   * it. No official reference; Prometheus' default buckets stop at 10 s.
   */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
    Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(600)
  };

  private final MeterRegistry registry;

  public StageMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One zone version went through {@code stage} in {@code took}, with {@code records} records. */
  public void completed(String stage, Duration took, long records) {
    Timer.builder("cascade.stage.duration")
        .description("How long one zone version took in a pipeline stage")
        .tag("stage", stage)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(took);
    Counter.builder("cascade.stage.records")
        .description("Records that went through a pipeline stage")
        .tag("stage", stage)
        .register(registry)
        .increment(records);
  }

  /** A zone version failed in {@code stage}, for {@code reason} (a short fixed word, see the class comment). */
  public void failed(String stage, String reason) {
    failures(stage, reason).increment();
  }

  /**
   * Registers the failure counter of {@code stage} and {@code reason} at 0 before any failure, for an alert on its
   * {@code increase()}: Prometheus sees no increase in a series whose first sample is already 1.
   */
  public void declare(String stage, String reason) {
    failures(stage, reason);
  }

  private Counter failures(String stage, String reason) {
    return Counter.builder("cascade.failures")
        .description("Zone versions that failed in a pipeline stage, by reason")
        .tag("stage", stage)
        .tag("reason", reason)
        .register(registry);
  }
}
