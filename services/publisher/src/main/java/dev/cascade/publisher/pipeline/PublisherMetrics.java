package dev.cascade.publisher.pipeline;

import dev.cascade.service.metrics.StageMetrics;
import dev.cascade.service.metrics.ZoneGauges;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The publisher's per-zone Prometheus metrics (docs/operations.md, "Metrics"), set once per publication: what the
 * publication server serves, so the earliest RRSIG expiration is read from the version served, not taken from the
 * signer. The DNS queries and transfers are counted by {@code dns.DnsQueryMetrics}.
 */
@ApplicationScoped
public class PublisherMetrics {

  private final ZoneGauges gauges;
  private final StageMetrics stages;

  public PublisherMetrics(MeterRegistry registry) {
    this.gauges = new ZoneGauges(registry);
    this.stages = new StageMetrics(registry);
  }

  /**
   * {@code zone} serves {@code serial} since {@code at}, whose earliest RRSIG expires at {@code earliestExpiration}
   * (none in an unsigned zone).
   */
  void served(String zone, long serial, Instant at, Optional<Instant> earliestExpiration) {
    gauges.set("cascade.zone.published.serial", "The SOA serial the publication server serves", null, zone, serial);
    gauges.set("cascade.zone.last.publication.timestamp",
        "When the version the publication server serves was published", "seconds", zone, seconds(at));
    earliestExpiration.ifPresent(expiration -> gauges.set("cascade.zone.rrsig.expiration.earliest.timestamp",
        "The earliest RRSIG expiration in the version the publication server serves", "seconds", zone,
        seconds(expiration)));
  }

  /** A version of {@code records} records was published in {@code took}. */
  void published(Duration took, long records) {
    stages.completed("publish", took, records);
  }

  /** A publication failed in {@code stage} ({@code PublicationService}'s word for it, a fixed list). */
  void failed(String stage, String reason) {
    stages.failed("publish", stage + "_" + reason);
  }

  /**
   * The zone's policy as far as the alerts need it: its {@code signature-refresh-interval} (the signer re-signs at
   * least that often, so a zone not published for longer is stuck somewhere: CascadeZoneNotPublished) and its {@code
   * signature-remain-time} (a served signature closer than that to its expiration: CascadeSignaturesExpiring).
   */
  void policy(String zone, Duration refreshInterval, Duration remainTime) {
    gauges.set("cascade.zone.signature.refresh.interval", "The policy's signature-refresh-interval", "seconds", zone,
        refreshInterval.toSeconds());
    gauges.set("cascade.zone.signature.remain.time", "The policy's signature-remain-time", "seconds", zone,
        remainTime.toSeconds());
  }

  /** A removed zone: its series go. */
  void forget(String zone) {
    gauges.forget(zone);
  }

  private static double seconds(Instant at) {
    return at.toEpochMilli() / 1000.0;
  }
}
