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

  /** Where new key pairs come from; the production source is dnssec-core's {@link KeyGenerator}. */
  @FunctionalInterface
  public interface KeySource {
    SigningKey generate(Name zone, KeyAlgorithm algorithm, int flags, long ttl);
  }

  /**
   * Attempts per key before giving up. With a random 16-bit tag and a handful of keys per zone, the chance of even
   * one collision is below 1/1000; 16 in a row means the key source is broken, not unlucky (no official reference).
   */
  static final int MAX_ATTEMPTS = 16;

  private final KeySource source;
  private final Clock clock;

  public KeySetGenerator(KeySource source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** A generator backed by dnssec-core's {@link KeyGenerator} and the system clock. */
  public static KeySetGenerator standard() {
    return new KeySetGenerator(KeyGenerator::generate, Clock.systemUTC());
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
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      SigningKey key = source.generate(zone, policy.algorithm(), role.flags(), policy.dnskeyTtl());
      if (!taken.contains(key.keyTag())) {
        return key;
      }
    }
    throw new IllegalStateException(
        "no " + role + " for " + zone + " with a key tag unused in the zone after " + MAX_ATTEMPTS + " attempts");
  }
}
