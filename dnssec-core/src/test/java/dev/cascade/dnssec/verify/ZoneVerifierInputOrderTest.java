package dev.cascade.dnssec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.zone.ZoneFileParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The gate groups a zone in canonical order in one pass and sorts any other input first: both paths must find the
 * same problems, reported in the same (canonical) order.
 */
class ZoneVerifierInputOrderTest {
  static List<Record> nsec3Zone;
  static List<Record> nsecZone;

  @BeforeAll
  static void sign() throws Exception {
    Name origin = ZoneVerifierTest.ORIGIN;
    List<Record> unsigned = ZoneFileParser.parse(Path.of("src/test/resources/zones/tricky.example.zone"), origin)
        .records();
    ZoneSigner signer = new ZoneSigner(Clock.fixed(ZoneVerifierTest.NOW, ZoneOffset.UTC), 2);
    List<SigningKey> keys = List.of(ZoneVerifierTest.KSK, ZoneVerifierTest.ZSK);
    nsec3Zone = signer.sign(origin, unsigned, keys, 3600, policy(SigningPolicy.Denial.NSEC3), 2026010100L).records();
    nsecZone = signer.sign(origin, unsigned, keys, 3600, policy(SigningPolicy.Denial.NSEC), 2026010100L).records();
  }

  private static SigningPolicy policy(SigningPolicy.Denial denial) {
    return new SigningPolicy(denial, false, 0, new byte[0], Duration.ofHours(1), Duration.ofDays(14),
        Duration.ofDays(7), Duration.ofHours(12));
  }

  /** A signed zone with a flipped RRSIG bit, a dropped RRSIG and a dropped NSEC or NSEC3 RRset. */
  private static List<Record> broken(List<Record> zone, int denialType) {
    List<Record> broken = new ArrayList<>();
    boolean droppedDenial = false;
    for (Record r : zone) {
      if (ZoneVerifierTest.rrsigOver(r, "mail.example.", Type.A)) {
        RRSIGRecord s = (RRSIGRecord) r;
        byte[] sig = s.getSignature().clone();
        sig[3] ^= 0x01;
        r = new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(), s.getAlgorithm(),
            s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), sig);
      } else if (ZoneVerifierTest.rrsigOver(r, "ns1.example.", Type.AAAA)) {
        continue;
      } else if (r.getType() == denialType && !r.getName().equals(ZoneVerifierTest.ORIGIN) && !droppedDenial) {
        droppedDenial = true;
        continue;
      }
      broken.add(r);
    }
    return broken;
  }

  private static void assertSameReportInAnyOrder(List<Record> zone) {
    List<String> inOrder = ZoneVerifierTest.problems(zone);
    assertTrue(inOrder.contains("RRset mail.example./A has no valid RRSIG"), String.join("\n", inOrder));
    assertTrue(inOrder.contains("RRset ns1.example./AAAA has no valid RRSIG"), String.join("\n", inOrder));
    assertTrue(inOrder.stream().anyMatch(p -> p.startsWith("no NSEC")), String.join("\n", inOrder));
    Random random = new Random(5155);
    for (int i = 0; i < 5; i++) {
      List<Record> shuffled = new ArrayList<>(zone);
      Collections.shuffle(shuffled, random);
      assertNotEquals(zone, shuffled);
      assertEquals(inOrder, ZoneVerifierTest.problems(shuffled));
    }
  }

  @Test
  void brokenNsec3ZoneGivesTheSameReportInAnyOrder() {
    assertSameReportInAnyOrder(broken(nsec3Zone, Type.NSEC3));
  }

  @Test
  void brokenNsecZoneGivesTheSameReportInAnyOrder() {
    assertSameReportInAnyOrder(broken(nsecZone, Type.NSEC));
  }

  /** Records of one name apart from each other (here the apex's RRSIGs at the end) are still one name. */
  @Test
  void recordsOfOneNameApartAreGroupedTogether() {
    List<Record> zone = nsecZone;
    Name apex = ZoneVerifierTest.ORIGIN;
    List<Record> apexSigsLast = new ArrayList<>(zone.stream()
        .filter(r -> !(r instanceof RRSIGRecord && r.getName().equals(apex))).toList());
    apexSigsLast.addAll(zone.stream().filter(r -> r instanceof RRSIGRecord && r.getName().equals(apex)).toList());
    assertEquals(List.of(), ZoneVerifierTest.problems(apexSigsLast));
  }
}
