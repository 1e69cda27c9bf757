package dev.cascade.signer.domain;

import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.sign.SigningPolicy;
import java.time.Duration;

/**
 * The part of a zone's policy that the signer applies: how the signed serial is chosen, how RRsets are signed and
 * denial of existence is built, and how long signatures must at least stay valid when they leave the signer.
 *
 * @param serialPolicy how the SOA serial of the signed version follows from the loaded one
 * @param signing denial type, NSEC3 parameters and the signature inception offset, lifetime, remain time (the
 *     minimum remaining validity of every RRSIG at publication) and refresh interval
 */
public record ZonePolicy(SerialPolicy serialPolicy, SigningPolicy signing) {

  /**
   * Lower bound of the verification gate's expiry floor. A signed zone whose signatures expire within the hour
   * would go bogus before a slow secondary has transferred it; this floor holds even when a policy sets a smaller
   * remain time. No official reference: chosen as a safety margin for the review and publication steps.
   */
  public static final Duration MINIMUM_EXPIRY_FLOOR = Duration.ofHours(1);

  /** The expiry floor of the verification gate: the policy's remain time, but never below one hour. */
  public Duration expiryFloor() {
    Duration remain = signing.remainTime();
    return remain.compareTo(MINIMUM_EXPIRY_FLOOR) < 0 ? MINIMUM_EXPIRY_FLOOR : remain;
  }
}
