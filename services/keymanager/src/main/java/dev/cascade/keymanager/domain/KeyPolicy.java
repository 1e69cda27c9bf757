package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.keys.Algorithms;
import java.time.Duration;
import java.util.List;

/**
 * The part of a zone's policy the key manager acts on.
 *
 * @param algorithm DNSSEC algorithm number (RFC 8624 §3.1)
 * @param useCsk one combined signing key instead of a KSK + ZSK pair
 * @param kskValidity how long a KSK (or CSK) is meant to be used; {@link Duration#ZERO} means no planned end
 * @param zskValidity how long a ZSK is meant to be used; {@link Duration#ZERO} means no planned end
 * @param dnskeyTtl TTL of the DNSKEY RRset in seconds
 */
public record KeyPolicy(
    int algorithm, boolean useCsk, Duration kskValidity, Duration zskValidity, long dnskeyTtl) {

  public KeyPolicy {
    if (kskValidity.isNegative() || zskValidity.isNegative()) {
      throw new IllegalArgumentException("key validity must not be negative");
    }
    if (dnskeyTtl < 0) {
      throw new IllegalArgumentException("DNSKEY TTL must not be negative: " + dnskeyTtl);
    }
  }

  /**
   * Builds a policy from the registry's policy snapshot fields.
   *
   * @throws IllegalArgumentException if the algorithm mnemonic is unknown or a value is out of range
   */
  public static KeyPolicy of(
      String algorithmMnemonic,
      boolean useCsk,
      long kskValiditySeconds,
      long zskValiditySeconds,
      long dnskeyTtlSeconds) {
    return new KeyPolicy(
        Algorithms.fromMnemonic(algorithmMnemonic),
        useCsk,
        Duration.ofSeconds(kskValiditySeconds),
        Duration.ofSeconds(zskValiditySeconds),
        dnskeyTtlSeconds);
  }

  /** The roles of a complete key set under this policy, SEP key first. */
  public List<SigningRole> roles() {
    return useCsk ? List.of(SigningRole.CSK) : List.of(SigningRole.KSK, SigningRole.ZSK);
  }

  /**
   * The validity of a key in {@code role}. The registry's policy snapshot has no separate CSK validity, so a CSK
   * takes the KSK's: both are the zone's secure entry point (the reference Cascade defaults are equal too, 365d).
   */
  public Duration validity(SigningRole role) {
    return role == SigningRole.ZSK ? zskValidity : kskValidity;
  }
}
