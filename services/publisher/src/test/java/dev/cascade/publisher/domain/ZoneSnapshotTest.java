package dev.cascade.publisher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneSnapshotTest {

  @Test
  void keepsRecordsInCanonicalOrderWhateverTheInputOrder() throws Exception {
    List<Record> records = new ArrayList<>(TestRecords.zone("example.test.", 7, 20));
    Collections.reverse(records);

    ZoneSnapshot snapshot = ZoneSnapshot.of(TestRecords.name("example.test."), "v1", records);

    assertEquals(records.size(), snapshot.size());
    assertEquals(7, snapshot.serial());
    List<Record> held = snapshot.records().toRecords();
    for (int i = 1; i < held.size(); i++) {
      assertTrue(CanonicalOrder.RECORDS.compare(held.get(i - 1), held.get(i)) < 0);
    }
  }

  @Test
  void refusesAZoneWithoutApexSoa() {
    List<Record> noSoa =
        TestRecords.zone("example.test.", 7, 1).stream().filter(r -> r.getType() != Type.SOA).toList();

    var e =
        assertThrows(InvalidZoneException.class, () -> ZoneSnapshot.of(TestRecords.name("example.test."), "v1", noSoa));
    assertTrue(e.getMessage().contains("no SOA"), e.getMessage());
  }

  @Test
  void refusesRecordsOutsideTheZone() {
    List<Record> records = new ArrayList<>(TestRecords.zone("example.test.", 7, 1));
    records.addAll(TestRecords.parse("www.other.test. 3600 IN A 192.0.2.1\n"));

    var e =
        assertThrows(InvalidZoneException.class, () -> ZoneSnapshot.of(TestRecords.name("example.test."), "v1", records));
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
  }

  @Test
  void aDifferenceThatKeepsTheSoaMakesAVersionWithTheSameSerial() throws Exception {
    ZoneSnapshot v1 = TestRecords.snapshot("example.test.", "v1", 7, 2);
    ZoneSnapshot edited = TestRecords.snapshot("example.test.", "v2", 7, 3);

    ZoneSnapshot v2 = v1.apply("v2", CompactDiff.between(v1.records(), edited.records()));

    assertEquals(7, v2.serial());
    assertEquals(edited.records().toRecords(), v2.records().toRecords());
  }

  @Test
  void refusesADifferenceThatAddsAnSoaBesideTheOldOne() {
    ZoneSnapshot v1 = TestRecords.snapshot("example.test.", "v1", 7, 2);
    List<Record> soa8 = TestRecords.zone("example.test.", 8, 0).stream().filter(r -> r.getType() == Type.SOA).toList();
    CompactDiff onlyAdded = new CompactDiff(CompactRecords.of(List.of()), CompactRecords.of(soa8));

    var e = assertThrows(InvalidZoneException.class, () -> v1.apply("v2", onlyAdded));
    assertTrue(e.getMessage().contains("does not replace the SOA"), e.getMessage());
  }

  @Test
  void aVersionMadeByItsDifferenceKeepsExactlyThatDifferenceForIxfr() throws Exception {
    ZoneSnapshot v1 = TestRecords.snapshot("example.test.", "v1", 7, 5);
    ZoneSnapshot v2Whole = TestRecords.snapshot("example.test.", "v2", 8, 6);
    CompactDiff exact = CompactDiff.between(v1.records(), v2Whole.records());
    // The same change with one record of v1 removed and added again: it applies, but is not what changed.
    CompactRecords kept = v1.records().owners(1, 2);
    CompactDiff roundabout = new CompactDiff(union(exact.removed(), kept), union(exact.added(), kept));

    ZoneSnapshot byExact = v1.apply("v2", exact).after(java.util.Optional.of(v1), 5, 100);
    ZoneSnapshot byRoundabout = v1.apply("v2", roundabout).after(java.util.Optional.of(v1), 5, 100);

    assertEquals(v2Whole.records().toRecords(), byExact.records().toRecords());
    assertEquals(v2Whole.records().toRecords(), byRoundabout.records().toRecords());
    for (ZoneSnapshot v2 : List.of(byExact, byRoundabout)) {
      CompactDiff served = v2.since(7).orElseThrow().diff();
      assertEquals(exact.removed().toRecords(), served.removed().toRecords());
      assertEquals(exact.added().toRecords(), served.added().toRecords());
    }
  }

  @Test
  void refusesADifferenceFromAnotherVersion() throws Exception {
    ZoneSnapshot v1 = TestRecords.snapshot("example.test.", "v1", 7, 5);
    ZoneSnapshot v2 = TestRecords.snapshot("example.test.", "v2", 8, 9);
    // Replaces v1's SOA as it should, but also removes txt8, which only v2 holds.
    CompactDiff fromV2 = CompactDiff.between(v2.records(), TestRecords.snapshot("example.test.", "v3", 9, 8).records());
    CompactDiff wrongBase = new CompactDiff(
        union(v1.records().owners(0, 1), fromV2.removed().owners(1, fromV2.removed().ownerCount())), fromV2.added());

    var e = assertThrows(InvalidZoneException.class, () -> v1.apply("v3", wrongBase));
    assertTrue(e.getMessage().contains("not one from version v1"), e.getMessage());
  }

  private static CompactRecords union(CompactRecords a, CompactRecords b) {
    List<Record> all = new ArrayList<>(a.toRecords());
    all.addAll(b.toRecords());
    return CompactRecords.of(all);
  }

  @Test
  void servedZonesSwapWholeVersionsAndRemoveOnlyTheNamedOne() {
    ServedZones served = new ServedZones(5, 20);
    ZoneSnapshot v1 = TestRecords.snapshot("example.test.", "v1", 1, 0);
    ZoneSnapshot v2 = TestRecords.snapshot("example.test.", "v2", 2, 0);

    served.install(v1);
    assertFalse(served.installIfAbsent(v2));
    served.install(v2);

    assertEquals("v2", served.get(TestRecords.name("example.test.")).orElseThrow().versionId());
    assertFalse(served.removeVersion(TestRecords.name("example.test."), "v1"));
    assertEquals("v2", served.enclosing(TestRecords.name("a.b.example.test.")).orElseThrow().versionId());
    assertTrue(served.removeVersion(TestRecords.name("example.test."), "v2"));
    assertTrue(served.get(TestRecords.name("example.test.")).isEmpty());
  }
}
