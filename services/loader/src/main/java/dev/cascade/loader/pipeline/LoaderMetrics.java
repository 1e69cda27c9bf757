package dev.cascade.loader.pipeline;

import dev.cascade.service.metrics.StageMetrics;
import dev.cascade.service.metrics.ZoneGauges;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loader's Prometheus metrics (docs/operations.md, "Metrics"), set once per load, whatever its outcome:
 * {@code cascade_zone_last_load_success{zone}}, {@code cascade_zone_last_load_timestamp_seconds{zone}}, the
 * {@code load} stage's duration and records, and {@code cascade_failures_total{stage="load"}} by reason: {@code
 * zone_file} (the source or the file does not load or fails the input checks), {@code write} (the content did not
 * reach Kafka), or the cause of a failed transfer from a primary ({@code TransferFailure.Cause}, a fixed list); and
 * {@code cascade_zone_primary_expired{zone}} ({@link #expired}).
 */
@ApplicationScoped
public class LoaderMetrics {

  /** The failure reason of a zone file (or source path) that does not load. */
  static final String ZONE_FILE = "zone_file";

  /** The failure reason of a version whose content did not reach Kafka. */
  static final String WRITE = "write";

  private final ZoneGauges gauges;
  private final StageMetrics stages;
  /** When the load under way for each zone started ({@link System#nanoTime}). */
  private final Map<String, Long> started = new ConcurrentHashMap<>();

  public LoaderMetrics(MeterRegistry registry) {
    this.gauges = new ZoneGauges(registry);
    this.stages = new StageMetrics(registry);
  }

  /** A load or a refresh of {@code zone} starts. */
  void started(String zone) {
    started.put(zone, System.nanoTime());
  }

  /** A new version of {@code zone} with {@code records} records was announced at {@code at}. */
  void loaded(String zone, long records, Instant at) {
    stages.completed("load", took(zone), records);
    outcome(zone, true, at);
  }

  /** A load of {@code zone} failed for {@code reason} (a fixed word, class comment), announced at {@code at}. */
  void failed(String zone, String reason, Instant at) {
    started.remove(zone);
    stages.failed("load", reason.replace(' ', '_').toLowerCase(Locale.ROOT));
    outcome(zone, false, at);
  }

  private Duration took(String zone) {
    Long start = started.remove(zone);
    return start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start);
  }

  private void outcome(String zone, boolean success, Instant at) {
    gauges.lastOutcome("load", zone, success, at);
  }

  /**
   * Sets {@code cascade_zone_primary_expired{zone}}: 1 while the zone, loaded from a primary, has had no successful
   * refresh for longer than its SOA EXPIRE (RFC 1035 §3.3.13), 0 once a refresh succeeds. The loader keeps the last
   * version served where a secondary would stop answering (RFC 1996 §2), so this is what raises the alert.
   */
  void expired(String zone, boolean expired) {
    gauges.set("cascade.zone.primary.expired", "1 while the zone has had no successful refresh from its primary for "
        + "longer than its SOA EXPIRE", null, zone, expired ? 1 : 0);
  }

  /** A removed zone: its series go. */
  void forget(String zone) {
    started.remove(zone);
    gauges.forget(zone);
  }
}
