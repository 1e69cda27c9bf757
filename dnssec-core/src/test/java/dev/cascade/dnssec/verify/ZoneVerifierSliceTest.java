package dev.cascade.dnssec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.zone.ZoneFileParser;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The gate checks a zone a slice of names at a time and carries across each boundary what the checks of later names
 * need. With one name a slice every pair of neighbours straddles a boundary, a zone cut and its glue, an NSEC and
 * the name it points to, a DNAME and the name below it included: every slice size, and the compact form, must give
 * the report of a single slice.
 */
class ZoneVerifierSliceTest {
  static final Name ORIGIN = ZoneVerifierTest.ORIGIN;
  /** Slice sizes that put the boundaries everywhere, and in two other patterns. */
  static final List<Integer> SLICES = List.of(1, 2, 3);

  static List<Record> nsecZone;
  static List<Record> nsec3Zone;

  /** The tricky zone with a name below its DNAME, occluded (RFC 6672 §2.3). */
  @BeforeAll
  static void sign() throws Exception {
    List<Record> unsigned = new ArrayList<>(
        ZoneFileParser.parse(Path.of("src/test/resources/zones/tricky.example.zone"), ORIGIN).records());
    unsigned.add(new ARecord(Name.fromConstantString("below.dname.example."), DClass.IN, 3600,
        InetAddress.getByName("192.0.2.99")));
    ZoneSigner signer = new ZoneSigner(Clock.fixed(ZoneVerifierTest.NOW, ZoneOffset.UTC), 2);
    List<SigningKey> keys = List.of(ZoneVerifierTest.KSK, ZoneVerifierTest.ZSK);
    nsecZone = signer.sign(ORIGIN, sorted(unsigned), keys, 3600, policy(SigningPolicy.Denial.NSEC), 2026010100L)
        .records();
    nsec3Zone = signer.sign(ORIGIN, sorted(unsigned), keys, 3600, policy(SigningPolicy.Denial.NSEC3), 2026010100L)
        .records();
  }

  private static List<Record> sorted(List<Record> records) {
    return CompactRecords.of(records).toRecords();
  }

  private static SigningPolicy policy(SigningPolicy.Denial denial) {
    return new SigningPolicy(denial, false, 0, new byte[0], Duration.ofHours(1), Duration.ofDays(14),
        Duration.ofDays(7), Duration.ofHours(12));
  }

  private static VerificationReport list(List<Record> zone, int sliceNames) {
    return ZoneVerifier.verify(ORIGIN, zone, ExpectedKeys.published(ZoneVerifierTest.PUBLISHED), ZoneVerifierTest.NOW,
        ZoneVerifierTest.FLOOR, VerifiedSignatures.none(), Progress.NONE, sliceNames);
  }

  private static VerificationReport compact(List<Record> zone, int sliceNames) {
    return ZoneVerifier.verify(ORIGIN, CompactRecords.of(zone), ExpectedKeys.published(ZoneVerifierTest.PUBLISHED),
        ZoneVerifierTest.NOW, ZoneVerifierTest.FLOOR, VerifiedSignatures.none(), Progress.NONE, sliceNames);
  }

  /** The single-slice report of the list, after checking that every slicing of both forms gives the same. */
  private static List<String> sameInEverySlicing(List<Record> zone) {
    VerificationReport whole = list(zone, Integer.MAX_VALUE);
    assertEquals(whole.problems(), compact(zone, Integer.MAX_VALUE).problems(), "compact, one slice");
    for (int slice : SLICES) {
      VerificationReport sliced = list(zone, slice);
      assertEquals(whole.problems(), sliced.problems(), "list, slices of " + slice);
      assertEquals(whole.verified().size(), sliced.verified().size(), "list, slices of " + slice);
      assertEquals(whole.problems(), compact(zone, slice).problems(), "compact, slices of " + slice);
    }
    return whole.problems();
  }

  private static List<Record> replaced(List<Record> zone, UnaryOperator<Record> change) {
    return zone.stream().map(change).toList();
  }

