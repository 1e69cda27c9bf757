package dev.cascade.service.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Gauges labelled by zone (label {@code zone}, the canonical apex), set to a value once per version or event, never per
 * record or query.
 *
 * <p>Every series of a zone is removed by {@link #forget}, which the services call when the zone is removed: the
 * number of series follows the number of zones served, not the number ever seen (Prometheus' advice on label
 * cardinality, "Use labels", prometheus.io/docs/practices/instrumentation).
 */
public final class ZoneGauges {

  /** The label every series of this class carries. */
  public static final String ZONE = "zone";

  private final MeterRegistry registry;
  /** The value behind each gauge, as the bits of a double; the gauge reads it at scrape time. */
  private final Map<Meter.Id, AtomicLong> values = new ConcurrentHashMap<>();

  public ZoneGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Sets the series {@code name} of {@code zone} with the further labels {@code tags} (name, value, ...) to {@code
   * value}, registering it the first time.
   *
   * @param baseUnit Prometheus appends it to the name ({@code seconds} gives {@code _seconds}), or null
   * @return the series' id, for {@link #forget(String, String, Predicate)}
   */
  public Meter.Id set(String name, String description, String baseUnit, String zone, double value, String... tags) {
    Tags all = Tags.of(ZONE, zone).and(tags);
    AtomicLong holder = new AtomicLong(Double.doubleToLongBits(value));
    Gauge gauge =
        Gauge.builder(name, holder, bits -> Double.longBitsToDouble(bits.get()))
            .description(description)
            .baseUnit(baseUnit)
            .tags(all)
            .strongReference(true)
            .register(registry);
    // The registry hands back the gauge it already has for this id, whose holder is the one kept here.
    values.computeIfAbsent(gauge.getId(), id -> holder).set(Double.doubleToLongBits(value));
    return gauge.getId();
  }

  /**
   * Sets {@code cascade_zone_last_<step>_success{zone}} (1 or 0) and {@code
   * cascade_zone_last_<step>_timestamp_seconds{zone}}: the outcome of the zone's last {@code step} ({@code load},
   * {@code signing}) and when it ended, which the alerts on a failed load or signing read.
   */
  public void lastOutcome(String step, String zone, boolean success, Instant at) {
    set("cascade.zone.last." + step + ".success", "1 when the zone's last " + step + " succeeded, 0 when it failed",
        null, zone, success ? 1 : 0);
    set("cascade.zone.last." + step + ".timestamp", "When the zone's last " + step + " ended", "seconds", zone,
        at.toEpochMilli() / 1000.0);
  }

  /** Removes every series of {@code zone}. */
  public void forget(String zone) {
    removeIf(id -> zone.equals(id.getTag(ZONE)));
  }

  /** Removes the series {@code name} of {@code zone} that {@code drop} selects (by their labels). */
  public void forget(String name, String zone, Predicate<Meter.Id> drop) {
    removeIf(id -> id.getName().equals(name) && zone.equals(id.getTag(ZONE)) && drop.test(id));
  }

  private void removeIf(Predicate<Meter.Id> drop) {
    for (Meter.Id id : values.keySet()) {
      if (drop.test(id)) {
        values.remove(id);
        registry.remove(id);
      }
    }
  }
}
