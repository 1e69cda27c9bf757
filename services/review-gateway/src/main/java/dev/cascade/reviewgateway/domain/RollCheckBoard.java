package dev.cascade.reviewgateway.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest propagation check of each zone's key rolls, as the key manager announced it ({@code PropagationChecked}),
 * for {@code zone status}: why a roll waits at {@code propagationN-complete}. In memory only, like
 * {@link StepProgressBoard}: the key manager announces a check when its outcome changes and again every half hour, so
 * after a restart the board fills from the topic's last hour. Thread-safe.
 */
public final class RollCheckBoard {

  /**
   * One roll's latest check.
   *
   * @param variant ksk, zsk, csk or algorithm
   * @param phase the phase checked
   * @param propagated every server concerned served the phase's changes
   * @param ttlSeconds when propagated, the TTL observed
   * @param summary what was seen where, or why the roll waits
   * @param expected what must have propagated, one line each
   * @param checkedAt when the key manager checked
   */
  public record RollCheck(String variant, int phase, boolean propagated, long ttlSeconds, String summary,
      List<String> expected, Instant checkedAt) {

    public RollCheck {
      expected = List.copyOf(expected);
    }
  }

  private final Map<String, Map<String, RollCheck>> byZone = new HashMap<>();

  /** Keeps {@code check} as the latest of its roll in {@code zone}, unless a later one is already kept. */
  public synchronized void report(String zone, RollCheck check) {
    Map<String, RollCheck> rolls = byZone.computeIfAbsent(zone, z -> new HashMap<>());
    RollCheck kept = rolls.get(check.variant());
    if (kept == null || !kept.checkedAt().isAfter(check.checkedAt())) {
      rolls.put(check.variant(), check);
    }
  }

  /** The latest check of {@code zone}'s {@code variant} roll in {@code phase}, if one was announced. */
  public synchronized Optional<RollCheck> latest(String zone, String variant, int phase) {
    return Optional.ofNullable(byZone.getOrDefault(zone, Map.of()).get(variant))
        .filter(check -> check.phase() == phase);
  }
}
