package dev.cascade.dnssec.compact;

import org.xbill.DNS.Type;

/**
 * The canonical wire form of a stored record (RFC 4034 §6.2), made from its octets: the owner name lower-cased, and
 * in the RDATA the names of the types RFC 4034 §6.2 lists (as RFC 6840 §5.1 amended it: not NSEC's next name) lower-
 * cased. Only the types whose RDATA layout is written out here are handled; for any other the caller decodes the
 * record, so the result is always what dnsjava's {@code Record.toWireCanonical} gives.
 */
final class CanonicalWire {

  /** Offset of the signer's name in RRSIG RDATA: type covered, algorithm, labels, TTL, times and key tag (RFC 4034 §3.1). */
  private static final int RRSIG_SIGNER_AT = 18;

  private CanonicalWire() {}

  /**
   * Writes the cursor's current record in canonical wire form into {@code out} at {@code at} (room for any record
   * left there) and returns where it ends, or -1 if its type is not one handled here.
   */
  static int write(CompactRecords.Cursor cursor, byte[] out, int at) {
    byte[] page = cursor.page();
    int ownerLength = cursor.ownerLength();
    int rrLength = cursor.rrLength();
    int rdata = at + ownerLength + CompactRecords.FIXED_BYTES;
    int end = at + ownerLength + rrLength;
    int type = cursor.type();
    int firstName = firstName(type);
    if (firstName == UNHANDLED) {
      return -1;
    }
    System.arraycopy(page, cursor.ownerOffset(), out, at, ownerLength);
    System.arraycopy(page, cursor.rrOffset(), out, at + ownerLength, rrLength);
    lower(out, at, at + ownerLength);
    if (firstName == NO_NAME) {
      return end;
    }
    int next = lowerName(out, rdata + firstName);
    if (type == Type.SOA || type == Type.RP || type == Type.MINFO) {
      lowerName(out, next);
    }
    return end;
  }

  private static final int UNHANDLED = -2;
  private static final int NO_NAME = -1;

  /** Where the first name to lower-case starts in the RDATA of {@code type}, or one of the two markers. */
  private static int firstName(int type) {
    return switch (type) {
      case Type.A, Type.AAAA, Type.TXT, Type.DS, Type.CDS, Type.DNSKEY, Type.CDNSKEY, Type.NSEC, Type.NSEC3,
          Type.NSEC3PARAM, Type.CAA, Type.TLSA, Type.SSHFP -> NO_NAME;
      case Type.NS, Type.CNAME, Type.PTR, Type.DNAME, Type.SOA, Type.RP, Type.MINFO -> 0;
      case Type.MX, Type.KX, Type.AFSDB, Type.RT -> 2;
      case Type.SRV -> 6;
      case Type.RRSIG -> RRSIG_SIGNER_AT;
      default -> UNHANDLED;
    };
  }

  /**
   * US-ASCII upper-case letters to lower case, every other octet to itself. Applied to a whole name in wire format it
   * leaves the label lengths alone: a label is at most 63 octets long (RFC 1035 §2.3.4), below 'A' (65).
   */
  private static final byte[] LOWER = new byte[256];

  static {
    for (int i = 0; i < 256; i++) {
      LOWER[i] = (byte) (i >= 'A' && i <= 'Z' ? i + ('a' - 'A') : i);
    }
  }

  /** Lower-cases the octets {@code bytes[from, to)} of uncompressed names (RFC 4034 §6.2: US-ASCII letters only). */
  static void lower(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      bytes[i] = LOWER[bytes[i] & 0xff];
    }
  }

  /** Lower-cases the uncompressed name at {@code offset}; returns its end. */
  private static int lowerName(byte[] bytes, int offset) {
    int end = offset + WireNames.length(bytes, offset);
    lower(bytes, offset, end);
    return end;
  }
}
