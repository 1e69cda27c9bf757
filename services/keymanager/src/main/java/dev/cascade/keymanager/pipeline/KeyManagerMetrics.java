package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.keymanager.persistence.StoredKeyRoll;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.service.metrics.ZoneGauges;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The key manager's Prometheus metrics (docs/operations.md, "Metrics"), set from each key set it announces:
 *
 * <ul>
 *   <li>{@code cascade_key_expiration_timestamp_seconds{zone, key_tag, role}}: when each key in the set reaches its
 *       validity ({@code ksk.validity} etc.), the time its roll starts; none for a key valid "forever";
 *   <li>{@code cascade_zone_key_roll_step_started_timestamp_seconds{zone, roll, step, waits_for}}: for each roll in
 *       progress, the step it waits for in the reference's words ({@code propagation1-complete}, {@code
 *       cache-expired1}, ..., {@code roll-done}), what must propagate first ({@code dnskey}, {@code rrsig}, {@code ds},
 *       or {@code none}), and since when it waits. {@code time() - } it is the time the step has waited, which the
 *       alert on a DS that never appears at the parent uses.
 * </ul>
 *
 * A key set replaces the zone's series: keys and rolls that are gone lose theirs; an empty key set (a removed zone)
 * leaves none.
 */
@ApplicationScoped
public class KeyManagerMetrics {

  static final String KEY_EXPIRATION = "cascade.key.expiration.timestamp";
  static final String ROLL_STEP = "cascade.zone.key.roll.step.started.timestamp";

  private final ZoneGauges gauges;

  public KeyManagerMetrics(MeterRegistry registry) {
    this.gauges = new ZoneGauges(registry);
  }

  /** {@code zone}'s key set is now {@code keys}, with {@code rolls} in progress. */
  void keySet(String zone, List<StoredZoneKey> keys, List<StoredKeyRoll> rolls) {
    Set<Meter.Id> kept = new HashSet<>();
    for (StoredZoneKey key : keys) {
      if (key.expiresAt != null && key.retiredAt == null && key.removedAt == null) {
        kept.add(gauges.set(KEY_EXPIRATION, "When the key reaches its validity and is to be rolled", "seconds", zone,
            seconds(key.expiresAt), "key_tag", Integer.toString(key.keyTag), "role", key.role.name()));
      }
    }
    for (StoredKeyRoll stored : rolls) {
      KeyRoll roll = stored.roll();
      kept.add(gauges.set(ROLL_STEP, "Since when a key roll waits for its next step", "seconds", zone,
          seconds(roll.since()), "roll", roll.type().name(), "step", step(roll), "waits_for", waitsFor(roll)));
    }
    gauges.forget(KEY_EXPIRATION, zone, id -> !kept.contains(id));
    gauges.forget(ROLL_STEP, zone, id -> !kept.contains(id));
  }

  /** The step the roll waits for, as {@code cascade keyset} names it (cascade-reference.md, issue 14 item 1). */
  static String step(KeyRoll roll) {
    return switch (roll.stage()) {
      case PROPAGATION -> "propagation" + roll.phase() + "-complete";
      case CACHE_EXPIRY -> "cache-expired" + roll.phase();
      case DONE -> "roll-done";
    };
  }

  private static String waitsFor(KeyRoll roll) {
    if (roll.stage() != KeyRoll.Stage.PROPAGATION || roll.propagates().isEmpty()) {
      return "none";
    }
    return roll.propagates().stream().sorted().map(p -> p.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining("+"));
  }

  private static double seconds(Instant at) {
    return at.toEpochMilli() / 1000.0;
  }
}
