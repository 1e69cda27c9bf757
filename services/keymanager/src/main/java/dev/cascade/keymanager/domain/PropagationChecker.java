package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.roll.PropagationExpectation;
import java.time.Duration;
import java.util.Optional;

/**
 * Looks at the name servers to see whether a roll phase's changes have propagated: the network half of the
 * reference's {@code auto-report} (cascade-reference.md §5, "Timing model"); dnssec-core's
 * {@link PropagationExpectation} says what must be served and compares each answer.
 */
public interface PropagationChecker {

  /**
   * Whether every server concerned serves what {@code expected} says. Never throws for the network: a server that
   * does not answer, answers wrongly or cannot be found is a wait, with the reason. Bounded in time.
   */
  Result check(PropagationExpectation expected, PropagationSettings where);

  /**
   * What a check saw.
   *
   * @param ttl when everything has propagated, the TTL the caches may keep the old data for, as observed (the
   *     DNSKEY TTL, the zone's largest TTL, the parent's DS TTL; the largest of those the phase needs); empty while
   *     something has not propagated
   * @param summary for the operator: what was checked where, or why the roll waits
   */
  record Result(Optional<Duration> ttl, String summary) {

    public static Result propagated(Duration ttl, String summary) {
      return new Result(Optional.of(ttl), summary);
    }

    public static Result waiting(String reason) {
      return new Result(Optional.empty(), reason);
    }

    public boolean isPropagated() {
      return ttl.isPresent();
    }
  }
}
