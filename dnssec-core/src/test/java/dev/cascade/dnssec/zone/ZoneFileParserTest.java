package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneFileParserTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final Path ZONES = Path.of("src/test/resources/zones");

  static ZoneInputException refused(String file) {
    return assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(ZONES.resolve(file), ORIGIN));
  }

  static void assertRefused(String file, int line, String reasonPart) {
    ZoneInputException e = refused(file);
    assertEquals(ZONES.resolve(file).toString(), e.file());
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.reason().contains(reasonPart), e.getMessage());
    assertEquals(e.file() + ":" + line + ": " + e.reason(), e.getMessage());
  }

  @Test
  void parsesTheTrickyZoneInCanonicalOrder() throws Exception {
    ParsedZone zone = ZoneFileParser.parse(ZONES.resolve("tricky.example.zone"), ORIGIN);
    assertEquals(ORIGIN, zone.origin());
    assertEquals(2024010101L, zone.serial());
    assertEquals(Files.size(ZONES.resolve("tricky.example.zone")), zone.byteCount());
    // The corpus holds one record below a delegation that no NS names: never served.
    assertEquals(List.of("1 record(s) never served: they lie below a zone cut or a DNAME and are not glue "
        + "(RFC 1034 §4.2.1, RFC 6672 §2.3): " + ZONES.resolve("tricky.example.zone")
        + ":30: deep.ns.insecure.example./TXT below the delegation insecure.example."), zone.notes());
    assertEquals(List.of(), zone.warnings(), "nothing was normalised");
    assertEquals(20, zone.records().size());
    assertEquals(zone.records().stream().sorted(CanonicalOrder.RECORDS).toList(), zone.records());
    assertTrue(CanonicalOrder.isKnownSorted(zone.records()), "signers may skip checking the order");
    assertFalse(CanonicalOrder.isKnownSorted(new ArrayList<>(zone.records())), "a list from elsewhere is checked");
    // The apex sorts first, then types numerically as in RFC 8976 §3.3.1: NS (2) before SOA (6).
    assertEquals(List.of(Type.NS, Type.NS, Type.SOA, Type.MX),
        zone.records().subList(0, 4).stream().map(Record::getType).toList());
    Record txt = zone.records().stream().filter(r -> r.getType() == Type.TXT && r.getName().toString().equals("txt.example."))
        .findFirst().orElseThrow();
    assertEquals(300, txt.getTTL());
    assertEquals("\"semi;colon\" \"quote\\\"d\" \"tab\\009here\"", txt.rdataToString());
    String digest = ZoneDigest.sha384(zone.records());
    assertEquals(96, digest.length(), "hex SHA-384");
    assertEquals(digest,
        ZoneDigest.sha384(ZoneFileParser.parse(ZONES.resolve("tricky.example.zone"), ORIGIN).records()));
  }

  @Test
  void syntaxErrorNamesFileAndLine() {
    assertRefused("syntax-error.zone", 7, "192.0.2.300");
  }

  @Test
  void syntaxErrorInsideParenthesesNamesTheLineItIsOn() {
    assertRefused("multiline-error.zone", 14, "");
  }

  @Test
  void cnameBesideOtherDataIsRefused() {
    assertRefused("cname-beside-data.zone", 7, "CNAME at www.example. beside other data (TXT)");
  }

  /** A zone whose apex has the SOA and NS every zone needs, followed by {@code lines} (from line 4 on). */
  private static Path zoneWith(Path dir, String lines) throws Exception {
    return Files.writeString(dir.resolve("example.zone"),
        "$TTL 60\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS ns1\n" + lines);
  }

  private static final String DS_RDATA = " DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n";

  @Test
  void dsAtTheApexIsRefused(@TempDir Path dir) throws Exception {
    Path zone = zoneWith(dir, "ns1 A 192.0.2.1\n@" + DS_RDATA);
    ZoneInputException e = assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(zone, ORIGIN));
    assertEquals(zone + ":5: DS record at the apex example.: a zone's DS RRset is in its parent zone (RFC 4035 §2.4)",
        e.getMessage());
  }

  @Test
  void dsWithoutNsIsRefusedBesideOtherDataAndAlone(@TempDir Path dir) throws Exception {
    // www goes through the merge of an owner's records, lone (one DS, in order) through the fast path.
    for (String[] c : new String[][] {{"www A 192.0.2.2\nwww" + DS_RDATA, "www.example."}, {"lone" + DS_RDATA,
        "lone.example."}}) {
      Path zone = zoneWith(dir, c[0]);
      ZoneInputException e = assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(zone, ORIGIN));
      assertEquals(zone + ":" + (c[0].split("\n").length + 3) + ": DS record at " + c[1]
          + " without NS: a DS RRset belongs at a delegation point (RFC 4034 §5, RFC 4035 §2.4)", e.getMessage());
    }
  }

  @Test
  void glueAndDataAtAuthoritativeNamesGiveNoWarning(@TempDir Path dir) throws Exception {
    // In-bailiwick glue, sibling glue (ns.b's address below the delegation b, named by a's NS), and a DNAME whose
    // own name keeps its other data.
    Path zone = zoneWith(dir, """
        ns1 A 192.0.2.1
        a NS ns.b
        b NS ns.b
        ns.b A 192.0.2.2
        c NS ns1.c
        ns1.c AAAA 2001:db8::1
        d DNAME elsewhere.test.
        d TXT "beside the DNAME"
        """);
    ParsedZone parsed = ZoneFileParser.parse(zone, ORIGIN);
    assertEquals(List.of(), parsed.warnings());
    assertEquals(List.of(), parsed.notes());
  }

  @Test
  void missingGlueIsWarnedAboutWithTheNsRecordsLine(@TempDir Path dir) throws Exception {
    Path zone = zoneWith(dir, "ns1 A 192.0.2.1\nsub NS ns.sub\nsub NS ns.elsewhere.test.\n@ NS ns2\n");
    assertEquals(List.of("2 in-zone name server(s) without an A or AAAA record: resolvers cannot reach them "
        + "(RFC 1034 §4.2.1, RFC 9471 §3): " + zone + ":3: NS ns2.example. of example.; " + zone
        + ":5: NS ns.sub.example. of sub.example."), ZoneFileParser.parse(zone, ORIGIN).notes());
  }

  @Test
  void occludedDataIsWarnedAboutWithItsLine(@TempDir Path dir) throws Exception {
    Path zone = zoneWith(dir, """
        ns1 A 192.0.2.1
        sub NS ns1
        sub TXT "at the cut"
        www.sub A 192.0.2.9
        d DNAME elsewhere.test.
        x.d MX 10 mail
        """);
    assertEquals(List.of("3 record(s) never served: they lie below a zone cut or a DNAME and are not glue "
        + "(RFC 1034 §4.2.1, RFC 6672 §2.3): " + zone + ":9: x.d.example./MX below the DNAME at d.example.; "
        + zone + ":6: sub.example./TXT at the delegation sub.example.; "
        + zone + ":7: www.sub.example./A below the delegation sub.example."),
        ZoneFileParser.parse(zone, ORIGIN).notes());
  }

  @Test
  void aWarningListsTenCasesAndCountsTheRest(@TempDir Path dir) throws Exception {
    StringBuilder lines = new StringBuilder("ns1 A 192.0.2.1\n");
    for (int i = 0; i < 25; i++) {
      lines.append("d").append(i).append(" NS ns.d").append(i).append('\n');
    }
    String warning = ZoneFileParser.parse(zoneWith(dir, lines.toString()), ORIGIN).notes().get(0);
    assertTrue(warning.startsWith("25 in-zone name server(s) without an A or AAAA record"), warning);
    assertEquals(11, warning.split("; ").length, "ten cases and the rest: " + warning);
    assertTrue(warning.endsWith("; and 15 more"), warning);
  }

  @Test
  void aTtlAbove2To31Minus1IsSetToItWithAWarning(@TempDir Path dir) throws Exception {
    Path zone = zoneWith(dir, "ns1 A 192.0.2.1\nbig 4294967295 TXT \"x\"\n$TTL 3000000000\nbig2 TXT \"y\"\n");
    ParsedZone parsed = ZoneFileParser.parse(zone, ORIGIN);
    assertEquals(List.of("2 record(s) with a TTL above the largest, 2147483647 (RFC 2181 §8), set to it: " + zone
        + ":5 (4294967295); " + zone + ":7 (3000000000)"), parsed.warnings());
    assertEquals(List.of(2147483647L, 2147483647L), parsed.records().stream().filter(r -> r.getType() == Type.TXT)
        .map(Record::getTTL).toList());
    Path tooBig = zoneWith(dir, "ns1 A 192.0.2.1\nbig 4294967296 TXT \"x\"\n");
    assertEquals(5, assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(tooBig, ORIGIN)).line());
  }

  @Test
  void dsAtADelegationIsTakenAlsoWithDataBesideTheNs(@TempDir Path dir) throws Exception {
    // A (type 1) sorts before NS (type 2): the DS is at a delegation all the same.
    Path zone = zoneWith(dir, "sub A 192.0.2.3\nsub NS ns1\nsub" + DS_RDATA + "child NS ns1\nchild" + DS_RDATA);
    ParsedZone parsed = ZoneFileParser.parse(zone, ORIGIN);
    assertEquals(2, parsed.records().stream().filter(r -> r.getType() == Type.DS).count());
  }

  @Test
  void anOwnerWithADsAwayFromADelegationIsNotTakenAsItIs() throws Exception {
    Record ds = Record.fromString(Name.fromConstantString("www.example."), Type.DS, 1, 60,
        DS_RDATA.trim().substring(3), ORIGIN);
    Record ns = Record.fromString(Name.fromConstantString("www.example."), Type.NS, 1, 60, "ns1", ORIGIN);
    Record apexDs = Record.fromString(ORIGIN, Type.DS, 1, 60, DS_RDATA.trim().substring(3), ORIGIN);
    assertEquals("DS at www.example. is not at a delegation point",
        ZoneNormaliser.ownerNotAsIs(ORIGIN, ds.getName(), List.of(ds)));
    assertNull(ZoneNormaliser.ownerNotAsIs(ORIGIN, ds.getName(), List.of(ns, ds)));
    assertEquals("DS at example. is not at a delegation point",
        ZoneNormaliser.ownerNotAsIs(ORIGIN, ORIGIN, List.of(apexDs)));
  }

  @Test
  void outOfZoneRecordIsRefused() {
    assertRefused("out-of-zone.zone", 6, "www.example.net. is outside the zone example.");
  }

  @Test
  void classOtherThanInIsRefused() {
    assertRefused("class-chaos.zone", 6, "class CH is not supported");
  }

  @Test
  void soaChecks() {
    ZoneInputException noSoa = refused("no-soa.zone");
    assertNull(noSoa.line());
    assertEquals(ZONES.resolve("no-soa.zone") + ": no SOA record at the apex example. (RFC 1035 §5.2)", noSoa.getMessage());
    assertRefused("no-ns.zone", 3, "no NS records at the apex");
    assertRefused("two-soa.zone", 4, "second SOA record");
    assertRefused("soa-below-apex.zone", 6, "SOA record at sub.example., not at the apex");
  }

  @Test
  void includeOutsideTheZoneDirectoryIsRefused() {
    assertRefused("escape/example.zone", 5, "$INCLUDE ../tricky.example.zone is outside the zone file's directory");
  }

  @Test
  void includeThroughASymlinkOutsideTheDirectoryIsRefused(@TempDir Path dir) throws Exception {
    Path zoneDir = Files.createDirectory(dir.resolve("zone"));
    Path outside = Files.writeString(dir.resolve("hosts.inc"), "a A 192.0.2.1\n");
    Files.createSymbolicLink(zoneDir.resolve("hosts.inc"), outside);
    Path zone = zoneDir.resolve("example.zone");
    Files.writeString(zone, "$TTL 60\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS ns1\n$INCLUDE hosts.inc\n");
    ZoneInputException e = assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(zone, ORIGIN));
    assertEquals(4, e.line());
    assertTrue(e.reason().contains("through a symbolic link"), e.getMessage());
  }

  @Test
  void includeInsideTheDirectoryWorksWithItsOwnOrigin() throws Exception {
    ParsedZone zone = ZoneFileParser.parse(ZONES.resolve("include/example.zone"), ORIGIN);
    List<String> names = zone.records().stream().map(r -> r.getName().toString()).distinct().toList();
    // hosts.example. itself has no records: the include only set the origin of a and b.
    assertEquals(List.of("example.", "after.example.", "a.hosts.example.", "b.hosts.example."), names);
    assertEquals(Files.size(ZONES.resolve("include/example.zone")) + Files.size(ZONES.resolve("include/hosts.inc")),
        zone.byteCount());
  }

  @Test
  void includeLoopIsRefused(@TempDir Path dir) throws Exception {
    Path zone = dir.resolve("example.zone");
    Files.writeString(zone, "$TTL 60\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS ns1\n$INCLUDE example.zone\n");
    ZoneInputException e = assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(zone, ORIGIN));
    assertEquals(zone + ":4: $INCLUDE example.zone loops back to a file being read", e.getMessage());
  }

  @Test
  void crlfLineEndingsAndOmittedTtlAndClass(@TempDir Path dir) throws Exception {
    Path zone = dir.resolve("example.zone");
    Files.writeString(zone, "@ 600 IN SOA ns1 hostmaster 7 2 3 4 5\r\n  NS ns1\r\nns1 A 192.0.2.1 ; comment\r\n");
    ParsedZone parsed = ZoneFileParser.parse(zone, ORIGIN);
    assertEquals(7, parsed.serial());
    assertEquals(3, parsed.records().size());
    parsed.records().forEach(r -> assertEquals(600, r.getTTL(), "RFC 1035 §5.1: the last stated TTL applies"));
  }

  @Test
  void errorInAnIncludedFileNamesThatFile() {
    ZoneInputException e = refused("include/broken.zone");
    assertEquals("broken.inc", e.file());
    assertEquals(3, e.line());
  }

  @Test
  void normalisationIsReportedNeverSilent() throws Exception {
    ParsedZone zone = ZoneFileParser.parse(ZONES.resolve("normalise.zone"), ORIGIN);
    assertEquals(List.of(
        "stripped DNSSEC records (the signer regenerates them): 2 RRSIG, 1 NSEC, 1 DNSKEY, 1 ZONEMD",
        "RRset mail.example./A has differing TTLs [300, 600]: all set to the lowest, 300 (RFC 2181 §5.2)",
        "dropped 1 duplicate record"), zone.warnings());
    assertEquals(5, zone.records().size());
    zone.records().stream().filter(r -> r.getName().toString().equals("mail.example."))
        .forEach(r -> assertEquals(300, r.getTTL()));
  }
}
