package dev.cascade.dnssec.sign;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.xbill.DNS.Name;

/**
 * The validity window (RFC 4034 §3.1.5) of the RRSIGs one signing run makes.
 *
 * <p>With a policy, expirations are spread instead of clustered. Were a whole zone signed with one expiration, all
 * its signatures would come due at the same refresh, and the zone would be re-signed in one go every lifetime −
 * remain time. The reference Cascade avoids that with a re-signing schedule (reference notes §6): every refresh
 * interval it re-signs about refresh interval / (lifetime − remain time) of the zone. Here the schedule follows from
 * the expirations. A signature made for an RRset or a key that is new to the zone (all of them in a full signing, a
 * key roll or a change of denial type) expires at now + lifetime − spread, the spread in
 * [0, lifetime − remain time − refresh interval − TTL) chosen from the RRset (owner name and type) by a fixed hash:
 * reproducible, and the RRsets' due times ({@link SignatureRefresh}) fall evenly in
 * (now + refresh interval, now + lifetime − remain time − TTL]. A signature re-made because it is due gets the full
 * now + lifetime, so each RRset keeps its place in the schedule and every refresh re-makes about the same share of
 * the zone. The spread stops one refresh interval short, so nothing is due at the first refresh after a full
 * signing; an RRset whose TTL leaves no room gets no spread.
 *
 * <p>An explicit window (an offline signer's {@code -s/-e}) is applied as given, without spread.
 */
final class SignatureValidity {
  /** Every signature's inception. */
  final Instant inception;
  /** The latest expiration, given to re-made signatures: now + lifetime, or the explicit expiration. */
  final Instant expiration;
  /** Lifetime − remain time − refresh interval in seconds, the room for the spread before the TTL is taken off. */
  private final long spreadWindow;

  private SignatureValidity(Instant inception, Instant expiration, long spreadWindow) {
    this.inception = inception;
    this.expiration = expiration;
    this.spreadWindow = spreadWindow;
  }

  /** Exactly this window for every signature. */
  static SignatureValidity fixed(Instant inception, Instant expiration) {
    return new SignatureValidity(inception, expiration, 0);
  }

  /**
   * The policy's window at {@code now}, with spread expirations for signatures of new RRsets and keys. Whole seconds,
   * as RRSIG times are (RFC 4034 §3.1.5), so a record's times are those of its wire form.
   */
  static SignatureValidity spread(Instant now, SigningPolicy policy) {
    Instant second = now.truncatedTo(ChronoUnit.SECONDS);
    long window = policy.lifetime().minus(policy.remainTime()).minus(policy.refreshInterval()).toSeconds();
    return new SignatureValidity(second.minus(policy.inceptionOffset()), second.plus(policy.lifetime()), window);
  }

  /** Whether expirations are spread, so {@link #spreadExpiration} needs an {@link #ownerHash}. */
  boolean spreads() {
    return spreadWindow > 0;
  }

  /**
   * The expiration of a new signature over the RRset {@code type} at the owner hashed to {@code ownerHash} with TTL
   * {@code ttl}: {@link #expiration} minus the RRset's spread.
   */
  Instant spreadExpiration(long ownerHash, int type, long ttl) {
    long window = spreadWindow - ttl;
    if (window <= 0) {
      return expiration;
    }
    long spread = Long.remainderUnsigned(mix(ownerHash ^ (type * 0x9E3779B97F4A7C15L)), window);
    return expiration.minusSeconds(spread);
  }

  /**
   * A hash of the owner's canonical wire form (RFC 4034 §6.2): 64-bit FNV-1a, which depends on the octets alone, so
   * every JVM and every run spreads a zone alike (unlike {@code hashCode()} of objects).
   */
  static long ownerHash(Name owner) {
    long h = 0xcbf29ce484222325L;
    for (byte b : owner.toWireCanonical()) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser: FNV-1a's low bits alone are too regular for a remainder. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
