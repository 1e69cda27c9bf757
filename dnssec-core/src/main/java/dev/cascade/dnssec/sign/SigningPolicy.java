package dev.cascade.dnssec.sign;

import java.time.Duration;
import java.util.Objects;

/**
 * How a zone is signed (reference Cascade policy {@code [signer]} and {@code [signer.denial]}).
 *
 * @param denial NSEC (RFC 4034 §4) or NSEC3 (RFC 5155)
 * @param optOut NSEC3 only: leave insecure delegations out of the chain (RFC 5155 §6)
 * @param nsec3Iterations NSEC3 only: additional hash iterations; RFC 9276 §3.1 says 0
 * @param nsec3Salt NSEC3 only: salt (empty for none, as RFC 9276 §3.1 recommends), at most 255 octets
 * @param inceptionOffset how far before "now" signatures start to be valid (clock skew allowance)
 * @param lifetime how long after "now" signatures expire
 */
public record SigningPolicy(Denial denial, boolean optOut, int nsec3Iterations, byte[] nsec3Salt,
    Duration inceptionOffset, Duration lifetime) {
  /** The authenticated denial of existence mechanism. */
  public enum Denial { NSEC, NSEC3 }

  public SigningPolicy {
    Objects.requireNonNull(denial, "denial");
    Objects.requireNonNull(inceptionOffset, "inceptionOffset");
    Objects.requireNonNull(lifetime, "lifetime");
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
    if (inceptionOffset.isNegative() || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("inception offset must be >= 0 and lifetime > 0");
    }
  }

  /** A copy of the salt (records hand out their arrays otherwise). */
  @Override
  public byte[] nsec3Salt() {
    return nsec3Salt.clone();
  }
}
