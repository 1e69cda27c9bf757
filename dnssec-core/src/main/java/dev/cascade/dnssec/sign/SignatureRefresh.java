package dev.cascade.dnssec.sign;

import dev.cascade.dnssec.compact.CompactRecords;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

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

  /**
   * {@link #nextDue(List, SigningPolicy, Instant)} for a zone held compactly: read from the stored octets, so a
   * version of millions of records is not decoded for it.
   */
  public static Optional<Instant> nextDue(CompactRecords signed, SigningPolicy policy, Instant now) {
    long nowSeconds = now.getEpochSecond();
    long earliest = Long.MAX_VALUE;
    CompactRecords.Cursor cursor = signed.cursor();
    while (cursor.next()) {
      if (cursor.type() == Type.RRSIG) {
        earliest = Math.min(earliest, dueAt(cursor, policy, nowSeconds));
      }
    }
    return earliest == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(earliest));
  }

  /** The indexes of the owner names of {@code signed} with an RRSIG due at {@code now}, ascending. */
  static int[] dueOwners(CompactRecords signed, SigningPolicy policy, Instant now) {
    long nowSeconds = now.getEpochSecond();
    int[] owners = new int[16];
    int count = 0;
    CompactRecords.Cursor cursor = signed.cursor();
    while (cursor.next()) {
      if (cursor.type() == Type.RRSIG && dueAt(cursor, policy, nowSeconds) <= nowSeconds
          && (count == 0 || owners[count - 1] != cursor.ownerIndex())) {
        if (count == owners.length) {
          owners = Arrays.copyOf(owners, count * 2);
        }
        owners[count++] = cursor.ownerIndex();
      }
    }
    return Arrays.copyOf(owners, count);
  }

  /**
   * {@link #dueAt(RRSIGRecord, SigningPolicy, Instant)} in epoch seconds for the RRSIG under the cursor: its RDATA
   * holds the original TTL at octet 4, the expiration at 8 and the inception at 12 (RFC 4034 §3.1), each an unsigned
   * 32-bit number of seconds, read as dnsjava reads them.
   */
  private static long dueAt(CompactRecords.Cursor cursor, SigningPolicy policy, long nowSeconds) {
    byte[] page = cursor.page();
    int rdata = cursor.rrOffset() + RDATA_AT;
    long inception = u32(page, rdata + 12);
    if (inception > nowSeconds) {
      return nowSeconds;
    }
    return u32(page, rdata + 8) - policy.remainTime().getSeconds() - u32(page, rdata + 4);
  }

  /** Where RDATA starts after the owner name: TYPE, CLASS, TTL and RDLENGTH (RFC 1035 §4.1.3). */
  private static final int RDATA_AT = 10;

  private static long u32(byte[] bytes, int at) {
    return ((bytes[at] & 0xffL) << 24) | ((bytes[at + 1] & 0xffL) << 16) | ((bytes[at + 2] & 0xffL) << 8)
        | (bytes[at + 3] & 0xffL);
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
