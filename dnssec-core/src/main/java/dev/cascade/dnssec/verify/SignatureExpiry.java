package dev.cascade.dnssec.verify;

import dev.cascade.dnssec.compact.CompactRecords;
import java.time.Instant;
import java.util.Optional;
import org.xbill.DNS.Type;

/**
 * When the first signature of a zone version expires, read from its stored octets without decoding a record: the
 * publisher's last check before a version goes out, so a version whose signatures would expire within the policy's
 * remain time is never published (issue 9; the outages in reliability.md that began with expired signatures).
 */
public final class SignatureExpiry {

  private SignatureExpiry() {}

  /**
   * The earliest RRSIG expiration in {@code records} (RFC 4034 §3.1.5: the RDATA holds 2 octets type covered, 1
   * algorithm, 1 labels, 4 original TTL, then the 4-octet expiration, seconds since the epoch read as an unsigned
   * 32-bit value, as dnsjava reads it), or empty if the version has no RRSIG.
   */
  public static Optional<Instant> earliest(CompactRecords records) {
    long earliest = Long.MAX_VALUE;
    CompactRecords.Cursor cursor = records.cursor();
    while (cursor.next()) {
      if (cursor.type() != Type.RRSIG) {
        continue;
      }
      byte[] page = cursor.page();
      int expiration = cursor.rrOffset() + 10 + 8;
      long seconds = ((page[expiration] & 0xffL) << 24) | ((page[expiration + 1] & 0xffL) << 16)
          | ((page[expiration + 2] & 0xffL) << 8) | (page[expiration + 3] & 0xffL);
      earliest = Math.min(earliest, seconds);
    }
    return earliest == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(earliest));
  }
}
