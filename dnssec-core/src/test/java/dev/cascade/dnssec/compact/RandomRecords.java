package dev.cascade.dnssec.compact;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * Random records under {@code example.} for the tests: owner names from a small pool in mixed case and with octets that
 * need escaping, so names share labels and compare in every way RFC 4034 §6.1 allows; NS and MX targets in mixed case,
 * whose canonical RDATA (RFC 4034 §6.2) differs from their octets.
 */
final class RandomRecords {
  static final Name ORIGIN = Name.fromConstantString("example.");
  private static final String[] OWNERS = {
    "@", "www", "WWW.b", "www.B", "a", "A.a", "z.a", "b", "\\000", "\\001.b", "\\255", "x-y", "Mail", "*.wild", "d.e.f.g"
  };
  private static final long[] TTLS = {60, 300, 3600};

  private final Random random;

  RandomRecords(Random random) {
    this.random = random;
  }

  /** A zone: an apex SOA with {@code serial} and up to {@code count} other random records, duplicates dropped. */
  List<Record> zone(long serial, int count) {
    List<Record> records = new ArrayList<>();
    records.add(soa(serial));
    for (int i = 0; i < count; i++) {
      records.add(record());
    }
    return dedupe(records);
  }

  /** The next version of {@code zone}: a new serial and some records removed, added or with a new TTL. */
  List<Record> edit(List<Record> zone, long serial) {
    List<Record> next = new ArrayList<>();
    next.add(soa(serial));
    for (Record r : zone) {
      if (r instanceof SOARecord) {
        continue;
      }
      int roll = random.nextInt(10);
      if (roll == 0) {
        continue;
      }
      next.add(roll == 1 ? withTtl(r, TTLS[random.nextInt(TTLS.length)]) : r);
    }
    int added = random.nextInt(4);
    for (int i = 0; i < added; i++) {
      next.add(record());
    }
    return dedupe(next);
  }

  Record record() {
    Name owner = name(OWNERS[random.nextInt(OWNERS.length)]);
    long ttl = TTLS[random.nextInt(TTLS.length)];
    return switch (random.nextInt(4)) {
      case 0 -> new ARecord(owner, DClass.IN, ttl, address());
      case 1 -> new NSRecord(owner, DClass.IN, ttl, name("NS" + random.nextInt(3) + ".Other."));
      case 2 -> new MXRecord(owner, DClass.IN, ttl, random.nextInt(3), name("mx.Other."));
      default -> new TXTRecord(owner, DClass.IN, ttl, "t" + random.nextInt(5));
    };
  }

  SOARecord soa(long serial) {
    return new SOARecord(ORIGIN, DClass.IN, 3600, name("ns1.other."), name("hostmaster.other."), serial, 7200, 3600,
        1209600, 300);
  }

  private java.net.InetAddress address() {
    try {
      return java.net.InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) random.nextInt(4)});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One record per owner (canonically equal names count as one, whatever their case), type, class and canonical
   * RDATA, as the builder requires; and one TTL per RRset (RFC 2181 §5.2), the first one met.
   */
  private static List<Record> dedupe(List<Record> records) {
    List<Record> out = new ArrayList<>();
    for (Record r : records) {
      boolean clash = false;
      for (Record kept : out) {
        if (dev.cascade.dnssec.zone.CanonicalOrder.RECORDS.compare(kept, r) == 0
            || (kept.getName().equals(r.getName()) && kept.getType() == r.getType() && kept.getTTL() != r.getTTL())) {
          clash = true;
          break;
        }
      }
      if (!clash) {
        out.add(r);
      }
    }
    return out;
  }

  /** {@code r} with another TTL, its RDATA octets as they are. */
  static Record withTtl(Record r, long ttl) {
    try {
      return Record.fromString(r.getName(), r.getType(), r.getDClass(), ttl, r.rdataToString(), ORIGIN);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(r.toString(), e);
    }
  }

  static Name name(String text) {
    try {
      return Name.fromString(text, ORIGIN);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
