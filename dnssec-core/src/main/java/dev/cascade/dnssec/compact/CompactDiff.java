package dev.cascade.dnssec.compact;

import dev.cascade.dnssec.zone.CanonicalOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The difference between two versions of a zone as an incremental zone transfer carries it (RFC 1995 §4): the
 * records of the older version that the newer lacks, and those of the newer that the older lacks, both in canonical
 * order. A record whose TTL changed is in both. Computed in one merge pass over two {@link CompactRecords}, which
 * decodes only the records that differ.
 *
 * @param removed records to delete from the older version, old SOA included
 * @param added records to add to it, new SOA included
 */
public record CompactDiff(CompactRecords removed, CompactRecords added) {

  /**
   * What changed from {@code older} to {@code newer}: the difference {@code newer} was made of {@code older} with, when
   * it was ({@link #applyTo}), else one merge pass over both.
   */
  public static CompactDiff between(CompactRecords older, CompactRecords newer) {
    CompactDiff known = newer.differenceFrom(older);
    if (known != null) {
      return known;
    }
    CompactRecords.Builder removed = CompactRecords.builder();
    CompactRecords.Builder added = CompactRecords.builder();
    merge(older, newer, removed, added, null);
    return new CompactDiff(removed.build(), added.build());
  }

  /**
   * This difference followed by {@code next}, condensed into one (RFC 1995 §5): a record removed and added again is
   * in neither list, a record added and removed again in neither.
   */
  public CompactDiff then(CompactDiff next) {
    CompactRecords removedFirst = union(removed, minus(next.removed, added));
    CompactRecords addedFirst = union(minus(added, next.removed), next.added);
    CompactRecords restored = intersection(removedFirst, addedFirst);
    return new CompactDiff(minus(removedFirst, restored), minus(addedFirst, restored));
  }

  /**
   * Above this many owner names in a difference per owner name of the version it applies to, {@link #applyTo} merges
   * the two whole instead of looking each name up; no official reference, a binary search costs about 20 name
   * comparisons, a merge step one.
   */
  private static final int LOOKUPS_PER_MERGE = 64;

  /**
   * The version this difference makes of {@code older}: its records less those removed, plus those added. A small
   * difference is applied name by name: each owner name it touches is found by binary search and merged alone, and
   * the owner names between are taken over page by page, shared with {@code older} where a page holds none of the
   * touched names ({@link CompactRecords.Builder#shareOwners}), so one changed delegation in a TLD costs the pages it
   * touches, not a copy of the zone.
   *
   * @throws IllegalArgumentException if this difference is not one from {@code older}: it removes a record that
   *     {@code older} lacks, or adds one that {@code older} holds and the difference does not remove (a difference
   *     read with the wrong base, for instance); what {@link #between} makes always applies
   */
  public CompactRecords applyTo(CompactRecords older) {
    if ((long) (removed.ownerCount() + added.ownerCount()) * LOOKUPS_PER_MERGE > older.ownerCount()) {
      return remembered(older, applyExactly(older, removed, added));
    }
    CompactRecords.Builder out = CompactRecords.builder();
    List<RunDigests.Span> unchanged = new ArrayList<>();
    int copied = 0;
    for (Name name : ownerNames()) {
      int[] at = spellings(older, name);
      unchanged.add(new RunDigests.Span(out.ownerCount(), copied, at[0] - copied));
      out.shareOwners(older, copied, at[0]);
      int[] gone = spellings(removed, name);
      int[] come = spellings(added, name);
      CompactRecords changed =
          applyExactly(older.owners(at[0], at[1]), removed.owners(gone[0], gone[1]), added.owners(come[0], come[1]));
      CompactRecords.Cursor cursor = changed.cursor();
      while (cursor.next()) {
        out.copy(cursor);
      }
      copied = at[1];
    }
    unchanged.add(new RunDigests.Span(out.ownerCount(), copied, older.ownerCount() - copied));
    CompactRecords newer = out.shareOwners(older, copied, older.ownerCount()).build();
    RunDigests runs = older.knownRunDigests();
    if (runs != null) {
      newer.knowRunDigests(runs.after(unchanged, newer));
    }
    return remembered(older, newer);
  }

  /**
   * A difference is remembered with the version it made when it is what {@link #between} would compute (it removes
   * nothing it adds again) and small: at most this share of the version's records, so a version never holds a large
   * difference alive (a whole zone re-signed); no official reference.
   */
  private static final int REMEMBERED_SHARE = 8;

  /** {@code newer}, remembering that it is {@code older} changed by this difference when {@link #REMEMBERED_SHARE} allows. */
  private CompactRecords remembered(CompactRecords older, CompactRecords newer) {
    if ((long) size() * REMEMBERED_SHARE <= newer.size() && intersection(removed, added).isEmpty()) {
      newer.madeOf(older, this);
    }
    return newer;
  }

