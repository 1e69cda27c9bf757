package dev.cascade.dnssec.roll;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A roll in progress: its type, the keys it brings in and those it takes out, and where it is.
 *
 * @param type how the keys are rolled
 * @param newKeys ids of the keys it brings in
 * @param oldKeys ids of the keys it takes out
 * @param phase the phase it is in, from 1 to {@link RollType#phaseCount()}; past the last once {@link Stage#DONE}
 * @param stage within the phase: waiting for its changes to propagate, or for the caches to let go of what they
 *     replaced; or the whole roll done
 * @param since when the stage began: for {@link Stage#CACHE_EXPIRY}, when propagation was reported
 * @param ttl for {@link Stage#CACHE_EXPIRY}, the TTL reported with the propagation; zero otherwise
 */
public record KeyRoll(
    RollType type, List<String> newKeys, List<String> oldKeys, int phase, Stage stage, Instant since, Duration ttl) {

  /** Where a roll is within its phase. */
  public enum Stage { PROPAGATION, CACHE_EXPIRY, DONE }

  public KeyRoll {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(ttl, "ttl");
    newKeys = List.copyOf(newKeys);
    oldKeys = List.copyOf(oldKeys);
  }

  /** What must propagate in the current phase; none once done. */
  public Set<Propagation> propagates() {
    return stage == Stage.DONE ? Set.of() : type.phase(phase).propagates();
  }

  /** When the caches of the current phase let go of what it replaced: {@code cache-expiredN} is allowed from then. */
  public Instant cachesExpireAt() {
    return since.plus(ttl);
  }

  /** The step the roll waits for next, as the operator gives it. */
  public String nextStep() {
    return switch (stage) {
      case PROPAGATION -> "propagation" + phase + "-complete <ttl>";
      case CACHE_EXPIRY -> "cache-expired" + phase;
      case DONE -> "roll-done";
    };
  }

  /** What the roll waits for, in the reference's wording, for {@code zone status}. */
  public String waitingFor(Instant now) {
    return switch (stage) {
      case PROPAGATION -> "Wait until " + String.join(" and ", propagates().stream().map(Propagation::waitFor).toList())
          + "; then " + nextStep();
      case CACHE_EXPIRY -> now.isBefore(cachesExpireAt())
          ? "Wait until the caches have expired, at " + cachesExpireAt() + "; then " + nextStep()
          : "The caches have expired; " + nextStep();
      case DONE -> "The roll is done; roll-done removes the old keys";
    };
  }
}
