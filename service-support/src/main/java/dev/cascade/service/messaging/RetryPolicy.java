package dev.cascade.service.messaging;

import java.time.Duration;

/**
 * How often a failing handler runs, and how long it waits in between: {@code initialBackoff} after the first failure,
 * doubled after each further one, never more than {@code maxBackoff}.
 *
 * <p>The defaults ({@link HandlerConfig}: 6 attempts, 1 s doubling to 16 s, 31 s of waiting in all) outlast a
 * PostgreSQL primary switch, which Patroni completes within its default leader TTL of 30 s, and stay below the 60 s
 * that SmallRye's throttled commit strategy lets a record wait unacknowledged before it marks the channel failed
 * ({@code throttled.unprocessed-record-max-age.ms}). No official reference for the numbers themselves.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("a handler runs at least once, not " + attempts + " times");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must grow from a non-negative start: " + initialBackoff + " to " + maxBackoff);
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based): initial × 2^(attempt − 1), at most the maximum. */
  public Duration backoffAfter(int attempt) {
    Duration wait = initialBackoff;
    for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
