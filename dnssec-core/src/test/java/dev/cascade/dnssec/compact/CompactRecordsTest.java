package dev.cascade.dnssec.compact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.zone.CanonicalOrder;
import dev.cascade.dnssec.zone.ZoneDigest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

class CompactRecordsTest {

  @Test
  void holdsRecordsOctetForOctetInCanonicalOrder() {
    Random random = new Random(1);
    for (int round = 0; round < 200; round++) {
      List<Record> zone = new RandomRecords(random).zone(round, 40);
      List<Record> sorted = new ArrayList<>(zone);
      sorted.sort(CanonicalOrder.RECORDS);

      CompactRecords compact = CompactRecords.of(zone);

      assertEquals(sorted.size(), compact.size());
      List<Record> back = compact.toRecords();
      long wireBytes = 0;
      for (int i = 0; i < sorted.size(); i++) {
        byte[] expected = sorted.get(i).toWire(Section.ANSWER);
        assertArrayEquals(expected, back.get(i).toWire(Section.ANSWER), "record " + i + " of round " + round);
        wireBytes += expected.length;
      }
      assertEquals(wireBytes, compact.wireBytes());
    }
  }

  @Test
  void itsDigestIsTheRunDigestOfItsRecords() throws Exception {
    Random random = new Random(3);
    for (int round = 0; round < 100; round++) {
      List<Record> zone = new ArrayList<>(new RandomRecords(random).zone(round, 40));
      zone.sort(CanonicalOrder.RECORDS);
      CompactRecords compact = CompactRecords.ofSorted(zone);
      assertEquals(runDigest(zone), compact.digest(), "round " + round);
      assertTrue(compact.hasDigest(runDigest(zone)));
      // Content written before the run digest names its flat SHA-384, which is still checked as such.
      assertTrue(compact.hasDigest(ZoneDigest.sha384(zone)));
      assertEquals(false, compact.hasDigest(ZoneDigest.sha384(zone.subList(1, zone.size()))));
      assertEquals(false, compact.hasDigest(runDigest(zone.subList(1, zone.size()))));
    }
    // Thousands of names, so many runs, some names in two spellings (one name for the runs).
    List<Record> large = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      large.add(new TXTRecord(RandomRecords.name("n" + i), DClass.IN, 60, "t" + i));
      if (i % 7 == 0) {
        large.add(new TXTRecord(RandomRecords.name("N" + i), DClass.IN, 300, "upper " + i));
      }
    }
    large.sort(CanonicalOrder.RECORDS);
    assertEquals(runDigest(large), CompactRecords.ofSorted(large).digest());
    // Every type whose RDATA CanonicalWire lays out, and two it leaves to dnsjava, with upper-case names everywhere.
    String[] texts = {
        "A 192.0.2.1", "AAAA 2001:db8::1", "TXT \"Upper Text\"", "DS 12345 13 2 " + "AB".repeat(32),
        "CDS 12345 13 2 " + "CD".repeat(32), "DNSKEY 257 3 13 " + "QUJD".repeat(22), "CDNSKEY 257 3 13 " + "QUJD".repeat(22),
        "NSEC Next.EXAMPLE. A RRSIG NSEC", "NSEC3 1 0 0 - ABCDEFGHIJKLMNOPQRSTUV0123456789 A",
        "NSEC3PARAM 1 0 0 -", "CAA 0 issue \"CA.Example\"", "TLSA 3 1 1 " + "EF".repeat(32), "SSHFP 4 2 " + "AB".repeat(32),
        "NS NS1.Example.", "CNAME Target.Example.", "PTR Host.Example.", "DNAME Other.Example.",
        "SOA NS.Example. Host.Master.Example. 1 2 3 4 5", "RP Mbox.Example. Txt.Example.", "MINFO R.Example. E.Example.",
        "MX 10 Mail.Example.", "KX 1 Kx.Example.", "AFSDB 1 Db.Example.", "RT 1 Rt.Example.", "SRV 1 2 3 Srv.Example.",
        "RRSIG A 13 2 300 20270101000000 20260101000000 12345 Signer.Example. " + "QUJD".repeat(22),
        "NAPTR 1 1 \"U\" \"E2U+sip\" \"\" Rep.Example.", "HTTPS 1 Svc.Example. alpn=h2"};
    List<Record> typed = new ArrayList<>();
    for (String text : texts) {
      typed.add(Record.fromString(RandomRecords.name("Owner"), org.xbill.DNS.Type.value(text.split(" ")[0]), DClass.IN,
          300, text.substring(text.indexOf(' ') + 1), Name.root));
    }
    typed.sort(CanonicalOrder.RECORDS);
    assertEquals(runDigest(typed), CompactRecords.ofSorted(typed).digest());
  }

  /**
   * The run digest as its definition reads ({@link RunDigests}), from dnsjava's canonical wire forms: runs start at
   * the first record and at each new owner name whose canonical form has a CRC-32C with its low 10 bits zero; SHA-256
   * per run, SHA-256 over the runs' digests.
   */
  static String runDigest(List<Record> canonical) throws Exception {
    java.security.MessageDigest top = java.security.MessageDigest.getInstance("SHA-256");
    java.security.MessageDigest run = null;
    Name previous = null;
    int runs = 0;
    for (Record r : canonical) {
      Name owner = r.getName();
      boolean newName = previous == null || !owner.equals(previous);
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(owner.toWireCanonical());
      if (run == null || newName && (crc.getValue() & 1023) == 0) {
        if (run != null) {
          top.update(run.digest());
        }
        run = java.security.MessageDigest.getInstance("SHA-256");
        runs++;
      }
      run.update(r.toWireCanonical());
      previous = owner;
    }
    if (run != null) {
      top.update(run.digest());
    }
    assertTrue(canonical.size() < 20_000 || runs > 5, runs + " runs in " + canonical.size() + " records");
    return "runs-sha256:" + java.util.HexFormat.of().formatHex(top.digest());
  }

  @Test
  void findsOwnerNamesAndTheirRecords() {
    List<Record> zone = new ArrayList<>(new RandomRecords(new Random(5)).zone(1, 60));
    zone.sort(CanonicalOrder.RECORDS);
    CompactRecords compact = CompactRecords.ofSorted(zone);
    List<Record> regrouped = new ArrayList<>();
    for (int owner = 0; owner < compact.ownerCount(); owner++) {
      Name name = compact.ownerName(owner);
      int found = compact.find(name);
      assertTrue(found >= 0 && compact.ownerName(found).equals(name), name::toString);
      regrouped.addAll(compact.recordsOf(owner));
      assertEquals(compact.recordsOf(owner).stream().anyMatch(r -> r.getType() == org.xbill.DNS.Type.NS),
          compact.hasType(owner, org.xbill.DNS.Type.NS));
    }
    assertEquals(zone, regrouped);
    int absent = compact.find(RandomRecords.name("zzzz-absent"));
    assertTrue(absent < 0);
    int insertion = -absent - 1;
    assertTrue(insertion == compact.ownerCount()
        || compact.ownerName(insertion).compareTo(RandomRecords.name("zzzz-absent")) > 0);
    assertTrue(insertion == 0
        || compact.ownerName(insertion - 1).compareTo(RandomRecords.name("zzzz-absent")) < 0);
  }

  @Test
  void storesEachOwnerNameOnceForItsRecords() {
    Name owner = RandomRecords.name("www");
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(new TXTRecord(owner, DClass.IN, 300, "t" + i));
    }
    records.add(new TXTRecord(RandomRecords.name("WWW"), DClass.IN, 300, "upper"));

    CompactRecords compact = CompactRecords.of(records);

    // The upper-case spelling sorts among the lower-case one's records (same canonical name) but has other octets.
    assertTrue(compact.ownerCount() >= 2 && compact.ownerCount() <= 3, "owners: " + compact.ownerCount());
    long stored = compact.retainedBytes() - (long) compact.ownerCount() * 12 - 4;
    long perRecordWithoutOwner = records.stream().mapToLong(r -> r.toWire(Section.ANSWER).length - owner.length()).sum();
    assertEquals(perRecordWithoutOwner + (long) compact.ownerCount() * owner.length(), stored);
  }

  @Test
  void cursorWalksPagesOfAZoneLargerThanOnePage() {
    List<Record> records = new ArrayList<>();
    String payload = "p".repeat(200);
    for (int i = 0; i < 50_000; i++) {
      records.add(new TXTRecord(RandomRecords.name("n" + i), DClass.IN, 300, payload + i));
    }
    records.add(new RandomRecords(new Random(2)).soa(1));

    CompactRecords compact = CompactRecords.of(records);

    assertTrue(compact.retainedBytes() > 2L * CompactRecords.PAGE_BYTES, "more than two pages");
    List<Record> sorted = new ArrayList<>(records);
    sorted.sort(CanonicalOrder.RECORDS);
    assertEquals(sorted, compact.toRecords());
  }

  @Test
  void recordsCopiedOutInWireFormatAreAddedBackOctetForOctet() {
    Random random = new Random(7);
    for (int round = 0; round < 100; round++) {
      CompactRecords compact = CompactRecords.of(new RandomRecords(random).zone(round, 40));
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      CompactRecords.Cursor cursor = compact.cursor();
      while (cursor.next()) {
        wire.write(cursor.page(), cursor.ownerOffset(), cursor.ownerLength());
        wire.write(cursor.page(), cursor.rrOffset(), cursor.rrLength());
      }
      byte[] octets = wire.toByteArray();

      CompactRecords.Builder builder = CompactRecords.builder();
      for (int at = 0; at < octets.length; ) {
        at = builder.addWire(octets, at, octets.length);
      }
      CompactRecords back = builder.build();

      assertEquals(compact.toRecords(), back.toRecords(), "round " + round);
      assertEquals(compact.ownerCount(), back.ownerCount(), "owner groups of round " + round);
      assertEquals(compact.digest(), back.digest(), "round " + round);
    }
  }

  @Test
  void refusesWireOctetsThatDoNotHoldAWholeRecord() {
    byte[] wire = new TXTRecord(RandomRecords.name("a"), DClass.IN, 300, "x").toWire(Section.ANSWER);
    byte[] pointer = wire.clone();
    pointer[0] = (byte) 0xc0;
    byte[] longName = new byte[300];
    Arrays.fill(longName, (byte) 1);

    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CompactRecords.builder().addWire(wire, 0, wire.length - 1)).getMessage().contains("RDATA"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CompactRecords.builder().addWire(wire, 0, 5)).getMessage().contains("cut off"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CompactRecords.builder().addWire(pointer, 0, pointer.length)).getMessage().contains("pointer"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CompactRecords.builder().addWire(longName, 0, longName.length)).getMessage().contains("255"));
  }

  @Test
  void refusesRecordsOutOfOrderAndDuplicates() {
    Record a = new TXTRecord(RandomRecords.name("a"), DClass.IN, 300, "x");
    Record b = new TXTRecord(RandomRecords.name("b"), DClass.IN, 300, "x");
    Record upperA = new TXTRecord(RandomRecords.name("A"), DClass.IN, 60, "x");

    var outOfOrder = assertThrows(IllegalArgumentException.class, () -> CompactRecords.builder().add(b).add(a));
    var duplicate = assertThrows(IllegalArgumentException.class, () -> CompactRecords.builder().add(a).add(upperA));

    assertTrue(outOfOrder.getMessage().contains("out of canonical order"), outOfOrder.getMessage());
    assertTrue(duplicate.getMessage().contains("duplicate"), duplicate.getMessage());
  }

  @Test
  void wireNameOrderIsTheCanonicalOrderOfNames() {
    Random random = new Random(3);
    RandomRecords records = new RandomRecords(random);
    for (int i = 0; i < 5_000; i++) {
      Name x = records.record().getName();
      Name y = random.nextBoolean() ? records.record().getName() : RandomRecords.name("q" + random.nextInt(3) + ".a");
      byte[] xw = x.toWire();
      byte[] yw = y.toWire();

      assertEquals(Integer.signum(x.compareTo(y)), Integer.signum(WireNames.compare(xw, 0, yw, 0)), x + " vs " + y);
      assertEquals(xw.length, WireNames.length(xw, 0));
      assertEquals(Arrays.equals(xw, yw), WireNames.sameOctets(xw, 0, xw.length, yw, 0, yw.length));
    }
  }

  @Test
  void findsOwnersByNameAndStepsOverSubtreesAsALinearWalkWould() {
    Random random = new Random(4);
    for (int round = 0; round < 100; round++) {
      RandomRecords records = new RandomRecords(random);
      CompactRecords compact = CompactRecords.of(records.zone(round, 60));
      List<Name> owners = new ArrayList<>();
      List<List<Record>> groups = new ArrayList<>();
      CompactRecords.Cursor cursor = compact.cursor();
      while (cursor.next()) {
        Record r = cursor.toRecord();
        if (cursor.firstOfOwner()) {
          owners.add(r.getName());
          groups.add(new ArrayList<>());
        }
        groups.get(groups.size() - 1).add(r);
      }
      for (int i = 0; i < owners.size(); i++) {
        assertEquals(owners.get(i).toString(), compact.ownerName(i).toString(), "owner " + i);
        assertEquals(groups.get(i), compact.recordsOf(i), "records of owner " + i);
      }
      for (int probe = 0; probe < 50; probe++) {
        Name name = random.nextBoolean() ? records.record().getName()
            : RandomRecords.name("q" + random.nextInt(3) + (random.nextBoolean() ? ".A" : ".b"));
        int ceiling = 0;
        while (ceiling < owners.size() && owners.get(ceiling).compareTo(name) < 0) {
          ceiling++;
        }
        int after = ceiling;
        while (after < owners.size() && owners.get(after).subdomain(name)) {
          after++;
        }
        assertEquals(ceiling, compact.ownerCeiling(name), "ceiling of " + name + " in " + owners);
        assertEquals(after, compact.ownerAfterSubtree(name), "after the subtree of " + name + " in " + owners);
      }
    }
    assertEquals(0, CompactRecords.empty().ownerCeiling(RandomRecords.ORIGIN));
  }
}
