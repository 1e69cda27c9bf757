package dev.cascade.dnssec.zone;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.RandomAccess;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

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

  /**
   * Whether {@code records} is a list the zone file parser has put in this order itself ({@link ParsedZone#records()}),
   * so a signer can skip checking the order of millions of records again.
   */
  public static boolean isKnownSorted(List<Record> records) {
    return records instanceof Sorted;
  }

  /**
   * An unmodifiable list of {@code sorted}, which the caller has put in this order and no longer changes, that
   * {@link #isKnownSorted}.
   */
  static List<Record> knownSorted(Record[] sorted) {
    return new Sorted(sorted);
  }

  private static final class Sorted extends AbstractList<Record> implements RandomAccess {
    private final Record[] records;

    Sorted(Record[] records) {
      this.records = records;
    }

    @Override
    public Record get(int index) {
      return records[index];
    }

    @Override
    public int size() {
      return records.length;
    }

    /** A copy in one step: the signer copies millions of records, which the iterator of AbstractList hands out one by one. */
    @Override
    public Object[] toArray() {
      return records.clone();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
      if (a.length >= records.length) {
        System.arraycopy(records, 0, a, 0, records.length);
        if (a.length > records.length) {
          a[records.length] = null;
        }
        return a;
      }
      return (T[]) Arrays.copyOf(records, records.length, a.getClass());
    }
  }


  /**
   * The canonical form of a record's RDATA (RFC 4034 §6.2): uncompressed, with the names of the RFC 4034 §6.2
   * types lower-cased (not NSEC's, RFC 6840 §5.1) and every other name as it is. This is what RRSIGs sign and what
   * orders the records of an RRset (RFC 4034 §6.3).
   */
  public static byte[] rdata(Record r) {
    return switch (r.getType()) {
      // dnsjava 3.6.4 lower-cases the names in these too, though RFC 4034 §6.2 does not list them: the list is
      // closed (RFC 3597 §7), and BIND, ldns and Knot sign and verify these names as they are. Found by reading
      // dnsjava's rrToWire of every record class holding a name; corpus/names.zone fails against BIND if one is missed.
      case Type.IPSECKEY, Type.SVCB, Type.HTTPS -> rdataAsIs(r);
      // NS RDATA is the name server's name (RFC 1035 §3.3.11), lower-cased (RFC 4034 §6.2): most of a TLD's
      // records, made here in one step rather than through dnsjava's general RDATA output.
      case Type.NS -> ((NSRecord) r).getTarget().toWireCanonical();
      default -> r.rdataToWireCanonical();
    };
  }

  /** The RDATA with its names as they are: the tail of the record's uncompressed wire form (no Compression given). */
  private static byte[] rdataAsIs(Record r) {
    byte[] wire = r.toWire(Section.ANSWER);
    int rdlengthAt = r.getName().length() + 8;  // after owner, type, class and TTL
    int rdlength = ((wire[rdlengthAt] & 0xff) << 8) | (wire[rdlengthAt + 1] & 0xff);
    return Arrays.copyOfRange(wire, wire.length - rdlength, wire.length);
  }

  /**
   * A byte string whose unsigned lexicographic order is the RFC 4034 §6.1 order of the names: the labels from
   * the root down, each lower-cased and ended by 0x00, with the octets 0x00 and 0x01 inside a label escaped as
   * 0x01 0x01 and 0x01 0x02 so they still sort below every other octet and above the label end. Comparing keys
   * ({@link Arrays#compareUnsigned}, vectorised) is much faster than {@link Name#compareTo} when a large zone is
   * sorted.
   */
  public static byte[] nameKey(Name name) {
    byte[] wire = name.toWireCanonical();  // length-prefixed labels, lower case, ending with the root's 0
    int labels = name.labels();
    int[] starts = new int[labels];
    int escapes = 0;
    for (int i = 0, pos = 0; i < labels; i++) {
      starts[i] = pos;
      int len = wire[pos] & 0xff;
      for (int k = pos + 1; k <= pos + len; k++) {
        if ((wire[k] & 0xff) <= 1) {
          escapes++;
        }
      }
      pos += len + 1;
    }
    byte[] key = new byte[wire.length - 1 + escapes];
    int out = 0;
    for (int i = labels - 2; i >= 0; i--) {  // the root label (last) is implied
      int pos = starts[i];
      int len = wire[pos] & 0xff;
      for (int k = pos + 1; k <= pos + len; k++) {
        int c = wire[k] & 0xff;
        if (c <= 1) {
          key[out++] = 1;
          key[out++] = (byte) (c + 1);
        } else {
          key[out++] = (byte) c;
        }
      }
      key[out++] = 0;
    }
    return key;
  }

  private static int compareRdata(Record a, Record b) {
    return Arrays.compareUnsigned(rdata(a), rdata(b));
  }
}
