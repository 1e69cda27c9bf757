package dev.cascade.dnssec.sign;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a zone is signed (reference Cascade policy {@code [signer]} and {@code [signer.denial]}).
 *
 * @param denial NSEC (RFC 4034 §4) or NSEC3 (RFC 5155)
 * @param optOut NSEC3 only: leave insecure delegations out of the chain (RFC 5155 §6)
 * @param nsec3Iterations NSEC3 only: additional hash iterations; RFC 9276 §3.1 says 0
 * @param nsec3Salt NSEC3 only: salt (empty for none, as RFC 9276 §3.1 recommends), at most 255 octets
 * @param inceptionOffset how far before "now" signatures start to be valid (clock skew allowance; reference Cascade
 *     {@code signature-inception-offset}, default 1d)
 * @param lifetime how long after "now" signatures expire at most (reference {@code signature-lifetime}, default 2w)
 * @param remainTime a signature is re-made when no more than this plus its RRset's TTL remains of its validity
 *     (reference {@code signature-remain-time}, default 1w: "re-sign when less remains (+RRset TTL is added)")
 * @param refreshInterval how often the signer looks for signatures due for re-making (reference
 *     {@code signature-refresh-interval}, default 12h); the spread of expirations is sized by it
 */
public record SigningPolicy(Denial denial, boolean optOut, int nsec3Iterations, byte[] nsec3Salt,
    Duration inceptionOffset, Duration lifetime, Duration remainTime, Duration refreshInterval) {
  /** The authenticated denial of existence mechanism. */
  public enum Denial { NSEC, NSEC3 }

  /** Shortest refresh interval the reference Cascade accepts ("≥ 60 s"). */
  public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(60);

  /**
   * Longest lifetime: reference Cascade requires it below 0x4000_0000 s, well inside the 2^31 s that RRSIG times,
   * compared in serial number arithmetic (RFC 4034 §3.1.5, RFC 1982), can span.
   */
  public static final Duration MAX_LIFETIME = Duration.ofSeconds(0x4000_0000L);

  /**
   * The hour that the reference Cascade's policy check ({@code lifetime > remain-time + 3600 + refresh-interval})
   * adds to remain time and refresh interval: room for an RRset TTL, so a fresh signature is not already due at the
   * next refresh.
   */
  public static final Duration TTL_ALLOWANCE = Duration.ofHours(1);

  public SigningPolicy {
    Objects.requireNonNull(denial, "denial");
    Objects.requireNonNull(inceptionOffset, "inceptionOffset");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(remainTime, "remainTime");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    nsec3Salt = nsec3Salt == null ? new byte[0] : nsec3Salt.clone();
    if (nsec3Salt.length > 255) {
      throw new IllegalArgumentException("NSEC3 salt is at most 255 octets (RFC 5155 §3.1.5)");
    }
    if (nsec3Iterations < 0 || nsec3Iterations > 65535) {
      throw new IllegalArgumentException("NSEC3 iterations must be 0..65535 (RFC 5155 §3.1.3)");
    }
    if (optOut && denial != Denial.NSEC3) {
      throw new IllegalArgumentException("opt-out exists only with NSEC3 (RFC 5155 §6)");
    }
    if (inceptionOffset.isNegative() || remainTime.isNegative()) {
      throw new IllegalArgumentException("signature inception offset and remain time must be >= 0");
    }
    if (lifetime.compareTo(MAX_LIFETIME) >= 0) {
      throw new IllegalArgumentException("signature lifetime must be below 2^30 seconds (RFC 4034 §3.1.5)");
    }
    if (refreshInterval.compareTo(MIN_REFRESH_INTERVAL) < 0) {
      throw new IllegalArgumentException("signature refresh interval must be at least 60 s");
    }
    if (lifetime.compareTo(remainTime.plus(TTL_ALLOWANCE).plus(refreshInterval)) <= 0) {
      throw new IllegalArgumentException("signature lifetime " + lifetime + " must exceed remain time " + remainTime
          + " + 1 h + refresh interval " + refreshInterval);
    }
  }

  /**
   * What RFC 9276 advises against in NSEC3 parameters, or empty when they follow its advice: additional iterations
   * above 0 cost validators and buy nothing (§3.1, §2.4), validators may treat them as insecure (§3.2), and a salt
   * adds nothing either (§3.1). Accepted all the same, as the RFC says SHOULD; the operator is told.
   *
   * @param saltOctets the salt's length, 0 for none
   */
  public static Optional<String> nsec3Advice(int iterations, int saltOctets) {
    if (iterations == 0 && saltOctets == 0) {
      return Optional.empty();
    }
    String what = iterations > 0 && saltOctets > 0 ? iterations + " additional iterations and a salt"
        : iterations > 0 ? iterations + " additional iterations" : "a salt";
    return Optional.of("NSEC3 with " + what + ": RFC 9276 §3.1 advises 0 iterations and no salt; validators may treat "
        + "additional iterations as insecure (RFC 9276 §3.2)");
  }

  /** {@link #nsec3Advice(int, int)} for this policy; empty for NSEC. */
  public Optional<String> nsec3Advice() {
    return denial == Denial.NSEC3 ? nsec3Advice(nsec3Iterations, nsec3Salt.length) : Optional.empty();
  }

  /** A copy of the salt (records hand out their arrays otherwise). */
  @Override
  public byte[] nsec3Salt() {
    return nsec3Salt.clone();
  }
}
