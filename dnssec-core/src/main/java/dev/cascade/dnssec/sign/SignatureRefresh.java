package dev.cascade.dnssec.sign;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * When the RRSIGs of a signed zone are due for re-making, by the rule of the reference Cascade's
 * {@code signature-remain-time} ("re-sign when less remains (+RRset TTL is added)"): an RRSIG is due once no more
 * than the remain time plus its RRset's TTL is left of its validity (RFC 4034 §3.1.5), so that a copy cached for the
 * full TTL when the signature comes due still has the remain time left when it leaves the cache. An RRSIG whose
 * inception lies in the future (a clock that went back) is due at once. {@link ZoneSigner#resign} applies the same
 * rule; a key set change makes signatures due too, which only the caller that knows the key set can tell.
 *
 * <p>The signer service runs a timer with this: every {@link SigningPolicy#refreshInterval()} (reference Cascade's
 * re-signing cadence, §6 of the reference notes) it asks {@link #anyDue} and re-signs if so; {@link #nextDue} tells
 * how long it may sleep.
 */
public final class SignatureRefresh {
  private SignatureRefresh() {}

  /**
   * The earliest instant at which one of the zone's RRSIGs is due; an instant not after {@code now} means some are
   * due already. Empty for a zone without RRSIGs.
   */
  public static Optional<Instant> nextDue(List<Record> signed, SigningPolicy policy, Instant now) {
    Instant earliest = null;
    for (Record r : signed) {
      if (r instanceof RRSIGRecord sig) {
        Instant due = dueAt(sig, policy, now);
        if (earliest == null || due.isBefore(earliest)) {
          earliest = due;
        }
      }
    }
    return Optional.ofNullable(earliest);
  }

  /** Whether an incremental signing at {@code now} would re-make some RRSIG of the zone for its validity times. */
  public static boolean anyDue(List<Record> signed, SigningPolicy policy, Instant now) {
    return nextDue(signed, policy, now).filter(due -> !due.isAfter(now)).isPresent();
  }

  /** Whether {@code sig} is due at {@code now}. */
  static boolean isDue(RRSIGRecord sig, SigningPolicy policy, Instant now) {
    return !dueAt(sig, policy, now).isAfter(now);
  }

  /**
   * Expiration − remain time − TTL (the original TTL field is the RRset's TTL, RFC 4034 §3.1.4); now if not valid
   * yet.
   */
  private static Instant dueAt(RRSIGRecord sig, SigningPolicy policy, Instant now) {
    if (sig.getTimeSigned().isAfter(now)) {
      return now;
    }
    return sig.getExpire().minus(policy.remainTime()).minusSeconds(sig.getOrigTTL());
  }
}
