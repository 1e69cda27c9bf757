package dev.cascade.dnssec.roll;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step that moves a roll in progress on, as the operator gives it ({@code cascade keyset <zone> <variant> <step>})
 * or the key manager's automation does. Starting a roll is not one: it needs new keys ({@link KeySetState#start}).
 */
public sealed interface RollStep {

  /** {@code propagationN-complete <ttl>}: phase N's changes are on every name server, cached for at most ttl. */
  record PropagationComplete(int phase, Duration ttl) implements RollStep {
    public PropagationComplete {
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("a TTL cannot be negative: " + ttl);
      }
    }

    @Override
    public String word() {
      return "propagation" + phase + "-complete";
    }
  }

  /** {@code cache-expiredN}: no cache holds what phase N replaced any longer. */
  record CacheExpired(int phase) implements RollStep {
    @Override
    public String word() {
      return "cache-expired" + phase;
    }
  }

  /** {@code roll-done}: the old keys leave the key set. */
  record RollDone() implements RollStep {
    @Override
    public String word() {
      return "roll-done";
    }
  }

  /** The step's name in the reference's CLI. */
  String word();

  Pattern PROPAGATION = Pattern.compile("propagation([1-9])-complete");
  Pattern CACHE_EXPIRED = Pattern.compile("cache-expired([1-9])");

  /**
   * The step named {@code word}; {@code ttlSeconds} is the TTL a {@code propagationN-complete} reports, null for
   * the others.
   *
   * @throws IllegalArgumentException for an unknown step, or a TTL missing or given where it does not belong
   */
  static RollStep parse(String word, Long ttlSeconds) {
    Matcher propagation = PROPAGATION.matcher(word);
    if (propagation.matches()) {
      if (ttlSeconds == null) {
        throw new IllegalArgumentException(word + " needs the TTL the propagated RRset is cached for");
      }
      return new PropagationComplete(Integer.parseInt(propagation.group(1)), Duration.ofSeconds(ttlSeconds));
    }
    if (ttlSeconds != null) {
      throw new IllegalArgumentException(word + " takes no TTL");
    }
    Matcher expired = CACHE_EXPIRED.matcher(word);
    if (expired.matches()) {
      return new CacheExpired(Integer.parseInt(expired.group(1)));
    }
    if (word.equals("roll-done")) {
      return new RollDone();
    }
    throw new IllegalArgumentException("unknown roll step " + word
        + ": expected propagationN-complete <ttl>, cache-expiredN or roll-done (start-roll starts a roll)");
  }
}