  /** {@code older} less {@code gone} plus {@code come}, which must apply to it ({@link #applyTo}). */
  private static CompactRecords applyExactly(CompactRecords older, CompactRecords gone, CompactRecords come) {
    CompactRecords kept = minus(older, gone);
    if (kept.size() != older.size() - gone.size()) {
      throw new IllegalArgumentException(
          "the difference removes " + (gone.size() - older.size() + kept.size()) + " record(s) the version lacks");
    }
    CompactRecords result = union(kept, come);
    if (result.size() != kept.size() + come.size()) {
      throw new IllegalArgumentException("the difference adds record(s) the version holds");
    }
    return result;
  }

  /** The owner names of both lists, each once (in canonical order, RFC 4034 §6.1, whatever their case). */
  private SortedSet<Name> ownerNames() {
    SortedSet<Name> names = new TreeSet<>();
    for (CompactRecords list : List.of(removed, added)) {
      for (int owner = 0; owner < list.ownerCount(); owner++) {
        names.add(list.ownerName(owner));
      }
    }
    return names;
  }

  /**
   * The range {@code [from, to)} of the owner names of {@code records} equal to {@code name}: empty at its place in
   * canonical order when there is none, several when it is stored in more than one case.
   */
  private static int[] spellings(CompactRecords records, Name name) {
    int found = records.find(name);
    if (found < 0) {
      return new int[] {-found - 1, -found - 1};
    }
    int from = found;
    while (from > 0 && records.ownerName(from - 1).equals(name)) {
      from--;
    }
    int to = found + 1;
    while (to < records.ownerCount() && records.ownerName(to).equals(name)) {
      to++;
    }
    return new int[] {from, to};
  }

  /** The number of records in both lists. */
  public int size() {
    return removed.size() + added.size();
  }

  private static CompactRecords minus(CompactRecords a, CompactRecords b) {
    CompactRecords.Builder out = CompactRecords.builder();
    merge(a, b, out, null, null);
    return out.build();
  }

  private static CompactRecords intersection(CompactRecords a, CompactRecords b) {
    CompactRecords.Builder out = CompactRecords.builder();
    merge(a, b, null, null, out);
    return out.build();
  }

  private static CompactRecords union(CompactRecords a, CompactRecords b) {
    CompactRecords.Builder out = CompactRecords.builder();
    merge(a, b, out, out, out);
    return out.build();
  }

  /**
   * One pass over two record sets in canonical order, handing each record to the builder for "only in a", "only in b"
   * or "in both" (null: dropped). The builders receive records in canonical order, as they require.
   */
  private static void merge(
      CompactRecords a,
      CompactRecords b,
      CompactRecords.Builder onlyA,
      CompactRecords.Builder onlyB,
      CompactRecords.Builder both) {
    CompactRecords.Cursor x = a.cursor();
    CompactRecords.Cursor y = b.cursor();
    boolean hasX = x.next();
    boolean hasY = y.next();
    while (hasX && hasY) {
      int c = compare(x, y);
      if (c < 0) {
        add(onlyA, x);
        hasX = x.next();
      } else if (c > 0) {
        add(onlyB, y);
        hasY = y.next();
      } else {
        add(both, x);
        hasX = x.next();
        hasY = y.next();
      }
    }
    for (; hasX; hasX = x.next()) {
      add(onlyA, x);
    }
    for (; hasY; hasY = y.next()) {
      add(onlyB, y);
    }
  }

  private static void add(CompactRecords.Builder builder, CompactRecords.Cursor cursor) {
    if (builder != null) {
      builder.copy(cursor);
    }
  }

  /**
   * Canonical order (RFC 4034 §6), then TTL, then the octets: two records are the same record only when they are
   * octet for octet the same, so a version rebuilt from differences is the version itself, down to the case of its
   * names (which canonical order ignores). The common case, octet-identical records, needs no decoding.
   */
  static int compare(CompactRecords.Cursor x, CompactRecords.Cursor y) {
    byte[] xp = x.page();
    byte[] yp = y.page();
    boolean sameOwner =
        WireNames.sameOctets(xp, x.ownerOffset(), x.ownerLength(), yp, y.ownerOffset(), y.ownerLength());
    if (!sameOwner) {
      int c = WireNames.compare(xp, x.ownerOffset(), yp, y.ownerOffset());
      if (c != 0) {
        return c;
      }
    }
    if (sameOwner
        && Arrays.equals(xp, x.rrOffset(), x.rrOffset() + x.rrLength(), yp, y.rrOffset(), y.rrOffset() + y.rrLength())) {
      return 0;
    }
    Record r = x.toRecord();
    Record s = y.toRecord();
    int c = CanonicalOrder.RECORDS.compare(r, s);
    if (c == 0) {
      c = Long.compare(r.getTTL(), s.getTTL());
    }
    return c != 0 ? c : Arrays.compareUnsigned(x.wire(), y.wire());
  }
}
