package dev.cascade.dnssec.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Versions rebuilt from a full snapshot plus a chain of differences equal the full versions, whatever the snapshot
 * interval: the property a reader of diffs relies on (issue: versions travel as diffs).
 */
class CompactDiffTest {

  @Test
  void everyVersionIsItsSnapshotPlusItsDifferences() {
    Random random = new Random(20261203);
    for (int sequence = 0; sequence < 300; sequence++) {
      RandomRecords records = new RandomRecords(random);
      int interval = 1 + random.nextInt(6);
      List<Record> full = records.zone(1, 5 + random.nextInt(40));
      CompactRecords previous = CompactRecords.of(full);
      CompactRecords snapshot = previous;
      List<CompactDiff> chain = new ArrayList<>();
      int versions = 2 + random.nextInt(15);
      for (int v = 2; v <= versions; v++) {
        full = records.edit(full, v);
        CompactRecords current = CompactRecords.of(full);
        CompactDiff diff = CompactDiff.between(previous, current);
        String where = "sequence " + sequence + " version " + v + " interval " + interval;

        assertExact(full, diff.applyTo(previous), where + ": previous + diff");
        chain.add(diff);
        CompactRecords rebuilt = snapshot;
        for (CompactDiff d : chain) {
          rebuilt = d.applyTo(rebuilt);
        }
        assertExact(full, rebuilt, where + ": snapshot + chain");
        CompactDiff condensed = chain.get(0);
        for (CompactDiff d : chain.subList(1, chain.size())) {
          condensed = condensed.then(d);
        }
        assertExact(full, condensed.applyTo(snapshot), where + ": snapshot + condensed chain");
        assertEquals(asSet(CompactDiff.between(snapshot, current).removed()), asSet(condensed.removed()), where);
        assertEquals(asSet(CompactDiff.between(snapshot, current).added()), asSet(condensed.added()), where);

        if ((v - 1) % interval == 0) {
          snapshot = current;
          chain.clear();
        }
        previous = current;
      }
    }
  }

  @Test
  void aSmallDifferenceIsAppliedNameByNameToALargeVersionAsByAMerge() {
    // Thousands of untouched owner names around the random ones, so that a difference of a few names takes the
    // name-by-name path of applyTo (owner groups copied whole, across page boundaries too: the TXT strings make the
    // version span several 4 MiB pages).
    Random random = new Random(20261204);
    List<Record> filler = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      filler.add(new org.xbill.DNS.TXTRecord(RandomRecords.name("f" + i + ".filler"), org.xbill.DNS.DClass.IN, 60,
          "x".repeat(200 + random.nextInt(55))));
    }
    for (int sequence = 0; sequence < 40; sequence++) {
      RandomRecords records = new RandomRecords(random);
      List<Record> full = records.zone(1, 5 + random.nextInt(40));
      CompactRecords previous = withFiller(full, filler);
      for (int v = 2; v <= 6; v++) {
        full = records.edit(full, v);
        CompactRecords current = withFiller(full, filler);
        CompactDiff diff = CompactDiff.between(previous, current);
        assertTrue(diff.size() * 64 < previous.ownerCount(), "a small difference: " + diff.size());

        assertEquals(wires(current), wires(diff.applyTo(previous)), "sequence " + sequence + " version " + v);
        previous = current;
      }
    }
  }

  private static CompactRecords withFiller(List<Record> records, List<Record> filler) {
    List<Record> all = new ArrayList<>(records);
    all.addAll(filler);
    return CompactRecords.of(all);
  }

  @Test
  void aTtlChangeIsARemovalAndAnAddition() {
    RandomRecords records = new RandomRecords(new Random(5));
    Record a = records.record();
    Record longer = RandomRecords.withTtl(a, a.getTTL() + 1);

    CompactDiff diff = CompactDiff.between(CompactRecords.of(List.of(records.soa(1), a)),
        CompactRecords.of(List.of(records.soa(2), longer)));

    assertEquals(2, diff.removed().size());
    assertEquals(2, diff.added().size());
    assertTrue(diff.added().toRecords().stream().anyMatch(r -> r.getTTL() == a.getTTL() + 1));
  }

  /** The same records in the same order, octet for octet. */
  private static void assertExact(List<Record> expected, CompactRecords actual, String where) {
    CompactRecords want = CompactRecords.of(expected);
    assertEquals(wires(want), wires(actual), where);
  }

  private static List<String> wires(CompactRecords records) {
    List<String> wires = new ArrayList<>();
    for (Record r : records.toRecords()) {
      wires.add(java.util.HexFormat.of().formatHex(r.toWire(Section.ANSWER)) + " ttl " + r.getTTL());
    }
    return wires;
  }

  private static Set<String> asSet(CompactRecords records) {
    return new HashSet<>(wires(records));
  }
}