  /**
   * A correct zone passes in every slicing: the glue below {@code secure.} and {@code insecure.}, the name below the
   * insecure delegation's glue and the name below the DNAME are each in a slice after their cut's, and are taken
   * for occluded only if the cut is carried over (else their unsigned RRsets would be reported).
   */
  @Test
  void correctZonesPassInEverySlicing() {
    for (List<Record> zone : List.of(nsecZone, nsec3Zone)) {
      assertTrue(zone.stream().anyMatch(r -> r.getName().equals(Name.fromConstantString("below.dname.example."))));
      assertEquals(List.of(), sameInEverySlicing(zone));
      VerificationReport sliced = compact(zone, 1);
      assertEquals(list(zone, Integer.MAX_VALUE).verified().size(), sliced.verified().size());
      assertTrue(sliced.verified().size() > 20, "the signatures were checked: " + sliced.verified().size());
    }
  }

  /** The NSEC of the last name of a slice is checked against the first name of the next. */
  @Test
  void anNsecPointingPastTheNextNameAcrossABoundary() {
    Name mail = Name.fromConstantString("mail.example.");
    List<Record> zone = replaced(nsecZone, r -> r instanceof NSECRecord n && n.getName().equals(mail)
        ? new NSECRecord(mail, n.getDClass(), n.getTTL(), Name.fromConstantString("www.example."), n.getTypes())
        : r);
    List<String> problems = sameInEverySlicing(zone);
    assertTrue(problems.contains(
            "NSEC at mail.example. points to www.example., expected the next name ns1.example."),
        String.join("\n", problems));
  }

  /** Names below a cut met in a later slice still must not have an NSEC (RFC 4035 §2.3), nor signed RRsets. */
  @Test
  void dataBelowCutsAcrossABoundary() throws Exception {
    List<Record> zone = new ArrayList<>(nsecZone);
    Name glue = Name.fromConstantString("ns.secure.example.");
    Name belowDname = Name.fromConstantString("below.dname.example.");
    zone.add(new NSECRecord(glue, DClass.IN, 300, Name.fromConstantString("txt.example."), new int[] {Type.A}));
    zone.add(ZoneVerifierTest.signWith(ZoneVerifierTest.ZSK, nsecZone, "below.dname.example.", Type.A,
        ZoneVerifierTest.NOW.minusSeconds(3600), ZoneVerifierTest.NOW.plus(Duration.ofDays(10))));
    List<String> problems = sameInEverySlicing(sorted(zone));
    assertTrue(problems.contains("NSEC at ns.secure.example., a name below a zone cut or DNAME"),
        String.join("\n", problems));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("RRSIG " + belowDname + "/A")),
        String.join("\n", problems));
  }

  /** The problems of the NSEC3 chain, the signatures and the input are the same too. */
  @Test
  void brokenNsec3ZoneAndInputProblems() throws Exception {
    List<Record> zone = new ArrayList<>(replaced(nsec3Zone, r -> {
      if (ZoneVerifierTest.rrsigOver(r, "ns1.example.", Type.AAAA)) {
        RRSIGRecord s = (RRSIGRecord) r;
        byte[] sig = s.getSignature().clone();
        sig[7] ^= 0x01;
        return new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(), s.getAlgorithm(),
            s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), sig);
      }
      return r;
    }));
    zone.remove(zone.stream().filter(r -> r.getType() == Type.NSEC3).findFirst().orElseThrow());
    zone.add(new ARecord(Name.fromConstantString("host.example.net."), DClass.IN, 3600,
        InetAddress.getByName("192.0.2.98")));
    List<String> problems = sameInEverySlicing(sorted(zone));
    assertTrue(problems.contains("host.example.net./A is outside the zone " + ORIGIN), String.join("\n", problems));
    assertTrue(problems.contains("RRset ns1.example./AAAA has no valid RRSIG"), String.join("\n", problems));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("no NSEC3 for ")), String.join("\n", problems));
  }

  /**
   * A name spelled in two cases is one name (RFC 4343 §3) but two owners of the compact form, next to each other; a
   * slice never ends between them, and the report is the one of the list.
   */
  @Test
  void aNameSpelledInTwoCasesIsOneName() {
    Name mail = Name.fromConstantString("mail.example.");
    Name upper = Name.fromConstantString("MAIL.example.");
    List<Record> zone = replaced(nsecZone, r -> r instanceof ARecord a && a.getName().equals(mail)
        ? new ARecord(upper, a.getDClass(), a.getTTL(), a.getAddress())
        : r);
    CompactRecords compact = CompactRecords.of(zone);
    int first = compact.ownerCeiling(mail);
    assertEquals(List.of(upper.toString(), mail.toString()),
        List.of(compact.ownerName(first).toString(), compact.ownerName(first + 1).toString()), "two owners");
    assertEquals(List.of(), sameInEverySlicing(zone));
  }
}
