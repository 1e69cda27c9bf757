package dev.cascade.signer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Full or incremental: {@link VersionSigner} signs incrementally from a previous signed version it has, and in full
 * when there is none, when it cannot be read, or when the incremental result fails the gate; every result passes the
 * verification gate.
 */
class IncrementalSigningChoiceTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  /** The second version is signed a day later, before any signature of the first is due. */
  private static final Instant T1 = T0.plus(Duration.ofDays(1));
  private static final ZonePolicy POLICY = TestZones.policy(SerialPolicy.COUNTER);

  private final List<SigningKey> keys = TestZones.keys();
  private final SigningOutcome.Signed first = sign(T0, version(2026030100, false), OptionalLong.empty(),
      new PreviousSigned.None());

  @Test
  void withoutASignedVersionTheZoneIsSignedInFull() {
    assertFalse(first.incremental());
    assertEquals("the zone has no signed version yet", first.fullSigningReason());
    assertEquals(0, first.stats().reusedRrsigCount());
    assertPassesGate(first, T0);
  }

  @Test
  void aChangedVersionIsSignedIncrementallyFromThePreviousOne() {
    SigningOutcome.Signed second =
        sign(T1, version(2026030101, true), OptionalLong.of(first.signedSerial()),
            new PreviousSigned.Available(first.records(), null));

    assertTrue(second.incremental(), second.fullSigningReason());
    assertNull(second.change());
    assertEquals("the unsigned version the previous one was made from is not at hand", second.passReason());
    assertTrue(second.stats().reusedRrsigCount() > 0);
    assertTrue(second.stats().reusedRrsigCount() < second.stats().rrsigCount(), "new and changed RRsets are signed");
    assertTrue(second.records().toRecords().stream().anyMatch(r -> r.getName().equals(TestZones.name("ftp.example.test."))));
    assertPassesGate(second, T1);
  }

  @Test
  void withTheUnsignedVersionBehindThePreviousOneAChangeIsSignedAsAChange() {
    SigningOutcome.Signed second =
        sign(T1, version(2026030101, true), OptionalLong.of(first.signedSerial()),
            new PreviousSigned.Available(first.records(), CompactRecords.ofSorted(version(2026030100, false))));

    assertTrue(second.incremental(), second.fullSigningReason());
    assertNull(second.passReason());
    // The new name's A RRset and NSEC, its predecessor's NSEC and the SOA are re-signed; nothing else.
    assertEquals(4, second.stats().rrsigCount() - second.stats().reusedRrsigCount());
    assertEquals(second.records().toRecords(), second.change().applyTo(first.records()).toRecords());
    assertTrue(second.records().toRecords().stream()
        .anyMatch(r -> r.getName().equals(TestZones.name("ftp.example.test."))));
    assertPassesGate(second, T1);
  }

  @Test
  void aChangeTheChangeSignerDeclinesIsSignedByAPassOverTheZone() {
    SigningOutcome.Signed second =
        sign(T1, version(2026030101, true), OptionalLong.of(first.signedSerial()),
            new PreviousSigned.Available(first.records(), CompactRecords.ofSorted(version(2026030100, false))),
            keys.subList(0, 1));

    assertTrue(second.incremental(), second.fullSigningReason());
    assertEquals("the key set changed", second.passReason());
    assertNull(second.change());
    assertTrue(ZoneVerifier.verify(TestZones.origin(), second.records().toRecords(), List.of(keys.get(0).dnskey()), T1,
        POLICY.expiryFloor()).ok());
  }

  @Test
  void anUnreadablePreviousVersionFallsBackToAFullSigning() {
    SigningOutcome.Signed second =
        sign(T1, version(2026030101, true), OptionalLong.of(first.signedSerial()),
            new PreviousSigned.Unreadable("chunk 2 of 3 is missing"));

    assertFalse(second.incremental());
    assertEquals("the previous signed version cannot be read: chunk 2 of 3 is missing", second.fullSigningReason());
    assertEquals(0, second.stats().reusedRrsigCount());
    assertPassesGate(second, T1);
  }

  @Test
  void anIncrementalResultThatFailsTheGateFallsBackToAFullSigning() {
    // The previous version's RRSIG over www A has a broken signature: reused as is, the gate stops it.
    Record www = TestZones.parse("www.example.test. 3600 IN A 192.0.2.80");
    List<Record> corrupted = new ArrayList<>();
    for (Record r : first.records().toRecords()) {
      if (r instanceof RRSIGRecord sig && sig.getName().equals(www.getName()) && sig.getTypeCovered() == Type.A) {
        byte[] signature = sig.getSignature();
        signature[0] ^= 0x01;
        r = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
            sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), signature);
      }
      corrupted.add(r);
    }

    SigningOutcome.Signed second =
        sign(T1, version(2026030101, true), OptionalLong.of(first.signedSerial()),
            new PreviousSigned.Available(CompactRecords.ofSorted(corrupted), null));

    assertFalse(second.incremental());
    assertTrue(second.fullSigningReason().startsWith("the incremental result failed the verification gate: "),
        second.fullSigningReason());
    assertPassesGate(second, T1);
  }

  @Test
  void aPreviousVersionOfAnotherZoneCarriesNothingOver() {
    List<Record> foreign = List.of(TestZones.parse("other.test. 3600 IN A 192.0.2.1"));

    SigningOutcome.Signed second =
        sign(T1, version(2026030101, true), OptionalLong.of(first.signedSerial()),
            new PreviousSigned.Available(CompactRecords.of(foreign), null));

    assertPassesGate(second, T1);
    assertEquals(0, second.stats().reusedRrsigCount());
  }

  private static List<Record> version(long serial, boolean withFtp) {
    List<Record> records = new ArrayList<>(TestZones.unsignedZone(serial));
    if (withFtp) {
      records.add(TestZones.parse("ftp.example.test. 3600 IN A 192.0.2.21"));
    }
    records.sort(CanonicalOrder.RECORDS);
    return records;
  }

  private SigningOutcome.Signed sign(
      Instant at, List<Record> unsigned, OptionalLong previousSerial, PreviousSigned previous) {
    return sign(at, unsigned, previousSerial, previous, keys);
  }

  private SigningOutcome.Signed sign(Instant at, List<Record> unsigned, OptionalLong previousSerial,
      PreviousSigned previous, List<SigningKey> keys) {
    SigningOutcome outcome =
        new VersionSigner(Clock.fixed(at, ZoneOffset.UTC), 2)
            .sign(TestZones.origin(), serialOf(unsigned), CompactRecords.ofSorted(unsigned), keys, 3600, POLICY,
                previousSerial, previous);
    return assertInstanceOf(SigningOutcome.Signed.class, outcome);
  }

  private static long serialOf(List<Record> unsigned) {
    return unsigned.stream()
        .filter(r -> r.getType() == Type.SOA)
        .map(r -> ((SOARecord) r).getSerial())
        .findFirst()
        .orElseThrow();
  }

  private void assertPassesGate(SigningOutcome.Signed signed, Instant at) {
    var report = ZoneVerifier.verify(TestZones.origin(), signed.records().toRecords(),
        keys.stream().map(SigningKey::dnskey).toList(), at, POLICY.expiryFloor());
    assertTrue(report.ok(), report.problems().toString());
  }
}
