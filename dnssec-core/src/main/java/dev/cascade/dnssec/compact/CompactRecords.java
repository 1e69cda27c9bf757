package dev.cascade.dnssec.compact;

import dev.cascade.dnssec.zone.CanonicalOrder;
import dev.cascade.dnssec.zone.ZoneDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Records in canonical order (RFC 4034 §6), held as their uncompressed wire format (RFC 1035 §4.1.3) in pages of
 * bytes. Each owner name is stored once, followed by the rest of each of its records (TYPE, CLASS, TTL, RDLENGTH,
 * RDATA), so a record can be copied into a DNS message as it is. Two small index arrays find each owner. Immutable once
 * built, so any number of readers (transfers in progress, a diff being computed) share it without locks.
 *
 * <p>A signed TLD record takes its wire size plus about 12 octets per owner name of index here, against several
 * hundred octets as a dnsjava {@link Record} object graph. Versions made one from another share the pages a change
 * does not reach ({@link Builder#shareOwners}), so a version made by a small difference costs the pages it touches.
 */
public final class CompactRecords {

  /**
   * Size of a page: 4 MiB keeps each array a modest allocation for the garbage collector (G1 treats arrays over half
   * a region as humongous whatever their size) and wastes little at the end of a page; no official reference.
   */
  static final int PAGE_BYTES = 4 << 20;

  /** Offset of RDLENGTH in the part of a record after its owner: TYPE (2), CLASS (2), TTL (4), RFC 1035 §4.1.3. */
  static final int RDLENGTH_AT = 8;

  /** TYPE, CLASS, TTL and RDLENGTH: the fixed part of a record after its owner name. */
  static final int FIXED_BYTES = 10;

  /** The largest record: a 255-octet owner name, the fixed part and 65535 octets of RDATA (RFC 1035 §3.2.1). */
  public static final int MAX_RECORD_BYTES = 255 + FIXED_BYTES + 65535;

  private static final CompactRecords EMPTY = new Builder().build();

  private final byte[][] pages;
  /** Per page, the wire size of its records, each with its owner name ({@link #wireBytes()}). */
  private final long[] pageWireBytes;
  /** Per owner name, where its group starts: page index in the high 32 bits, offset in the page in the low ones. */
  private final long[] ownerAt;
  /** Per owner name, the index of its first record; then the total number of records. */
  private final int[] firstRecord;
  private final int ownerCount;
  private final long wireBytes;
  /** The content digest's runs, once computed or carried over from the version this one was made of. */
  private volatile RunDigests runDigests;
  /** The version this one was made of by a small difference, and that difference; null otherwise. */
  private volatile Provenance provenance;

  /**
   * A version's base, weakly held so that versions made one of another never keep each other alive, and the
   * difference from it, which {@link CompactDiff#between} then returns instead of merging the two.
   */
  private record Provenance(WeakReference<CompactRecords> base, CompactDiff difference) {}

  private CompactRecords(
      byte[][] pages, long[] pageWireBytes, long[] ownerAt, int[] firstRecord, int ownerCount, long wireBytes) {
    this.pages = pages;
    this.pageWireBytes = pageWireBytes;
    this.ownerAt = ownerAt;
    this.firstRecord = firstRecord;
    this.ownerCount = ownerCount;
    this.wireBytes = wireBytes;
  }

  /** No records. */
  public static CompactRecords empty() {
    return EMPTY;
  }

  /** A builder that takes records in canonical order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The records of {@code records}, which may be in any order; for small sets (tests, differences). */
  public static CompactRecords of(List<Record> records) {
    Record[] sorted = records.toArray(new Record[0]);
    Arrays.sort(sorted, CanonicalOrder.RECORDS);
    Builder builder = builder();
    for (Record record : sorted) {
      builder.add(record);
    }
    return builder.build();
  }

  /**
   * The records of {@code canonical}, which must be in canonical order already (as the parser and the signer return
   * them); checked as they are added.
   *
   * @throws IllegalArgumentException if they are not in canonical order or hold a record twice
   */
  public static CompactRecords ofSorted(Iterable<Record> canonical) {
    Builder builder = builder();
    canonical.forEach(builder::add);
    return builder.build();
  }

  /** The number of records. */
  public int size() {
    return firstRecord[ownerCount];
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** The number of distinct owner names. */
  public int ownerCount() {
    return ownerCount;
  }

  /** The records' uncompressed wire size, each with its owner name, as an AXFR without name compression sends them. */
  public long wireBytes() {
    return wireBytes;
  }

  /** The octets held in pages and index: what the records cost in memory, apart from a few object headers. */
  public long retainedBytes() {
    long bytes = (long) ownerAt.length * Long.BYTES + (long) firstRecord.length * Integer.BYTES;
    for (byte[] page : pages) {
      bytes += page.length;
    }
    return bytes;
  }

  /**
   * The index of the first owner name that does not sort before {@code name} in canonical order (RFC 4034 §6.1), or
   * {@link #ownerCount()} when all do: a binary search over the owner index, O(log n) name comparisons without
   * decoding any record. Owner names differ in octets, not always in canonical order: the spellings of one name in
   * other cases are separate owners next to each other, and this finds the first of them.
   */
  public int ownerCeiling(Name name) {
    byte[] wire = name.toWire();
    int low = 0;
    int high = ownerCount;
    while (low < high) {
      int mid = (low + high) >>> 1;
      long at = ownerAt[mid];
      if (WireNames.compare(pages[(int) (at >>> 32)], (int) at, wire, 0) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * The index of the first owner name after {@code name} and all its descendants, or {@link #ownerCount()}: a name's
   * descendants follow it contiguously in canonical order, so this is a binary search too. Lets a reader step over
   * everything below a zone cut in O(log n).
   */
  public int ownerAfterSubtree(Name name) {
    int low = ownerCeiling(name);
    int high = ownerCount;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (ownerName(mid).subdomain(name)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** A new cursor before the first record. */
  public Cursor cursor() {
    return new Cursor();
  }

  /**
   * The index of the owner name {@code name} (equal in canonical order, RFC 4034 §6.1), or {@code -(insertion
   * point) - 1} if no record has it, as {@link java.util.Arrays#binarySearch} answers.
   */
  public int find(Name name) {
    int ceiling = ownerCeiling(name);
    if (ceiling < ownerCount) {
      long at = ownerAt[ceiling];
      if (WireNames.compare(pages[(int) (at >>> 32)], (int) at, name.toWire(), 0) == 0) {
        return ceiling;
      }
    }
    return -(ceiling + 1);
  }

  /** The owner name with index {@code owner} (0 to {@link #ownerCount()} - 1), as its records spell it. */
  public Name ownerName(int owner) {
    long at = ownerAt[owner];
    byte[] page = pages[(int) (at >>> 32)];
    try {
      return new Name(new DNSInput(Arrays.copyOfRange(page, (int) at, (int) at + WireNames.length(page, (int) at))));
    } catch (IOException e) {
      throw new UncheckedIOException("a stored owner name no longer parses", e);
    }
  }

  /** The records of the owner name with index {@code owner}, as dnsjava objects in canonical order. */
  public List<Record> recordsOf(int owner) {
    List<Record> records = new ArrayList<>(firstRecord[owner + 1] - firstRecord[owner]);
    Cursor cursor = cursorAt(owner);
    for (int i = firstRecord[owner]; i < firstRecord[owner + 1]; i++) {
      cursor.next();
      records.add(cursor.toRecord());
    }
    return records;
  }

  /** Whether the owner name with index {@code owner} has a record of {@code type}, read without decoding. */
  public boolean hasType(int owner, int type) {
    Cursor cursor = cursorAt(owner);
    for (int i = firstRecord[owner]; i < firstRecord[owner + 1]; i++) {
      cursor.next();
      if (cursor.type() == type) {
        return true;
      }
    }
    return false;
  }

  /** Where the group of owner name {@code owner} ends in its page: the next group's start, or after its last record. */
  private int groupEnd(int owner) {
    long at = ownerAt[owner];
    if (owner + 1 < ownerCount && (ownerAt[owner + 1] >>> 32) == (at >>> 32)) {
      return (int) ownerAt[owner + 1];
    }
    byte[] page = pages[(int) (at >>> 32)];
    int pos = (int) at + WireNames.length(page, (int) at);
    for (int i = firstRecord[owner]; i < firstRecord[owner + 1]; i++) {
      pos += FIXED_BYTES + (((page[pos + RDLENGTH_AT] & 0xff) << 8) | (page[pos + RDLENGTH_AT + 1] & 0xff));
    }
    return pos;
  }

  /** How many of this version's pages {@code other} holds too, the same arrays: what the two share in memory. */
  int pagesSharedWith(CompactRecords other) {
    Set<byte[]> theirs = Collections.newSetFromMap(new IdentityHashMap<>());
    theirs.addAll(Arrays.asList(other.pages));
    return (int) Arrays.stream(pages).filter(theirs::contains).count();
  }

  /** The number of pages. */
  int pageCount() {
    return pages.length;
  }

  /** The page holding the owner name with index {@code owner}, which starts at {@link #ownerOffset}. */
  byte[] ownerPage(int owner) {
    return pages[pageOf(owner)];
  }

  /** Where the owner name with index {@code owner} starts in {@link #ownerPage}. */
  int ownerOffset(int owner) {
    return (int) ownerAt[owner];
  }

  /** The index of the page holding the group of owner name {@code owner}. */
  private int pageOf(int owner) {
    return (int) (ownerAt[owner] >>> 32);
  }

  /** The index of the first owner name after {@code owner} whose group is on another page, or {@link #ownerCount}. */
  private int pageEnd(int owner) {
    int page = pageOf(owner);
    int low = owner + 1;
    int high = ownerCount;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (pageOf(mid) == page) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** The records of the owner names {@code [from, to)}, copied. */
  public CompactRecords owners(int from, int to) {
    return builder().copyOwners(this, from, to).build();
  }

  /** A cursor before the first record of the owner name with index {@code owner}. */
  Cursor cursorAt(int owner) {
    Cursor cursor = new Cursor();
    cursor.owner = owner - 1;
    cursor.record = firstRecord[owner] - 1;
    return cursor;
  }

  /**
   * The content digest of these records ({@link RunDigests}: a SHA-256 tree over their canonical wire forms, RFC 4034
   * §6.2), computed from the stored octets: a version of millions of records is digested without decoding it. Computed
   * once; a version made of a digested one by {@link CompactDiff#applyTo} has it for the cost of what changed.
   */
  public String digest() {
    return runDigests().digest();
  }

  /**
   * Whether {@code expected}, a digest written with a version's content, is these records' digest: {@link #digest}, or
   * for content written before it (without its {@code runs-sha256:} prefix) the flat SHA-384 over each record's
   * canonical wire form in order that was the digest then ({@link ZoneDigest}), so versions on the topics from then
   * are still read and checked.
   */
  public boolean hasDigest(String expected) {
    if (expected.startsWith(RunDigests.PREFIX)) {
      return digest().equals(expected);
    }
    ZoneDigest flat = ZoneDigest.start();
    addTo(flat);
    return flat.hex().equals(expected);
  }

  RunDigests runDigests() {
    RunDigests known = runDigests;
    if (known == null) {
      known = RunDigests.of(this);
      runDigests = known;
    }
    return known;
  }

  /** Remembers that this version is {@code base} changed by exactly {@code difference} ({@link CompactDiff#applyTo}). */
  void madeOf(CompactRecords base, CompactDiff difference) {
    provenance = new Provenance(new WeakReference<>(base), difference);
  }

  /** The difference from {@code base} to this version if this version was made of it, else null. */
  CompactDiff differenceFrom(CompactRecords base) {
    Provenance known = provenance;
    return known != null && known.base().get() == base ? known.difference() : null;
  }

  /** The runs of the content digest if computed already, else null. */
  RunDigests knownRunDigests() {
    return runDigests;
  }

  /** Takes {@code runs} as the content digest's runs, carried over from the version this one was made of. */
  void knowRunDigests(RunDigests runs) {
    runDigests = runs;
  }

  /**
   * Octets of canonical records gathered before they go to a digest in one update: a digest update per record costs
   * more in calls than in hashing (records are tens of octets); no official reference.
   */
  private static final int DIGEST_BATCH = 64 << 10;

  /** Adds every record, in order, to {@code digest} as {@link ZoneDigest#add(Record)} would, from the octets. */
  public void addTo(ZoneDigest digest) {
    canonicalWire(0, ownerCount, digest::add);
  }

  /** Takes octets in order, as a message digest's update does. */
  interface OctetSink {
    void update(byte[] octets, int offset, int length);
  }

  /**
   * Hands {@code sink} the canonical wire form (RFC 4034 §6.2) of every record of the owner names {@code [from, to)},
   * in order, gathered into updates of about {@value #DIGEST_BATCH} octets.
   */
  void canonicalWire(int from, int to, OctetSink sink) {
    if (from >= to) {
      return;
    }
    Cursor cursor = cursorAt(from);
    byte[] batch = new byte[DIGEST_BATCH + MAX_RECORD_BYTES];
    int filled = 0;
    while (cursor.next() && cursor.ownerIndex() < to) {
      int end = CanonicalWire.write(cursor, batch, filled);
      if (end < 0) {
        sink.update(batch, 0, filled);
        filled = 0;
        byte[] decoded = cursor.toRecord().toWireCanonical();
        sink.update(decoded, 0, decoded.length);
      } else if (end >= DIGEST_BATCH) {
        sink.update(batch, 0, end);
        filled = 0;
      } else {
        filled = end;
      }
    }
    sink.update(batch, 0, filled);
  }

  /** Every record as a dnsjava object, in canonical order; for small sets and tests. */
  public List<Record> toRecords() {
    List<Record> records = new ArrayList<>(size());
    Cursor cursor = cursor();
    while (cursor.next()) {
      records.add(cursor.toRecord());
    }
    return records;
  }

  /**
   * Walks the records in canonical order. The owner name and the rest of the current record are ranges of one page,
   * valid until the next call of {@link #next}. Not thread-safe: one cursor per reader.
   */
  public final class Cursor {
    private int owner = -1;
    private int record = -1;
    private byte[] page;
    private int ownerOffset;
    private int ownerLength;
    private int rrOffset;
    private int rrLength;

    private Cursor() {}

    /** Moves to the next record; false when there is none. */
    public boolean next() {
      if (record + 1 >= size()) {
        record = size();
        return false;
      }
      record++;
      if (owner < 0 || record == firstRecord[owner + 1]) {
        owner++;
        long at = ownerAt[owner];
        page = pages[(int) (at >>> 32)];
        ownerOffset = (int) at;
        ownerLength = WireNames.length(page, ownerOffset);
        rrOffset = ownerOffset + ownerLength;
      } else {
        rrOffset += rrLength;
      }
      int rdlength = ((page[rrOffset + RDLENGTH_AT] & 0xff) << 8) | (page[rrOffset + RDLENGTH_AT + 1] & 0xff);
      rrLength = FIXED_BYTES + rdlength;
      return true;
    }

    /** The page holding the current owner name and record. */
    public byte[] page() {
      return page;
    }

    /** Where the current owner name starts in {@link #page()}. */
    public int ownerOffset() {
      return ownerOffset;
    }

    /** The length of the current owner name in uncompressed wire format. */
    public int ownerLength() {
      return ownerLength;
    }

    /** Where the rest of the current record (TYPE onwards) starts in {@link #page()}. */
    public int rrOffset() {
      return rrOffset;
    }

    /** The length of the rest of the current record: 10 octets plus RDLENGTH. */
    public int rrLength() {
      return rrLength;
    }

    /** The index of the current record's owner name. */
    public int ownerIndex() {
      return owner;
    }

    /** The current record's index in canonical order. */
    public int index() {
      return record;
    }

    /** Whether the current record is the first of its owner name. */
    public boolean firstOfOwner() {
      return record == firstRecord[owner];
    }

    /** The current record's TYPE. */
    public int type() {
      return ((page[rrOffset] & 0xff) << 8) | (page[rrOffset + 1] & 0xff);
    }

    /** The current record's whole uncompressed wire form, owner name included. */
    public byte[] wire() {
      byte[] wire = new byte[ownerLength + rrLength];
      System.arraycopy(page, ownerOffset, wire, 0, ownerLength);
      System.arraycopy(page, rrOffset, wire, ownerLength, rrLength);
      return wire;
    }

    /** The current record as a dnsjava object. */
    public Record toRecord() {
      try {
        return Record.fromWire(wire(), Section.ANSWER);
      } catch (IOException e) {
        throw new UncheckedIOException("a stored record no longer parses", e);
      }
    }
  }

  /**
   * Collects records in canonical order into pages. A record out of order, or a second copy of one, is refused: the
   * order is what lets readers merge versions in one pass.
   */
  public static final class Builder {
    private final List<byte[]> pages = new ArrayList<>();
    private byte[] page = new byte[0];
    private int position;
    private long[] ownerAt = new long[16];
    private int[] firstRecord = new int[17];
    private int ownerCount;
    private int recordCount;
    private long wireBytes;
    /** Per page of {@link #pages}, the wire size of its records. */
    private long[] pageWireBytes = new long[4];
    private Record previous;
    /**
     * The previous record's owner name as stored, a range of this builder's current page (none yet: length 0):
     * records share it only if their owner has the same octets.
     */
    private byte[] previousOwnerPage = new byte[0];
    private int previousOwnerOffset;
    private int previousOwnerLength;

    private Builder() {}

    /**
     * Adds the next record.
     *
     * @throws IllegalArgumentException if the record sorts before the previous one or equals it (RFC 4034 §6.3:
     *     an RRset has no duplicate records)
     */
    public Builder add(Record record) {
      if (previous != null) {
        int c = CanonicalOrder.RECORDS.compare(previous, record);
        if (c > 0) {
          throw new IllegalArgumentException("records out of canonical order: " + record + " after " + previous);
        }
        if (c == 0) {
          throw new IllegalArgumentException("duplicate record: " + record);
        }
      }
      byte[] wire = record.toWire(Section.ANSWER);
      int ownerLength = record.getName().length();
      boolean newOwner = !sameAsPreviousOwner(wire, 0, ownerLength);
      int needed = wire.length - (newOwner ? 0 : ownerLength);
      if (position + needed > page.length) {
        // A new page starts with an owner name, so that a cursor finds every owner group within one page.
        startPage(Math.max(PAGE_BYTES, wire.length));
        newOwner = true;
      }
      if (newOwner) {
        newOwner(wire, 0, ownerLength);
      }
      System.arraycopy(wire, ownerLength, page, position, wire.length - ownerLength);
      position += wire.length - ownerLength;
      recordCount++;
      grow(wire.length);
      previous = record;
      return this;
    }

    /**
     * Adds the cursor's current record as it is stored, without decoding it. For merges of record sets that are in
     * canonical order already (the caller keeps the order; it is not checked again), so a merge costs copies, not
     * parsing. A builder is fed either by {@link #add} or by this method, not both.
     */
    Builder copy(Cursor cursor) {
      byte[] from = cursor.page();
      int ownerLength = cursor.ownerLength();
      int ownerOffset = cursor.ownerOffset();
      boolean newOwner = !sameAsPreviousOwner(from, ownerOffset, ownerLength);
      int needed = cursor.rrLength() + (newOwner ? ownerLength : 0);
      if (position + needed > page.length) {
        startPage(Math.max(PAGE_BYTES, ownerLength + cursor.rrLength()));
        newOwner = true;
      }
      if (newOwner) {
        newOwner(from, ownerOffset, ownerLength);
      }
      System.arraycopy(from, cursor.rrOffset(), page, position, cursor.rrLength());
      position += cursor.rrLength();
      recordCount++;
      grow(ownerLength + cursor.rrLength());
      previous = null;
      return this;
    }

    /**
     * Adds the record in uncompressed DNS wire format (RFC 1035 §4.1.3: owner name without compression pointers, then
     * type, class, TTL, RDLENGTH and RDATA) that starts at {@code source[offset]} and ends before {@code end}, as
     * {@link Cursor} would give it back, without decoding it; returns where the record ends. For records that were
     * written from a compact form and come back checked by a digest (zone content), so their order is the order they
     * were written in and is not checked again. A builder is fed either by {@link #add} or by this method, not both.
     *
     * @throws IllegalArgumentException if the octets do not hold a whole record: a label or name too long (RFC 1035
     *     §2.3.4), a compression pointer, or the record running past {@code end}
     */
    public int addWire(byte[] source, int offset, int end) {
      int ownerLength = wireNameLength(source, offset, end);
      int rr = offset + ownerLength;
      if (rr + FIXED_BYTES > end) {
        throw new IllegalArgumentException("a record is cut off at octet " + offset);
      }
      int rrLength = FIXED_BYTES + (((source[rr + RDLENGTH_AT] & 0xff) << 8) | (source[rr + RDLENGTH_AT + 1] & 0xff));
      if (rr + rrLength > end) {
        throw new IllegalArgumentException("the RDATA of a record runs past its chunk at octet " + offset);
      }
      boolean newOwner = !sameAsPreviousOwner(source, offset, ownerLength);
      if (position + rrLength + (newOwner ? ownerLength : 0) > page.length) {
        startPage(Math.max(PAGE_BYTES, ownerLength + rrLength));
        newOwner = true;
      }
      if (newOwner) {
        newOwner(source, offset, ownerLength);
      }
      System.arraycopy(source, rr, page, position, rrLength);
      position += rrLength;
      recordCount++;
      grow(ownerLength + rrLength);
      previous = null;
      return rr + rrLength;
    }

    /** The length of the uncompressed name at {@code source[offset]}, checked against RFC 1035 §2.3.4 and {@code end}. */
    private static int wireNameLength(byte[] source, int offset, int end) {
      int pos = offset;
      while (true) {
        if (pos >= end) {
          throw new IllegalArgumentException("a name is cut off at octet " + offset);
        }
        int label = source[pos] & 0xff;
        if (label > 63) {
          throw new IllegalArgumentException("a label of " + label + " octets or a compression pointer at octet " + pos);
        }
        pos += label + 1;
        if (pos - offset > 255) {
          throw new IllegalArgumentException("a name longer than 255 octets at octet " + offset);
        }
        if (label == 0) {
          return pos - offset;
        }
      }
    }

    /** Starts an owner group at the current position with the owner name {@code name[offset, offset + length)}. */
    private void newOwner(byte[] name, int offset, int length) {
      if (ownerCount == ownerAt.length) {
        ownerAt = Arrays.copyOf(ownerAt, ownerCount * 2);
        firstRecord = Arrays.copyOf(firstRecord, ownerCount * 2 + 1);
      }
      ownerAt[ownerCount] = ((long) (pages.size() - 1) << 32) | position;
      firstRecord[ownerCount] = recordCount;
      ownerCount++;
      System.arraycopy(name, offset, page, position, length);
      previousOwnerPage = page;
      previousOwnerOffset = position;
      previousOwnerLength = length;
      position += length;
    }

    private boolean sameAsPreviousOwner(byte[] name, int offset, int length) {
      return Arrays.equals(previousOwnerPage, previousOwnerOffset, previousOwnerOffset + previousOwnerLength,
          name, offset, offset + length);
    }

    /**
     * Adds the owner names {@code [from, to)} of {@code source} with all their records, copied group by group without
     * decoding: what a small difference leaves unchanged of a large version costs one array copy per owner name. The
     * first of them must sort after everything added so far; as with {@link #copy}, that is the caller's promise.
     */
    Builder copyOwners(CompactRecords source, int from, int to) {
      for (int owner = from; owner < to; owner++) {
        long at = source.ownerAt[owner];
        byte[] sourcePage = source.pages[(int) (at >>> 32)];
        int start = (int) at;
        int length = source.groupEnd(owner) - start;
        int ownerLength = WireNames.length(sourcePage, start);
        if (position + length > page.length) {
          startPage(Math.max(PAGE_BYTES, length));
        }
        newOwner(sourcePage, start, ownerLength);
        System.arraycopy(sourcePage, start + ownerLength, page, position, length - ownerLength);
        position += length - ownerLength;
        int records = source.firstRecord[owner + 1] - source.firstRecord[owner];
        recordCount += records;
        grow((long) records * ownerLength + length - ownerLength);
      }
      previous = null;
      return this;
    }

    /**
     * Adds the owner names {@code [from, to)} of {@code source} with all their records, as {@link #copyOwners} does,
     * but takes each page of {@code source} that holds only owner names of the range as it is instead of copying it:
     * pages never change once built, so two versions can hold one. Only the pages at the ends of the range, shared
     * with owner names outside it, are copied group by group. The same promise on order as {@link #copyOwners}.
     */
    Builder shareOwners(CompactRecords source, int from, int to) {
      int owner = from;
      while (owner < to) {
        int pageEnd = source.pageEnd(owner);
        boolean pageStarts = owner == 0 || source.pageOf(owner - 1) != source.pageOf(owner);
        if (pageStarts && pageEnd <= to) {
          share(source, owner, pageEnd);
          owner = pageEnd;
        } else {
          int end = Math.min(pageEnd, to);
          copyOwners(source, owner, end);
          owner = end;
        }
      }
      return this;
    }

    /** Takes the page of {@code source} holding exactly its owner names {@code [from, to)}, without copying it. */
    private void share(CompactRecords source, int from, int to) {
      closePage();
      int sourcePage = source.pageOf(from);
      addPage(source.pages[sourcePage]);
      long pageIndex = (long) (pages.size() - 1) << 32;
      int firstBefore = source.firstRecord[from];
      for (int owner = from; owner < to; owner++) {
        if (ownerCount == ownerAt.length) {
          ownerAt = Arrays.copyOf(ownerAt, ownerCount * 2);
          firstRecord = Arrays.copyOf(firstRecord, ownerCount * 2 + 1);
        }
        ownerAt[ownerCount] = pageIndex | (source.ownerAt[owner] & 0xffffffffL);
        firstRecord[ownerCount] = recordCount + source.firstRecord[owner] - firstBefore;
        ownerCount++;
      }
      recordCount += source.firstRecord[to] - firstBefore;
      grow(source.pageWireBytes[sourcePage]);
      // The shared page is full as far as this builder goes: what comes next starts a page of its own.
      page = new byte[0];
      position = 0;
      previousOwnerPage = page;
      previousOwnerOffset = 0;
      previousOwnerLength = 0;
      previous = null;
    }

    /** The records added so far. */
    public int size() {
      return recordCount;
    }

    /** The owner names added so far: the index the next new owner name gets. */
    int ownerCount() {
      return ownerCount;
    }

    /** The records added, the last page trimmed to what it holds. The builder must not be used afterwards. */
    public CompactRecords build() {
      closePage();
      int[] firsts = Arrays.copyOf(firstRecord, ownerCount + 1);
      firsts[ownerCount] = recordCount;
      return new CompactRecords(pages.toArray(new byte[0][]), Arrays.copyOf(pageWireBytes, pages.size()),
          Arrays.copyOf(ownerAt, ownerCount), firsts, ownerCount, wireBytes);
    }

    /** Leaves the rest of the current page unused (at most one record's size) rather than copying it. */
    private void startPage(int size) {
      page = new byte[size];
      addPage(page);
      position = 0;
    }

    private void addPage(byte[] added) {
      pages.add(added);
      if (pages.size() > pageWireBytes.length) {
        pageWireBytes = Arrays.copyOf(pageWireBytes, pageWireBytes.length * 2);
      }
    }

    /** Trims the page being filled, if any, to what it holds: nothing more is added to it. */
    private void closePage() {
      if (!pages.isEmpty() && pages.get(pages.size() - 1) == page && position < page.length) {
        pages.set(pages.size() - 1, Arrays.copyOf(page, position));
      }
    }

    /** Counts {@code bytes} more of records' wire size, on the current page. */
    private void grow(long bytes) {
      wireBytes += bytes;
      pageWireBytes[pages.size() - 1] += bytes;
    }
  }
}
