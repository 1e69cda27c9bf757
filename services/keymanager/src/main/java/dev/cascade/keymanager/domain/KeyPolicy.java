package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.SigningRole;
import java.time.Duration;
import java.util.List;

/**
 * The part of a zone's policy the key manager acts on.
 *
 * @param algorithm the algorithm new keys get, with the RSA modulus length
 * @param useCsk one combined signing key instead of a KSK + ZSK pair
 * @param kskValidity how long a KSK is meant to be used; {@link Duration#ZERO} means no planned end ("forever")
 * @param zskValidity how long a ZSK is meant to be used; {@link Duration#ZERO} means no planned end
 * @param cskValidity how long a CSK is meant to be used; {@link Duration#ZERO} means no planned end
 * @param dnskeyTtl TTL of the DNSKEY RRset in seconds
 * @param rolls how the keys are rolled once they passed their validity
 * @param propagation where {@code auto-report} checks that a roll's changes have propagated
 * @param hsmServerId {@code [key-manager.generation] hsm-server-id}: the PKCS#11 token new keys are generated and
 *     kept in; null for keys in software
 */
public record KeyPolicy(
    KeyAlgorithm algorithm,
    boolean useCsk,
    Duration kskValidity,
    Duration zskValidity,
    Duration cskValidity,
    long dnskeyTtl,
    RollSettings rolls,
    PropagationSettings propagation,
    String hsmServerId) {

  public KeyPolicy {
    if (kskValidity.isNegative() || zskValidity.isNegative() || cskValidity.isNegative()) {
      throw new IllegalArgumentException("key validity must not be negative");
    }
    if (dnskeyTtl < 0) {
      throw new IllegalArgumentException("DNSKEY TTL must not be negative: " + dnskeyTtl);
    }
  }

  /** A policy with software keys. */
  public KeyPolicy(KeyAlgorithm algorithm, boolean useCsk, Duration kskValidity, Duration zskValidity,
      Duration cskValidity, long dnskeyTtl, RollSettings rolls, PropagationSettings propagation) {
    this(algorithm, useCsk, kskValidity, zskValidity, cskValidity, dnskeyTtl, rolls, propagation, null);
  }

  /**
   * Builds a policy from the registry's policy snapshot fields, with the reference's propagation checks
   * ({@link PropagationSettings#DEFAULT}; {@link #withPropagation} for others).
   *
   * @param algorithm {@code <mnemonic>[:<bits>]} ({@link KeyAlgorithm#parse})
   * @throws IllegalArgumentException if the algorithm is unknown or a value is out of range
   */
  public static KeyPolicy of(
      String algorithm,
      boolean useCsk,
      long kskValiditySeconds,
      long zskValiditySeconds,
      long cskValiditySeconds,
      long dnskeyTtlSeconds,
      RollSettings rolls) {
    return new KeyPolicy(
        KeyAlgorithm.parse(algorithm),
        useCsk,
        Duration.ofSeconds(kskValiditySeconds),
        Duration.ofSeconds(zskValiditySeconds),
        Duration.ofSeconds(cskValiditySeconds),
        dnskeyTtlSeconds,
        rolls,
        PropagationSettings.DEFAULT);
  }

  /** This policy, its propagation checks as {@code propagation} says. */
  public KeyPolicy withPropagation(PropagationSettings propagation) {
    return new KeyPolicy(algorithm, useCsk, kskValidity, zskValidity, cskValidity, dnskeyTtl, rolls, propagation,
        hsmServerId);
  }

  /** This policy, its new keys generated in the PKCS#11 token {@code hsmServerId} (null: in software). */
  public KeyPolicy withHsm(String hsmServerId) {
    return new KeyPolicy(algorithm, useCsk, kskValidity, zskValidity, cskValidity, dnskeyTtl, rolls, propagation,
        hsmServerId);
  }

  /** The roles of a complete key set under this policy, SEP key first. */
  public List<SigningRole> roles() {
    return useCsk ? List.of(SigningRole.CSK) : List.of(SigningRole.KSK, SigningRole.ZSK);
  }

  /** The validity of a key in {@code role}; {@link Duration#ZERO} for none. */
  public Duration validity(SigningRole role) {
    return switch (role) {
      case KSK -> kskValidity;
      case ZSK -> zskValidity;
      case CSK -> cskValidity;
    };
  }
}
