package dev.cascade.dnssec.zone;

import dev.cascade.dnssec.parallel.Parallel;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.ExecutorService;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Canonical ordering of names (RFC 4034 §6.1) and of records: by owner name, then type, then
 * class, then canonical RDATA (RFC 4034 §6.2/§6.3, compared as unsigned octet strings). Every
 * record list Cascade stores, digests or publishes is in this order, so digests are stable.
 * A large zone's records are put in this order by owner ({@link OwnerRuns}), with keys that
 * compare as octets ({@link #nameKey}) and a radix sort.
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
   * Whether {@code records} is a list {@link ZoneNormaliser} has put in this order itself ({@link
   * ParsedZone#records()}), so a signer can skip checking the order of millions of records again.
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

    /**
     * A copy in one step: the signer copies millions of records, which the iterator of AbstractList hands out one by
     * one.
     */
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

  /**
   * Records grouped in runs of one owner, the runs in canonical order of their owners (RFC 4034 §6.1): how a large
   * zone is sorted. A zone file lists an owner's records together (a delegation's NS, DS and glue), so runs of one
   * owner are sorted rather than records: a TLD has two to three records per owner. The sort is stable, so the runs
   * of one owner keep the order they were read in.
   */
  static final class OwnerRuns {
    private final Record[] records;
    /** Where each run starts in the records, then their count: run r is {@code [runStart[r], runStart[r + 1])}. */
    final int[] runStart;
    /** The runs in canonical order of their owners. */
    final int[] order;
    /** The key prefix ({@link #keyPrefix}) of each run's owner. */
    private final long[] prefix;

    private OwnerRuns(Record[] records, int[] runStart, int[] order, long[] prefix) {
      this.records = records;
      this.runStart = runStart;
      this.order = order;
      this.prefix = prefix;
    }

    /** Whether the runs at {@code order[a]} and {@code order[b]} have the same owner. */
    boolean sameOwner(int a, int b) {
      return prefix[order[a]] == prefix[order[b]]
          && records[runStart[order[a]]].getName().equals(records[runStart[order[b]]].getName());
    }

    /** About {@code slices} cuts of {@link #order} into slices that start each at an owner's first run. */
    int[] cuts(int slices) {
      int[] cuts = new int[slices + 1];
      int count = 1;
      for (int s = 1; s < slices; s++) {
        int cut = Math.max((int) ((long) order.length * s / slices), cuts[count - 1]);
        while (cut > 0 && cut < order.length && sameOwner(cut - 1, cut)) {
          cut++;
        }
        if (cut > cuts[count - 1] && cut < order.length) {
          cuts[count++] = cut;
        }
      }
      cuts[count++] = order.length;
      return Arrays.copyOf(cuts, count);
    }
  }

  /**
   * The records {@code records[0, count)}, all at or below {@code apex}, in runs of consecutive records with the same
   * owner object, the runs in canonical owner order; the owners' keys are made in {@code pieces} on the pool's
   * threads (on this one without a pool).
   */
  static OwnerRuns ownerRuns(Record[] records, int count, Name apex, ExecutorService pool, int pieces) {
    int[] runStart = runStarts(records, count);
    int runCount = runStart.length - 1;
    int apexKey = nameKey(apex).length;
    long[] prefix = new long[runCount];
    Parallel.forRanges(pool, runCount, pieces, (from, to) -> {
      for (int run = from; run < to; run++) {
        prefix[run] = keyPrefix(nameKey(records[runStart[run]].getName()), apexKey);
      }
    });
    int[] order = sortByPrefix(prefix);
    resolveTies(order, prefix, records, runStart);
    return new OwnerRuns(records, runStart, order, prefix);
  }

  /** Where each run of consecutive records of one owner starts in {@code records[0, m)}, and {@code m} at the end. */
  private static int[] runStarts(Record[] records, int m) {
    int[] starts = new int[m + 1];
    int count = 0;
    for (int from = 0; from < m; ) {
      starts[count++] = from;
      Name owner = records[from].getName();
      do {
        from++;
      } while (from < m && records[from].getName() == owner);
    }
    starts[count] = m;
    return Arrays.copyOf(starts, count + 1);
  }

  /**
   * The 8 octets of a name's key ({@link #nameKey}) after the zone's own (every owner's key starts
   * with the apex's), zero-padded: unsigned, these order like the keys wherever they differ (a label never starts
   * with octet 0, which ends a label in a key), so only names that share them need their whole keys compared.
   * The apex alone has 0.
   */
  private static long keyPrefix(byte[] key, int apexKey) {
    long prefix = 0;
    for (int i = apexKey; i < apexKey + 8; i++) {
      prefix = prefix << 8 | (i < key.length ? key[i] & 0xff : 0);
    }
    return prefix;
  }

  /**
   * The indexes of {@code prefix} in ascending unsigned order of their values, equal values in index order: a
   * least-significant-digit radix sort, 16 bits a pass, which for a million owners takes a small part of what a
   * comparison sort takes; a pass whose digit is the same everywhere is skipped.
   */
  static int[] sortByPrefix(long[] prefix) {
    int n = prefix.length;
    long[] keys = prefix.clone();
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    long[] keysOut = new long[n];
    int[] orderOut = new int[n];
    int[] next = new int[1 << 16];
    for (int shift = 0; shift < 64; shift += 16) {
      Arrays.fill(next, 0);
      for (long key : keys) {
        next[(int) (key >>> shift) & 0xffff]++;
      }
      if (n == 0 || next[(int) (keys[0] >>> shift) & 0xffff] == n) {
        continue;
      }
      for (int digit = 0, sum = 0; digit < next.length; digit++) {
        int count = next[digit];
        next[digit] = sum;
        sum += count;
      }
      for (int i = 0; i < n; i++) {
        int to = next[(int) (keys[i] >>> shift) & 0xffff]++;
        keysOut[to] = keys[i];
        orderOut[to] = order[i];
      }
      long[] swapKeys = keys;
      keys = keysOut;
      keysOut = swapKeys;
      int[] swapOrder = order;
      order = orderOut;
      orderOut = swapOrder;
    }
    return order;
  }

  /**
   * Orders the runs that share a key prefix by their whole keys, stably: different owners with a common start, or
   * one owner's runs from several places in the file (these keep file order).
   */
  private static void resolveTies(int[] order, long[] prefix, Record[] records, int[] runStart) {
    record Keyed(int run, byte[] key) {}
    List<Keyed> tied = new ArrayList<>();
    int i = 0;
    while (i < order.length) {
      int end = i + 1;
      while (end < order.length && prefix[order[end]] == prefix[order[i]]) {
        end++;
      }
      if (end - i > 1) {
        tied.clear();
        for (int k = i; k < end; k++) {
          tied.add(new Keyed(order[k], nameKey(records[runStart[order[k]]].getName())));
        }
        tied.sort((x, y) -> Arrays.compareUnsigned(x.key(), y.key()));
        for (int k = i; k < end; k++) {
          order[k] = tied.get(k - i).run();
        }
      }
      i = end;
    }
  }

  private static int compareRdata(Record a, Record b) {
    return Arrays.compareUnsigned(rdata(a), rdata(b));
  }
}
