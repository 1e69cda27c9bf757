package dev.cascade.dnssec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.testsupport.TestKeys;
import dev.cascade.dnssec.zone.RecordText;
import dev.cascade.dnssec.zone.ZoneFileParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

class ZoneVerifierTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration FLOOR = Duration.ofDays(1);
  static final SigningKey KSK = TestKeys.load("ksk13");
  static final SigningKey ZSK = TestKeys.load("zsk13");
  static final List<DNSKEYRecord> PUBLISHED = List.of(KSK.dnskey(), ZSK.dnskey());

  static List<Record> unsigned;
  static List<Record> nsec3Zone;
  static List<Record> nsecZone;

  @BeforeAll
  static void sign() throws Exception {
    unsigned = ZoneFileParser.parse(Path.of("src/test/resources/zones/tricky.example.zone"), ORIGIN).records();
    ZoneSigner signer = new ZoneSigner(Clock.fixed(NOW, ZoneOffset.UTC), 2);
    nsec3Zone = signer.sign(ORIGIN, unsigned, List.of(KSK, ZSK), 3600,
        new SigningPolicy(SigningPolicy.Denial.NSEC3, false, 0, new byte[0], Duration.ofHours(1), Duration.ofDays(14),
            Duration.ofDays(7), Duration.ofHours(12)),
        2026010100L).records();
    nsecZone = signer.sign(ORIGIN, unsigned, List.of(KSK, ZSK), 3600,
        new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, new byte[0], Duration.ofHours(1), Duration.ofDays(14),
            Duration.ofDays(7), Duration.ofHours(12)),
        2026010100L).records();
  }

  /**
   * The gate counts the records of the RRsets whose signatures it has checked (every RRset but the RRSIGs), up to all
   * of them; the checks run on several threads, so counts may arrive out of order, but they add up.
   */
  @Test
  void progressCountsTheRecordsWhoseSignaturesWereChecked() {
    for (List<Record> zone : List.of(nsecZone, nsec3Zone)) {
      long checked = zone.stream().filter(r -> r.getType() != Type.RRSIG).count();
      List<long[]> counts = Collections.synchronizedList(new ArrayList<>());
      VerificationReport report = ZoneVerifier.verify(ORIGIN, zone, ExpectedKeys.published(PUBLISHED), NOW, FLOOR,
          VerifiedSignatures.none(), (done, total) -> counts.add(new long[] {done, total}));

      assertTrue(report.ok(), () -> String.join("\n", report.problems()));
      assertTrue(counts.size() > 10, "one count per RRset: " + counts.size());
      assertTrue(counts.stream().allMatch(c -> c[1] == checked && c[0] > 0 && c[0] <= checked));
      assertEquals(checked, counts.stream().mapToLong(c -> c[0]).max().orElseThrow());
    }
  }

  static List<String> problems(List<Record> zone) {
    return ZoneVerifier.verify(ORIGIN, zone, PUBLISHED, NOW, FLOOR).problems();
  }

  static List<Record> without(List<Record> zone, Predicate<Record> drop) {
    return zone.stream().filter(drop.negate()).toList();
  }

  static boolean rrsigOver(Record r, String name, int type) {
    return r instanceof RRSIGRecord s && s.getName().equals(Name.fromConstantString(name)) && s.getTypeCovered() == type;
  }

  static RRSIGRecord signWith(SigningKey key, List<Record> zone, String name, int type, Instant inception,
      Instant expiration) throws Exception {
    RRset rrset = new RRset(zone.stream()
        .filter(r -> r.getName().equals(Name.fromConstantString(name)) && r.getType() == type).toList());
    return DNSSEC.sign(rrset, key.dnskey(), key.privateKey(), inception, expiration, CryptoProvider.signingProvider(13));
  }

  @Test
  void correctZonesPassAlsoAfterTheTextCodec() {
    assertEquals(List.of(), problems(nsec3Zone));
    assertEquals(List.of(), problems(nsecZone));
    assertEquals(List.of(), problems(RecordText.parseGzipLines(RecordText.gzipLines(nsec3Zone))));
  }

  @Test
  void flippedBitInOneRrsig() {
    List<Record> zone = new ArrayList<>();
    for (Record r : nsec3Zone) {
      if (rrsigOver(r, "mail.example.", Type.A)) {
        RRSIGRecord s = (RRSIGRecord) r;
        byte[] sig = s.getSignature();
        sig[5] ^= 0x01;
        r = new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(), s.getAlgorithm(), s.getOrigTTL(),
            s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), sig);
      }
      zone.add(r);
    }
    assertEquals(List.of(
        "RRSIG mail.example./A by key tag " + ZSK.keyTag() + ": signature does not verify",
        "RRset mail.example./A has no valid RRSIG"), problems(zone));
  }

  @Test
  void missingNsec3ForAnEmptyNonTerminal() throws Exception {
    NSEC3PARAMRecord param = (NSEC3PARAMRecord) nsec3Zone.stream().filter(r -> r.getType() == Type.NSEC3PARAM)
        .findFirst().orElseThrow();
    String label = new base32(base32.Alphabet.BASE32HEX, false, true)
        .toString(param.hashName(Name.fromConstantString("c.ent.example.")));
    Name owner = Name.fromConstantString(label + ".example.");
    List<String> problems = problems(without(nsec3Zone, r -> r.getName().equals(owner)));
    assertTrue(problems.contains("no NSEC3 for empty non-terminal c.ent.example. (hash " + label + ")"),
        String.join("\n", problems));
    assertTrue(problems.stream().anyMatch(p -> p.contains("expected the next hash")), "the chain has a gap too");
  }

  @Test
  void signatureByAnUnpublishedKey() throws Exception {
    SigningKey unpublished = TestKeys.load("unpublished13");
    List<Record> zone = new ArrayList<>(nsec3Zone);
    zone.add(signWith(unpublished, zone, "www.example.", Type.CNAME, NOW.minusSeconds(3600), NOW.plus(Duration.ofDays(7))));
    assertEquals(List.of("RRSIG www.example./CNAME by key tag " + unpublished.keyTag() + ": no such DNSKEY published"),
        problems(zone));
  }

  @Test
  void expiredAndSoonExpiringSignatures() throws Exception {
    List<Record> zone = new ArrayList<>(without(nsecZone,
        r -> rrsigOver(r, "mail.example.", Type.A) || rrsigOver(r, "ns1.example.", Type.AAAA)));
    RRSIGRecord expired = signWith(ZSK, zone, "mail.example.", Type.A, NOW.minus(Duration.ofDays(2)),
        NOW.minus(Duration.ofDays(1)));
    RRSIGRecord soon = signWith(ZSK, zone, "ns1.example.", Type.AAAA, NOW.minus(Duration.ofDays(2)),
        NOW.plus(Duration.ofHours(1)));
    zone.add(expired);
    zone.add(soon);
    String tag = String.valueOf(ZSK.keyTag());
    assertEquals(List.of(
        "RRSIG mail.example./A by key tag " + tag + ": expired at 2025-12-31T00:00:00Z, before 2026-01-02T00:00:00Z",
        "RRset mail.example./A has no valid RRSIG",
        "RRSIG ns1.example./AAAA by key tag " + tag + ": expires at 2026-01-01T01:00:00Z, before 2026-01-02T00:00:00Z",
        "RRset ns1.example./AAAA has no valid RRSIG"), problems(zone));
  }

  @Test
  void brokenNsecChainAndBitmap() {
    Name mail = Name.fromConstantString("mail.example.");
    List<Record> zone = new ArrayList<>();
    for (Record r : without(nsecZone, r -> r.getType() == Type.NSEC && r.getName().equals(mail))) {
      if (r instanceof NSECRecord n && n.getName().equals(ORIGIN)) {
        r = new NSECRecord(n.getName(), n.getDClass(), n.getTTL(), n.getNext(), new int[] {Type.SOA, Type.NSEC});
      }
      zone.add(r);
    }
    List<String> problems = problems(zone);
    assertTrue(problems.contains("no NSEC at mail.example."), String.join("\n", problems));
    assertTrue(problems.contains("NSEC at example. lists [SOA, NSEC], expected [NS, SOA, MX, RRSIG, NSEC, DNSKEY]"),
        String.join("\n", problems));
    assertTrue(problems.contains("RRSIG example./NSEC by key tag " + ZSK.keyTag() + ": signature does not verify"));
    assertTrue(problems.contains("RRSIG mail.example./NSEC covers no RRset in the zone"));
  }

  @Test
  void signedGlueAndMissingDnskeyAreRefused() throws Exception {
    List<Record> zone = new ArrayList<>(nsecZone);
    zone.add(signWith(ZSK, zone, "ns.secure.example.", Type.A, NOW.minusSeconds(3600), NOW.plus(Duration.ofDays(7))));
    List<String> problems = ZoneVerifier.verify(ORIGIN, zone, List.of(KSK.dnskey()), NOW, FLOOR).problems();
    assertTrue(problems.contains(
        "RRSIG ns.secure.example./A: the RRset is not authoritative and must not be signed (RFC 4035 §2.2)"));
    assertTrue(problems.contains("DNSKEY tag " + ZSK.keyTag() + " in the zone is not in the published key set"));
    assertFalse(problems.isEmpty());
  }
}
