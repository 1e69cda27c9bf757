package dev.cascade.dnssec.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.testsupport.ExternalVerifiers;
import dev.cascade.dnssec.testsupport.TestKeys;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.CanonicalOrder;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneFileParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class ZoneSignerTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  /**
   * Fixed time with a 10-year lifetime: deterministic, and still valid at the wall-clock time the
   * external tools check against (ldns compares RRSIG times as signed 32-bit numbers, so they must end before 2038).
   * The 9-year remain time keeps every spread expiration (spread over lifetime - remain time - refresh interval)
   * after 2035.
   */
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Duration LIFETIME = Duration.ofDays(10 * 365);
  static final Duration REMAIN = Duration.ofDays(9 * 365);
  static final Duration REFRESH = Duration.ofHours(12);
  static final long SIGNED_SERIAL = 2026010100L;

  static ParsedZone tricky;

  @BeforeAll
  static void parse() throws Exception {
    tricky = ZoneFileParser.parse(Path.of("src/test/resources/zones/tricky.example.zone"), ORIGIN);
  }

  static SigningPolicy policy(String denial) {
    return switch (denial) {
      case "NSEC" -> policy(SigningPolicy.Denial.NSEC, false, 0, new byte[0]);
      case "NSEC3" -> policy(SigningPolicy.Denial.NSEC3, false, 0, new byte[0]);
      case "NSEC3-OPTOUT" -> policy(SigningPolicy.Denial.NSEC3, true, 0, new byte[0]);
      case "NSEC3-SALT" -> policy(SigningPolicy.Denial.NSEC3, false, 5, new byte[] {(byte) 0xAB, (byte) 0xCD});
      default -> throw new IllegalArgumentException(denial);
    };
  }

  private static SigningPolicy policy(SigningPolicy.Denial denial, boolean optOut, int iterations, byte[] salt) {
    return new SigningPolicy(denial, optOut, iterations, salt, Duration.ofHours(1), LIFETIME, REMAIN, REFRESH);
  }

  static List<SigningKey> keys(String set) {
    return Arrays.stream(set.split("\\+")).map(TestKeys::load).toList();
  }

  static List<DNSKEYRecord> published(List<SigningKey> keys) {
    return keys.stream().map(SigningKey::dnskey).toList();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
      "NSEC, ksk13+zsk13", "NSEC3, ksk13+zsk13", "NSEC3-OPTOUT, ksk13+zsk13",
      "NSEC, ksk15+zsk15", "NSEC3, ksk15+zsk15", "NSEC3-OPTOUT, ksk15+zsk15",
      "NSEC3-SALT, csk8", "NSEC, csk14", "NSEC3, csk10", "NSEC, csk16"})
  void signedZoneIsAcceptedByOurVerifierAndThreeExternalOnes(String denial, String keySet, @TempDir Path dir)
      throws Exception {
    List<SigningKey> keys = keys(keySet);
    SignedZone signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, tricky.records(), keys, 3600, policy(denial), SIGNED_SERIAL);

    VerificationReport report = ZoneVerifier.verify(ORIGIN, signed.records(), published(keys), NOW, Duration.ofDays(1));
    assertTrue(report.ok(), () -> String.join("\n", report.problems()));
    ExternalVerifiers.assertAllAccept(ORIGIN, signed.records(), dir);
  }

  @Test
  void nsecChainSkipsOccludedNamesAndBitmapsFollowZoneCuts() {
    List<SigningKey> keys = keys("ksk13+zsk13");
    SignedZone signed = new ZoneSigner(CLOCK, 1).sign(ORIGIN, tricky.records(), keys, 3600, policy("NSEC"), SIGNED_SERIAL);
    List<Record> records = signed.records();

    // Canonical order (RFC 4034 §6.1); occluded names (below.dname, ns.insecure, deep.ns.insecure,
    // ns.secure) and empty non-terminals (ent, c.ent, b.c.ent, y.optout) have no NSEC.
    assertEquals(List.of(
        "example.->dname.example.",
        "dname.example.->a.b.c.ent.example.",
        "a.b.c.ent.example.->insecure.example.",
        "insecure.example.->mail.example.",
        "mail.example.->ns1.example.",
        "ns1.example.->x.y.optout.example.",
        "x.y.optout.example.->secure.example.",
        "secure.example.->txt.example.",
        "txt.example.->unknown.example.",
        "unknown.example.->*.wild.example.",
        "*.wild.example.->www.example.",
        "www.example.->example."), chainInOrder(records));

    assertEquals(Set.of(Type.NS, Type.DS, Type.RRSIG, Type.NSEC), types(nsecAt(records, "secure.example.")));
    assertEquals(Set.of(Type.NS, Type.RRSIG, Type.NSEC), types(nsecAt(records, "insecure.example.")));
    assertEquals(Set.of(Type.DNAME, Type.RRSIG, Type.NSEC), types(nsecAt(records, "dname.example.")));
    assertEquals(Set.of(Type.SOA, Type.NS, Type.MX, Type.DNSKEY, Type.RRSIG, Type.NSEC), types(nsecAt(records, "example.")));
    for (Record r : records) {
      if (r instanceof NSECRecord) {
        assertEquals(300, r.getTTL(), "RFC 9077: min(SOA MINIMUM 300, SOA TTL 3600)");
      }
    }
  }

  private static List<String> chainInOrder(List<Record> records) {
    return records.stream().filter(r -> r instanceof NSECRecord).map(r -> r.getName() + "->" + ((NSECRecord) r).getNext())
        .toList();
  }

  @Test
  void onlyAuthoritativeRrsetsAreSignedAndDnskeyOnlyByTheKsk() {
    SigningKey ksk = TestKeys.load("ksk13");
    SigningKey zsk = TestKeys.load("zsk13");
    SignedZone signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, tricky.records(), List.of(ksk, zsk), 7200, policy("NSEC"),
        SIGNED_SERIAL);
    List<RRSIGRecord> sigs = signed.records().stream().filter(r -> r instanceof RRSIGRecord).map(r -> (RRSIGRecord) r).toList();

    Set<String> covered = sigs.stream().map(s -> s.getName() + "/" + Type.string(s.getTypeCovered()))
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(covered.contains("secure.example./DS"));
    assertTrue(covered.contains("secure.example./NSEC"));
    assertFalse(covered.contains("secure.example./NS"), "delegation NS is not authoritative (RFC 4035 §2.2)");
    assertFalse(covered.contains("ns.secure.example./A"), "glue is not signed");
    assertFalse(covered.contains("deep.ns.insecure.example./TXT"), "data below a cut is occluded");
    assertTrue(covered.contains("*.wild.example./TXT"));

    for (RRSIGRecord s : sigs) {
      int expectedTag = s.getTypeCovered() == Type.DNSKEY ? ksk.keyTag() : zsk.keyTag();
      assertEquals(expectedTag, s.getFootprint(), s.toString());
      assertEquals(NOW.minus(Duration.ofHours(1)), s.getTimeSigned());
      // Spread expirations (SignatureValidity): not due before the first refresh, never beyond the lifetime.
      assertFalse(s.getExpire().isAfter(NOW.plus(LIFETIME)), s.toString());
      assertTrue(s.getExpire().isAfter(NOW.plus(REMAIN).plus(REFRESH).plusSeconds(s.getOrigTTL())), s.toString());
    }
    RRSIGRecord wildcard = sigs.stream().filter(s -> s.getName().isWild()).findFirst().orElseThrow();
    assertEquals(2, wildcard.getLabels(), "RFC 4034 §3.1.3: the wildcard label is not counted");

    List<Record> dnskeys = signed.records().stream().filter(r -> r.getType() == Type.DNSKEY).toList();
    assertEquals(2, dnskeys.size());
    dnskeys.forEach(k -> assertEquals(7200, k.getTTL()));
    SOARecord soa = (SOARecord) signed.records().stream().filter(r -> r.getType() == Type.SOA).findFirst().orElseThrow();
    assertEquals(SIGNED_SERIAL, soa.getSerial());
    assertEquals(signed.records().stream().sorted(CanonicalOrder.RECORDS).toList(), signed.records());
    assertEquals(tricky.records().size(), signed.stats().unsignedRrCount());
    assertEquals(12, signed.stats().denialRrCount());
    assertEquals(sigs.size(), signed.stats().rrsigCount());
  }

  @Test
  void nsec3CoversEmptyNonTerminalsAndOptOutLeavesOutInsecureDelegations() throws Exception {
    List<SigningKey> keys = keys("ksk13+zsk13");
    List<Record> full = new ZoneSigner(CLOCK, 2).sign(ORIGIN, tricky.records(), keys, 3600, policy("NSEC3"), SIGNED_SERIAL)
        .records();
    List<Record> optOut = new ZoneSigner(CLOCK, 2).sign(ORIGIN, tricky.records(), keys, 3600, policy("NSEC3-OPTOUT"),
        SIGNED_SERIAL).records();
    NSEC3PARAMRecord param = (NSEC3PARAMRecord) full.stream().filter(r -> r.getType() == Type.NSEC3PARAM).findFirst()
        .orElseThrow();
    assertEquals(0, param.getFlags());

    for (String ent : List.of("ent.example.", "c.ent.example.", "b.c.ent.example.")) {
      assertEquals(Set.of(), types(nsec3For(full, param, ent)), ent + " is an empty non-terminal");
      assertTrue(nsec3For(optOut, param, ent) != null, ent + " leads to authoritative data");
    }
    assertEquals(Set.of(Type.NS), types(nsec3For(full, param, "insecure.example.")));
    assertEquals(Set.of(Type.NS, Type.DS, Type.RRSIG), types(nsec3For(full, param, "secure.example.")));
    assertTrue(nsec3For(full, param, "y.optout.example.") != null);
    assertTrue(nsec3For(full, param, "ns.secure.example.") == null, "glue gets no NSEC3");

    assertTrue(nsec3For(optOut, param, "insecure.example.") == null);
    assertTrue(nsec3For(optOut, param, "x.y.optout.example.") == null);
    assertTrue(nsec3For(optOut, param, "y.optout.example.") == null, "ENT only above an opt-out delegation");
    assertTrue(nsec3For(optOut, param, "secure.example.") != null);
    optOut.stream().filter(r -> r instanceof NSEC3Record).forEach(r -> {
      assertEquals(NSEC3Record.Flags.OPT_OUT, ((NSEC3Record) r).getFlags());
      assertEquals(300, r.getTTL());
    });
  }

  @ParameterizedTest
  @CsvSource({"NSEC", "NSEC3"})
  void dataBelowADnameIsOccluded(String denial, @TempDir Path dir) throws Exception {
    List<Record> unsigned = new ArrayList<>(tricky.records());
    unsigned.add(Record.fromString(Name.fromConstantString("below.dname.example."), Type.A, DClass.IN, 3600,
        "192.0.2.20", ORIGIN));
    List<SigningKey> keys = keys("ksk13+zsk13");
    List<Record> signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, unsigned, keys, 3600, policy(denial), SIGNED_SERIAL)
        .records();

    Name below = Name.fromConstantString("below.dname.example.");
    assertTrue(signed.stream().anyMatch(r -> r.getName().equals(below) && r.getType() == Type.A), "occluded data is kept");
    assertTrue(signed.stream().noneMatch(r -> r.getName().equals(below) && r.getType() != Type.A), "but not signed");
    if (denial.equals("NSEC3")) {
      NSEC3PARAMRecord param = (NSEC3PARAMRecord) signed.stream().filter(r -> r.getType() == Type.NSEC3PARAM)
          .findFirst().orElseThrow();
      assertTrue(nsec3For(signed, param, "below.dname.example.") == null, "no NSEC3 for occluded data");
    }
    VerificationReport report = ZoneVerifier.verify(ORIGIN, signed, published(keys), NOW, Duration.ofDays(1));
    assertTrue(report.ok(), () -> String.join("\n", report.problems()));
    ExternalVerifiers.assertBindAndLdnsAccept(ORIGIN, signed, dir);
  }

  @Test
  void parallelSigningGivesTheSameZoneAsSequential() {
    // Ed25519 signatures are deterministic (RFC 8032 §5.1.6), so the outputs must be identical.
    List<SigningKey> keys = keys("ksk15+zsk15");
    SignedZone one = new ZoneSigner(CLOCK, 1).sign(ORIGIN, tricky.records(), keys, 3600, policy("NSEC3"), SIGNED_SERIAL);
    SignedZone four = new ZoneSigner(CLOCK, 4).sign(ORIGIN, tricky.records(), keys, 3600, policy("NSEC3"), SIGNED_SERIAL);
    assertEquals(one.records().stream().map(Record::toString).toList(), four.records().stream().map(Record::toString).toList());
    assertEquals(4, four.stats().threads());
  }

  /**
   * The set-up of a signing (zone cuts, chain, output order) runs in pieces cut at the apex's children: random
   * zones, some with a DNAME at the apex (which occludes every name below it, RFC 6672 §2.3), sign the same on one
   * thread as on three.
   */
  @ParameterizedTest
  @CsvSource({"NSEC", "NSEC3-OPTOUT"})
  void randomZonesSignTheSameOnOneThreadAsOnThree(String denial) throws Exception {
    List<SigningKey> keys = keys("ksk15+zsk15");
    Random random = new Random(17);
    for (int round = 0; round < 100; round++) {
      RandomZone zone = new RandomZone(random);
      for (int edits = random.nextInt(20); edits > 0; edits--) {
        zone.edit();
      }
      List<Record> unsigned = new ArrayList<>(zone.records());
      boolean apexDname = round % 4 == 0;
      if (apexDname) {
        unsigned.add(Record.fromString(ORIGIN, Type.DNAME, DClass.IN, 3600, "other.example.net.", ORIGIN));
      }
      List<Record> one = new ZoneSigner(CLOCK, 1).sign(ORIGIN, unsigned, keys, 3600, policy(denial), SIGNED_SERIAL)
          .records();
      List<Record> three = new ZoneSigner(CLOCK, 3).sign(ORIGIN, unsigned, keys, 3600, policy(denial), SIGNED_SERIAL)
          .records();
      // Ed25519 signatures are deterministic (RFC 8032 §5.1.6): the texts must be equal.
      assertEquals(one.stream().map(Record::toString).toList(), three.stream().map(Record::toString).toList(),
          "round " + round);
      if (apexDname) {
        assertTrue(one.stream().noneMatch(r -> r instanceof RRSIGRecord sig && !sig.getName().equals(ORIGIN)
            && sig.getTypeCovered() != Type.NSEC3), "round " + round + ": data below an apex DNAME is signed");
      }
    }
  }

  @Test
  void refusesInputThatIsAlreadySignedOrHasForeignKeys() {
    List<Record> withDnskey = new ArrayList<>(tricky.records());
    withDnskey.add(TestKeys.load("zsk13").dnskey());
    ZoneSigner signer = new ZoneSigner(CLOCK, 1);
    assertThrows(IllegalArgumentException.class,
        () -> signer.sign(ORIGIN, withDnskey, keys("ksk13"), 3600, policy("NSEC"), 1));
    assertThrows(IllegalArgumentException.class,
        () -> signer.sign(Name.fromConstantString("other."), List.of(), keys("ksk13"), 3600, policy("NSEC"), 1));
  }

  /**
   * The signer counts the zone's records as their names are signed and handed on, a chunk of names at a time, on the
   * calling thread, up to every record of the zone: the unsigned ones plus the DNSKEYs (and the NSEC3PARAM) it adds.
   */
  @ParameterizedTest(name = "{0} on {1} thread(s)")
  @CsvSource({"NSEC, 1", "NSEC, 3", "NSEC3, 2"})
  void progressCountsTheRecordsSignedUpToTheWholeZone(String denial, int threads) throws Exception {
    List<Record> unsigned = new ArrayList<>(tricky.records());
    for (int i = 0; i < 3 * ZoneSigner.CHUNK; i++) {
      unsigned.add(Record.fromString(Name.fromConstantString("host" + i + ".example."), Type.A, DClass.IN, 3600,
          "192.0.2." + (i % 250), Name.root));
    }
    List<SigningKey> keys = keys("ksk13+zsk13");
    long total = unsigned.size() + keys.size() + (denial.equals("NSEC3") ? 1 : 0);
    Thread caller = Thread.currentThread();
    List<long[]> counts = new ArrayList<>();
    new ZoneSigner(CLOCK, threads, (done, all) -> {
      assertTrue(Thread.currentThread() == caller, "reported on " + Thread.currentThread());
      counts.add(new long[] {done, all});
    }).sign(ORIGIN, unsigned, keys, 3600, policy(denial), SIGNED_SERIAL);

    String what = counts.stream().map(Arrays::toString).toList().toString();
    assertTrue(counts.size() >= 3, "one count per chunk of " + ZoneSigner.CHUNK + " names: " + what);
    for (int i = 0; i < counts.size(); i++) {
      assertEquals(total, counts.get(i)[1], what);
      assertTrue(counts.get(i)[0] > (i == 0 ? 0 : counts.get(i - 1)[0]), what);
    }
    assertEquals(total, counts.get(counts.size() - 1)[0], what);
  }

  static NSECRecord nsecAt(List<Record> records, String name) {
    Name n = Name.fromConstantString(name);
    return (NSECRecord) records.stream().filter(r -> r instanceof NSECRecord && r.getName().equals(n)).findFirst()
        .orElseThrow();
  }

  static NSEC3Record nsec3For(List<Record> records, NSEC3PARAMRecord param, String name) throws Exception {
    byte[] hash = param.hashName(Name.fromConstantString(name));
    return (NSEC3Record) records.stream()
        .filter(r -> r instanceof NSEC3Record n && Arrays.equals(hash, hashOf(n))).findFirst().orElse(null);
  }

  private static byte[] hashOf(NSEC3Record n) {
    return new org.xbill.DNS.utils.base32(org.xbill.DNS.utils.base32.Alphabet.BASE32HEX, false, false)
        .fromString(n.getName().getLabelString(0).toUpperCase());
  }

  static Set<Integer> types(NSECRecord nsec) {
    return Arrays.stream(nsec.getTypes()).boxed().collect(Collectors.toSet());
  }

  static Set<Integer> types(NSEC3Record nsec3) {
    return Arrays.stream(nsec3.getTypes()).boxed().collect(Collectors.toSet());
  }
}
