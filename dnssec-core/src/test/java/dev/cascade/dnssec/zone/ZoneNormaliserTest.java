package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Records from elsewhere than a zone file (a zone transfer, issue 10) get the normalisation and the input checks a
 * zone file gets: the same records, written as a zone file in the same order and parsed, give the same zone, the
 * same warnings and the same errors, which name the source and no line.
 */
class ZoneNormaliserTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final String SOURCE = "AXFR from 192.0.2.1";
  static final String KEY = "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==";
  static final String DIGEST = "0123456789ABCDEF".repeat(4);
  static final String SOA = "example. 3600 IN SOA ns1.example. hostmaster.example. 2026120701 7200 3600 1209600 300";
  static final String APEX_NS = "example. 3600 IN NS ns1.example.";

  /** Records in presentation form, read by dnsjava's own master file reader, not by the parser under test. */
  static List<Record> records(String... lines) throws Exception {
    List<Record> records = new ArrayList<>();
    byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    try (Master master = new Master(new ByteArrayInputStream(text), ORIGIN)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    return records;
  }

  /** The same records written as a zone file, one a line in the same order, and parsed. */
  static ParsedZone parsedAsZoneFile(Path dir, List<Record> records, int threads) throws Exception {
    Path file = dir.resolve("transferred.zone");
    Files.write(file, records.stream().map(Record::toString).toList());
    return ZoneFileParser.parse(file, ORIGIN, threads);
  }

  /** Every record with its TTL, which Record.equals ignores, and its names as spelled. */
  static List<String> presented(ParsedZone zone) {
    return zone.records().stream().map(r -> r.getTTL() + " " + r).toList();
  }

  static void assertSameZone(ParsedZone expected, ParsedZone actual) {
    assertEquals(presented(expected), presented(actual));
    assertEquals(expected.warnings(), actual.warnings());
    assertEquals(expected.serial(), actual.serial());
    assertEquals(expected.origin(), actual.origin());
    assertTrue(CanonicalOrder.isKnownSorted(actual.records()), "signers may skip checking the order");
  }

  @Test
  void recordsThatNeedEveryNormalisationGiveTheZoneTheirZoneFileGives(@TempDir Path dir) throws Exception {
    List<Record> records = records(
        SOA,
        // Stripped: the signer makes these again.
        "example. 3600 IN DNSKEY 257 3 13 " + KEY,
        "example. 3600 IN RRSIG SOA 13 1 3600 20261231000000 20261201000000 12345 example. " + KEY,
        "example. 300 IN NSEC www.example. NS SOA RRSIG NSEC DNSKEY",
        "example. 0 IN NSEC3PARAM 1 0 0 -",
        "1avvqn74sg75ukfvf25dgcethgq638ek.example. 300 IN NSEC3 1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG",
        "example. 3600 IN CDS 12345 13 2 " + DIGEST,
        "example. 3600 IN CDNSKEY 257 3 13 " + KEY,
        "example. 3600 IN ZONEMD 2026120701 1 1 " + "0123456789abcdef".repeat(6),
        APEX_NS,
        "example. 3600 IN NS ns2.example.net.",
        // Differing TTLs, a duplicate (whose TTL counts too), the owner's records in two places and two spellings.
        "www.example. 600 IN A 192.0.2.2",
        "www.example. 300 IN A 192.0.2.1",
        "www.example. 900 IN A 192.0.2.2",
        "a.example. 300 IN TXT \"between\"",
        "WWW.Example. 300 IN AAAA 2001:db8::1",
        // Duplicates in canonical form (names in RDATA lower-cased, RFC 4034 §6.2): the first seen is kept.
        "dup.example. 300 IN NS NS1.Example.NET.",
        "dup.example. 300 IN NS ns1.example.net.",
        // A delegation with its DS listed before its NS, and glue; a CNAME alone.
        "sub.example. 3600 IN DS 12345 13 2 " + DIGEST,
        "sub.example. 3600 IN NS ns1.sub.example.",
        "ns1.sub.example. 3600 IN A 192.0.2.53",
        "alias.example. 300 IN CNAME www.example.",
        "ns1.example. 3600 IN A 192.0.2.10");

    ParsedZone normalised = ZoneNormaliser.normalise(ORIGIN, SOURCE, records);

    assertSameZone(parsedAsZoneFile(dir, records, 1), normalised);
    assertEquals(List.of(
        "RRset www.example./A has differing TTLs [300, 600, 900]: all set to the lowest, 300 (RFC 2181 §5.2)",
        "stripped DNSSEC records (the signer regenerates them): 1 RRSIG, 1 NSEC, 1 DNSKEY, 1 NSEC3, 1 NSEC3PARAM,"
            + " 1 CDS, 1 CDNSKEY, 1 ZONEMD",
        "dropped 2 duplicate records").stream().sorted().toList(), normalised.warnings().stream().sorted().toList());
    assertEquals(2026120701L, normalised.serial());
    assertEquals(0, normalised.byteCount(), "no file was read");
    assertEquals(13, normalised.records().size());
  }

  @Test
  void manyOwnersInAnyOrderGiveOneZoneOnAnyNumberOfThreads(@TempDir Path dir) throws Exception {
    Random random = new Random(12);
    List<String> lines = new ArrayList<>(List.of(SOA, APEX_NS));
    for (int i = 0; i < 3000; i++) {
      String owner = "d" + random.nextInt(1500) + (random.nextBoolean() ? ".example." : ".Sub.example.");
      lines.add(switch (random.nextInt(6)) {
        case 0 -> owner + " 3600 IN NS ns" + random.nextInt(4) + ".hoster.example.";
        case 1 -> owner + " " + (300 + random.nextInt(2)) + " IN A 192.0.2." + random.nextInt(4);
        case 2 -> owner + " 300 IN AAAA 2001:db8::" + random.nextInt(4);
        case 3 -> owner + " 300 IN TXT \"t" + random.nextInt(3) + "\"";
        case 4 -> owner + " 300 IN RRSIG A 13 3 300 20261231000000 20261201000000 12345 example. " + KEY;
        default -> owner + " 300 IN MX 10 mail" + random.nextInt(2) + ".example.";
      });
    }
    Collections.shuffle(lines.subList(2, lines.size()), random);
    List<Record> records = records(lines.toArray(String[]::new));

    ParsedZone oneThread = ZoneNormaliser.normalise(ORIGIN, SOURCE, records);
    assertSameZone(parsedAsZoneFile(dir, records, 1), oneThread);
    assertSameZone(oneThread, ZoneNormaliser.normalise(ORIGIN, SOURCE, records, 4));
    assertTrue(oneThread.warnings().size() > 3, "TTLs, duplicates and RRSIGs were normalised");
  }

  static Stream<String[]> everyCheck() {
    return Stream.of(
        new String[] {"no SOA record at the apex example. (RFC 1035 §5.2)", APEX_NS},
        new String[] {"no NS records at the apex example. (RFC 1035 §5.2)", SOA},
        new String[] {"second SOA record at the apex: exactly one is allowed (RFC 1035 §5.2)", SOA, APEX_NS,
            SOA.replace("2026120701", "2026120702")},
        new String[] {"SOA record at www.example., not at the apex example.", SOA, APEX_NS,
            SOA.replace("example. 3600", "www.example. 3600")},
        new String[] {"CNAME at www.example. beside other data (TXT): a CNAME must be alone (RFC 1034 §3.6.2, RFC 2181"
            + " §10.1)", SOA, APEX_NS, "www.example. 300 IN CNAME a.example.", "www.example. 300 IN TXT \"x\""},
        new String[] {"more than one CNAME at www.example. (RFC 2181 §10.1)", SOA, APEX_NS,
            "www.example. 300 IN CNAME a.example.", "www.example. 300 IN CNAME b.example."},
        new String[] {"DS record at the apex example.: a zone's DS RRset is in its parent zone (RFC 4035 §2.4)", SOA,
            APEX_NS, "example. 3600 IN DS 12345 13 2 " + DIGEST},
        new String[] {"DS record at www.example. without NS: a DS RRset belongs at a delegation point (RFC 4034 §5,"
            + " RFC 4035 §2.4)", SOA, APEX_NS, "www.example. 300 IN A 192.0.2.1",
            "www.example. 3600 IN DS 12345 13 2 " + DIGEST},
        new String[] {"www.example.net. is outside the zone example.", SOA, APEX_NS,
            "www.example.net. 300 IN A 192.0.2.1"},
        new String[] {"class CH is not supported, only IN", SOA, APEX_NS, "www.example. 300 CH TXT \"chaos\""});
  }

  @Test
  void recordsThatFailACheckAreRefusedAsTheirZoneFileIsNamingTheSource(@TempDir Path dir) throws Exception {
    for (String[] c : everyCheck().toList()) {
      String reason = c[0];
      List<Record> records = records(List.of(c).subList(1, c.length).toArray(String[]::new));
      ZoneInputException fromFile =
          assertThrows(ZoneInputException.class, () -> parsedAsZoneFile(dir, records, 1), reason);
      for (int threads : new int[] {1, 4}) {
        ZoneInputException e = assertThrows(ZoneInputException.class,
            () -> ZoneNormaliser.normalise(ORIGIN, SOURCE, records, threads), reason);
        assertEquals(reason, e.reason());
        assertEquals(fromFile.reason(), e.reason());
        assertEquals(SOURCE, e.file());
        assertNull(e.line(), "records from elsewhere have no lines");
        assertEquals(SOURCE + ": " + reason, e.getMessage());
      }
    }
  }

  @Test
  void aRelativeOriginOrNoThreadIsAMistakeOfTheCaller() throws Exception {
    List<Record> records = records(SOA, APEX_NS);
    assertThrows(IllegalArgumentException.class,
        () -> ZoneNormaliser.normalise(Name.fromConstantString("example"), SOURCE, records));
    assertThrows(IllegalArgumentException.class, () -> ZoneNormaliser.normalise(ORIGIN, SOURCE, records, 0));
  }
}
