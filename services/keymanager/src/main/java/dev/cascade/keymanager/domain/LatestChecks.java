package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.roll.RollType.Variant;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest propagation check of each zone's rolls, as this instance made it, for {@code GET /keys/{zone}}. In
 * memory only: a check is repeated at every roll check, so it is never stale for long and needs no storage. Only the
 * instance that holds a zone checks its rolls. Thread-safe: the roll timer writes, requests read.
 */
public final class LatestChecks {

  /**
   * One check and when it was made.
   *
   * @param check what the driver checked and saw
   * @param at when
   */
  public record Checked(RollDriver.Check check, Instant at) {}

  private final Map<String, Map<Variant, Checked>> byZone = new HashMap<>();

  /** Keeps {@code checks} of {@code zone} made at {@code at} as the latest of their rolls. */
  public synchronized void record(String zone, List<RollDriver.Check> checks, Instant at) {
    for (RollDriver.Check check : checks) {
      byZone.computeIfAbsent(zone, z -> new HashMap<>()).put(check.variant(), new Checked(check, at));
    }
  }

  /** The latest check of {@code zone}'s roll of {@code variant} in {@code phase}, if one was made. */
  public synchronized Optional<Checked> latest(String zone, Variant variant, int phase) {
    return Optional.ofNullable(byZone.getOrDefault(zone, Map.of()).get(variant))
        .filter(checked -> checked.check().phase() == phase);
  }
}
