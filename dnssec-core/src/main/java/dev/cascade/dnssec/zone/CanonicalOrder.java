package dev.cascade.dnssec.zone;

import java.util.Arrays;
import java.util.Comparator;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Canonical ordering of names (RFC 4034 §6.1) and of records: by owner name, then type, then
 * class, then canonical RDATA (RFC 4034 §6.2/§6.3, compared as unsigned octet strings). Every
 * record list Cascade stores, digests or publishes is in this order, so digests are stable.
 */
public final class CanonicalOrder {
  /** RFC 4034 §6.1 canonical name order; dnsjava's {@link Name#compareTo} implements exactly this. */
  public static final Comparator<Name> NAMES = Name::compareTo;

  /** Owner name, type, class, then canonical wire RDATA. */
  public static final Comparator<Record> RECORDS =
      Comparator.comparing(Record::getName, NAMES)
          .thenComparingInt(Record::getType)
          .thenComparingInt(Record::getDClass)
          .thenComparing(CanonicalOrder::compareRdata);

  private CanonicalOrder() {}

  private static int compareRdata(Record a, Record b) {
    return Arrays.compareUnsigned(a.rdataToWireCanonical(), b.rdataToWireCanonical());
  }
}
