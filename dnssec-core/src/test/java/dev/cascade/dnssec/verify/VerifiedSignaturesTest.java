package dev.cascade.dnssec.verify;

import static dev.cascade.dnssec.verify.ZoneVerifierTest.FLOOR;
import static dev.cascade.dnssec.verify.ZoneVerifierTest.NOW;
import static dev.cascade.dnssec.verify.ZoneVerifierTest.ORIGIN;
import static dev.cascade.dnssec.verify.ZoneVerifierTest.PUBLISHED;
import static dev.cascade.dnssec.verify.ZoneVerifierTest.ZSK;
import static dev.cascade.dnssec.verify.ZoneVerifierTest.rrsigOver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The gate's memory of valid signatures: it saves public-key work, and hides no problem. */
class VerifiedSignaturesTest {

  static List<Record> zone;
  static VerificationReport first;

  @BeforeAll
  static void verifyOnce() throws Exception {
    ZoneVerifierTest.sign();
    zone = ZoneVerifierTest.nsecZone;
    first = ZoneVerifier.verify(ORIGIN, zone, PUBLISHED, NOW, FLOOR);
  }

  @Test
  void everyValidSignatureIsRememberedAndTheNextRunPassesWithThem() {
    long rrsigs = zone.stream().filter(r -> r.getType() == Type.RRSIG).count();

    VerificationReport second = ZoneVerifier.verify(ORIGIN, zone, PUBLISHED, NOW, FLOOR, first.verified());

    assertTrue(first.ok(), first.problems().toString());
    assertEquals(rrsigs, first.verified().size());
    assertTrue(second.ok(), second.problems().toString());
    assertEquals(rrsigs, second.verified().size());
  }

  @Test
  void aChangedSignatureOrChangedDataIsVerifiedAgain() {
    List<Record> flipped = replace(zone, r -> {
      if (!rrsigOver(r, "mail.example.", Type.A)) {
        return r;
      }
      RRSIGRecord s = (RRSIGRecord) r;
      byte[] sig = s.getSignature();
      sig[5] ^= 0x01;
      return new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(), s.getAlgorithm(),
          s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), sig);
    });
    List<Record> otherAddress = replace(zone, r -> r instanceof ARecord a && a.getName().toString().equals("mail.example.")
        ? new ARecord(a.getName(), a.getDClass(), a.getTTL(), address("192.0.2.254")) : r);

    String problem = "RRSIG mail.example./A by key tag " + ZSK.keyTag() + ": signature does not verify";
    assertTrue(ZoneVerifier.verify(ORIGIN, flipped, PUBLISHED, NOW, FLOOR, first.verified()).problems()
        .contains(problem));
    assertTrue(ZoneVerifier.verify(ORIGIN, otherAddress, PUBLISHED, NOW, FLOOR, first.verified()).problems()
        .contains(problem));
  }

  @Test
  void aRememberedSignatureStillHasItsValidityWindowChecked() {
    VerificationReport late =
        ZoneVerifier.verify(ORIGIN, zone, PUBLISHED, NOW.plus(Duration.ofDays(30)), FLOOR, first.verified());

    assertTrue(late.problems().stream().anyMatch(p -> p.contains("expired at")), late.problems().toString());
  }

  @Test
  void aSignatureInTheSetSkipsThePublicKeyOperation() throws Exception {
    // Proof that the set is what spares the work: a broken signature whose digest is put in the set passes.
    RRSIGRecord broken = null;
    List<Record> zoneWithBroken = new ArrayList<>();
    for (Record r : zone) {
      if (rrsigOver(r, "mail.example.", Type.A)) {
        RRSIGRecord s = (RRSIGRecord) r;
        byte[] sig = s.getSignature();
        sig[5] ^= 0x01;
        broken = new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(), s.getAlgorithm(),
            s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), sig);
        r = broken;
      }
      zoneWithBroken.add(r);
    }
    RRset covered = new RRset(zone.stream()
        .filter(r -> r.getName().toString().equals("mail.example.") && r.getType() == Type.A).toList());
    long[] digest = VerifiedSignatures.digest(
        ZSK.dnskey().rdataToWireCanonical(), DNSSEC.digestRRset(broken, covered), broken.getSignature());

    VerificationReport trusted = ZoneVerifier.verify(
        ORIGIN, zoneWithBroken, PUBLISHED, NOW, FLOOR, VerifiedSignatures.of(digest, 1));

    assertTrue(trusted.ok(), trusted.problems().toString());
  }

  private static List<Record> replace(List<Record> records, UnaryOperator<Record> change) {
    return records.stream().map(change).toList();
  }

  private static java.net.InetAddress address(String text) {
    try {
      return java.net.InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
