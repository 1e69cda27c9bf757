package dev.cascade.dnssec.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
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

        previous.digest();
        CompactRecords applied = diff.applyTo(previous);
        assertExact(full, applied, where + ": previous + diff");
        assertEquals(current.digest(), applied.digest(), where + ": digest carried over");
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

        previous.digest();
        CompactRecords applied = diff.applyTo(previous);
        assertEquals(wires(current), wires(applied), "sequence " + sequence + " version " + v);
        // The digest carried over from the runs the difference left alone equals one computed afresh.
        assertEquals(CompactRecords.of(current.toRecords()).digest(), applied.digest(), "sequence " + sequence);
        // The version made by a small difference hands it back instead of a merge computing it again.
        org.junit.jupiter.api.Assertions.assertSame(diff, CompactDiff.between(previous, applied));
        previous = applied;
      }
    }
  }

  @Test
  void aSmallDifferenceSharesTheUntouchedPagesOfTheVersionItAppliesTo() {
    List<Record> filler = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      filler.add(new org.xbill.DNS.TXTRecord(RandomRecords.name("f" + i + ".filler"), org.xbill.DNS.DClass.IN, 60,
          "x".repeat(200)));
    }
    RandomRecords records = new RandomRecords(new Random(7));
    List<Record> full = records.zone(1, 20);
    CompactRecords previous = withFiller(full, filler);
    List<Record> next = new ArrayList<>(records.edit(full, 2));
    next.add(new org.xbill.DNS.TXTRecord(RandomRecords.name("f30000x.filler"), org.xbill.DNS.DClass.IN, 60, "new"));
    CompactRecords current = withFiller(next, filler);
    CompactDiff diff = CompactDiff.between(previous, current);

    CompactRecords applied = diff.applyTo(previous);

    assertEquals(wires(current), wires(applied));
    assertTrue(previous.pageCount() >= 3, "the version spans " + previous.pageCount() + " pages");
    // The SOA's page and the page of the added TXT are written anew; every other page is the same array in both.
    assertTrue(applied.pagesSharedWith(previous) >= previous.pageCount() - 2,
        applied.pagesSharedWith(previous) + " of " + previous.pageCount() + " pages shared");
    assertEquals(current.wireBytes(), applied.wireBytes());
    assertEquals(current.digest(), applied.digest());
    // A difference applied to the version made of it: the shared pages serve the next version as well.
    CompactDiff back = CompactDiff.between(current, previous);
    assertEquals(wires(previous), wires(back.applyTo(applied)));
    // A difference that removes a record and adds it again makes the same version, but is not what changed: what
    // changed is computed, not taken from it.
    CompactRecords kept = previous.owners(1, 2);
    CompactDiff roundabout = new CompactDiff(CompactRecords.of(concat(diff.removed(), kept)),
        CompactRecords.of(concat(diff.added(), kept)));
    CompactRecords sameVersion = roundabout.applyTo(previous);
    assertEquals(wires(current), wires(sameVersion));
    assertEquals(wires(diff.removed()), wires(CompactDiff.between(previous, sameVersion).removed()));
    assertEquals(wires(diff.added()), wires(CompactDiff.between(previous, sameVersion).added()));
  }

  @Test
  void theDigestCarriedOverEqualsOneComputedAfreshWhateverTheChangeTouches() {
    // Changes aimed at the names where digest runs start (and their neighbours), besides random ones: removing,
    // adding, re-spelling and changing records there moves run boundaries.
    Random random = new Random(20261207);
    List<Name> names = new ArrayList<>();
    List<Integer> runStarts = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      Name name = RandomRecords.name("h" + i);
      names.add(name);
    }
    names.sort(null);
    for (int i = 0; i < names.size(); i++) {
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(names.get(i).toWireCanonical());
      if ((crc.getValue() & 1023) == 0) {
        runStarts.add(i);
      }
    }
    assertTrue(runStarts.size() > 3, runStarts.size() + " run starts");
    java.util.TreeMap<Name, List<Record>> zone = new java.util.TreeMap<>();
    zone.put(RandomRecords.ORIGIN, List.of(new RandomRecords(random).soa(1)));
    for (Name name : names) {
      zone.put(name, List.of(txt(name, "v0")));
    }
    CompactRecords version = CompactRecords.of(flatten(zone));
    version.digest();
    for (int v = 2; v < 40; v++) {
      zone.put(RandomRecords.ORIGIN, List.of(new RandomRecords(random).soa(v)));
      for (int k = 0; k < 3; k++) {
        int at = random.nextBoolean()
            ? runStarts.get(random.nextInt(runStarts.size())) + random.nextInt(3) - 1
            : random.nextInt(names.size());
        Name name = names.get(Math.max(0, Math.min(names.size() - 1, at)));
        switch (random.nextInt(4)) {
          case 0 -> zone.remove(name);
          case 1 -> zone.put(name, List.of(txt(name, "v" + v)));
          case 2 -> zone.put(name, List.of(txt(name, "v0"), txt(name, "extra" + v)));
          default -> zone.put(name, List.of(txt(upper(name), "v" + v)));
        }
      }
      CompactRecords next = CompactRecords.of(flatten(zone));
      CompactRecords applied = CompactDiff.between(version, next).applyTo(version);
      assertEquals(wires(next), wires(applied), "version " + v);
      assertEquals(next.digest(), applied.digest(), "version " + v);
      version = applied;
    }
  }

  private static List<Record> concat(CompactRecords a, CompactRecords b) {
    List<Record> all = new ArrayList<>(a.toRecords());
    all.addAll(b.toRecords());
    return all;
  }

  private static Record txt(Name name, String text) {
    return new org.xbill.DNS.TXTRecord(name, org.xbill.DNS.DClass.IN, 60, text);
  }

  private static Name upper(Name name) {
    return RandomRecords.name(name.toString(true).toUpperCase(java.util.Locale.ROOT).replace(".EXAMPLE", ""));
  }

  private static List<Record> flatten(java.util.Map<Name, List<Record>> zone) {
    List<Record> all = new ArrayList<>();
    zone.values().forEach(all::addAll);
    return all;
  }

  @Test
  void aDifferenceAppliedToAVersionItIsNotFromIsRefused() {
    RandomRecords records = new RandomRecords(new Random(11));
    List<Record> v1 = records.zone(1, 30);
    List<Record> v2 = records.edit(v1, 2);
    CompactDiff diff = CompactDiff.between(CompactRecords.of(v1), CompactRecords.of(v2));
    List<Record> filler = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      filler.add(new org.xbill.DNS.TXTRecord(RandomRecords.name("f" + i + ".filler"), org.xbill.DNS.DClass.IN, 60, "x"));
    }

    // Applied to the version it makes: every removed record is missing there (the SOA of serial 1 at least).
    IllegalArgumentException twice = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> diff.applyTo(CompactRecords.of(v2)));
    assertTrue(twice.getMessage().contains("the version lacks"), twice.getMessage());
    // The same by the name-by-name path, on a large version.
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> diff.applyTo(withFiller(v2, filler)));
    // A difference that adds a record the version holds already.
    CompactDiff addsHeld = new CompactDiff(CompactRecords.empty(), CompactRecords.of(List.of(v1.get(1))));
    IllegalArgumentException held = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> addsHeld.applyTo(CompactRecords.of(v1)));
    assertTrue(held.getMessage().contains("the version holds"), held.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> addsHeld.applyTo(withFiller(v1, filler)));
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
