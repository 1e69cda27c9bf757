package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * Generates the keys a policy asks for, with key tags unique within the zone.
 *
 * <p>A key tag is a 16-bit checksum (RFC 4034 Appendix B), so two keys of a zone can collide. Validators then have to
 * try both keys for every signature, and DS and key-set bookkeeping by tag becomes ambiguous (RFC 4035 §5.3.1), so
 * a key whose tag is already used in the zone (including retired keys) is thrown away and generated again.
 * Blocking and CPU-bound: callers run it on a worker thread.
 */
public final class KeySetGenerator {

  /**
   * Where new key pairs come from: dnssec-core's {@link KeyGenerator} for software keys, a PKCS#11 token
   * ({@link HsmKeys}) for a policy's {@code hsm-server-id}.
   */
  @FunctionalInterface
  public interface KeySource {
    SigningKey generate(Name zone, KeyAlgorithm algorithm, int flags, long ttl);

    /** Throws away a key generated but not used (its tag collided): a token destroys it, memory forgets it. */
    default void discard(SigningKey key) {}
  }

  /**
   * Attempts per key before giving up. With a random 16-bit tag and a handful of keys per zone, the chance of even
   * one collision is below 1/1000; 16 in a row means the key source is broken, not unlucky (no official reference).
   */
  static final int MAX_ATTEMPTS = 16;

  private final KeySource source;
  private final Map<String, KeySource> hsms;
  private final Clock clock;

  public KeySetGenerator(KeySource source, Clock clock) {
    this(source, Map.of(), clock);
  }

  /** @param hsms the PKCS#11 tokens by the id a policy's {@code hsm-server-id} names them with */
  public KeySetGenerator(KeySource source, Map<String, KeySource> hsms, Clock clock) {
    this.source = source;
    this.hsms = Map.copyOf(hsms);
    this.clock = clock;
  }

  /**
   * Generates one key per role of {@code policy}.
   *
   * @param tagsInUse key tags of keys the zone already has (active or retired)
   * @throws IllegalStateException if no key with an unused tag came out of {@link #MAX_ATTEMPTS} attempts
   */
  public List<NewKey> generate(Name zone, KeyPolicy policy, Set<Integer> tagsInUse) {
    Set<Integer> taken = new HashSet<>(tagsInUse);
    // Milliseconds, the precision KeySetChanged carries (timestamp-millis): a key restored from the topic has the
    // very times it was generated with.
    Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<NewKey> keys = new ArrayList<>();
    for (SigningRole role : policy.roles()) {
      NewKey key = generate(zone, policy, role, taken, createdAt);
      taken.add(key.key().keyTag());
      keys.add(key);
    }
    return keys;
  }

  /**
   * Generates one key in {@code role}: a key a roll brings in.
   *
   * @param tagsInUse key tags of keys the zone already has (active or retired)
   * @throws IllegalStateException if no key with an unused tag came out of {@link #MAX_ATTEMPTS} attempts
   */
  public NewKey generate(Name zone, KeyPolicy policy, SigningRole role, Set<Integer> tagsInUse) {
    return generate(zone, policy, role, tagsInUse, clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  private NewKey generate(Name zone, KeyPolicy policy, SigningRole role, Set<Integer> taken, Instant createdAt) {
    SigningKey key = generateUnique(zone, policy, role, taken);
    Duration validity = policy.validity(role);
    return new NewKey(role, key, createdAt, validity.isZero() ? null : createdAt.plus(validity));
  }

  private SigningKey generateUnique(Name zone, KeyPolicy policy, SigningRole role, Set<Integer> taken) {
    KeySource from = source(zone, policy);
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      SigningKey key = from.generate(zone, policy.algorithm(), role.flags(), policy.dnskeyTtl());
      if (!taken.contains(key.keyTag())) {
        return key;
      }
      from.discard(key);
    }
    throw new IllegalStateException(
        "no " + role + " for " + zone + " with a key tag unused in the zone after " + MAX_ATTEMPTS + " attempts");
  }

  /**
   * The source the policy asks for.
   *
   * @throws IllegalStateException if the policy names a token this key manager has not configured: no key is made in
   *     software instead, which would put a private key where the operator said it must not be
   */
  private KeySource source(Name zone, KeyPolicy policy) {
    if (policy.hsmServerId() == null) {
      return source;
    }
    KeySource hsm = hsms.get(policy.hsmServerId());
    if (hsm == null) {
      throw new IllegalStateException("the policy of " + zone + " names hsm-server-id \"" + policy.hsmServerId()
          + "\", but this key manager has " + (hsms.isEmpty() ? "no PKCS#11 token configured"
          : "only the PKCS#11 token(s) " + hsms.keySet()) + " (cascade.pkcs11.server-id)");
    }
    return hsm;
  }
}
