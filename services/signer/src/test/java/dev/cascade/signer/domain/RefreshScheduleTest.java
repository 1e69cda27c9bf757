package dev.cascade.signer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.sign.SignatureRefresh;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** When a signed zone is due for re-signing, and that re-signing it then makes its signatures fresh again. */
class RefreshScheduleTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final ZonePolicy POLICY = TestZones.policy(SerialPolicy.COUNTER);
  private static final SigningPolicy SIGNING = POLICY.signing();

  private final List<SigningKey> keys = TestZones.keys();
  private final List<Record> unsigned =
      TestZones.unsignedZone(2026030100).stream().sorted(CanonicalOrder.RECORDS).toList();

  @Test
  void aFreshZoneIsDueWhenItsFirstSignatureIsAndThenReSigningMakesItFreshAgain() {
    var first = sign(T0, new PreviousSigned.None(), OptionalLong.empty());
    Instant due = first.refreshDueAt();
    // dnssec-core spreads expirations over lifetime − remain time − refresh interval and stops one refresh interval
    // short, so the first RRSIG falls due after the first refresh interval and the RRSIGs decide.
    assertEquals(SignatureRefresh.nextDue(first.records(), SIGNING, first.finishedAt()).orElseThrow(), due);
    assertTrue(due.isAfter(T0.plus(SIGNING.refreshInterval())), due.toString());
    assertFalse(RefreshSchedule.isDue(due, due.minusSeconds(1)));
    assertTrue(RefreshSchedule.isDue(due, due));
    assertTrue(SignatureRefresh.anyDue(first.records().toRecords(), SIGNING, due));

    var refreshed = sign(due, new PreviousSigned.Available(first.records(), CompactRecords.ofSorted(unsigned)),
        OptionalLong.of(first.signedSerial()));
    assertTrue(refreshed.incremental());
    assertNotNull(refreshed.change(), "the due RRSIGs are re-made as a change: " + refreshed.passReason());
    assertEquals(first.signedSerial() + 1, refreshed.signedSerial());
    assertTrue(refreshed.stats().reusedRrsigCount() < refreshed.stats().rrsigCount(), "due RRSIGs were re-made");
    assertFalse(SignatureRefresh.anyDue(refreshed.records().toRecords(), SIGNING, due), "nothing is due right after");
    assertTrue(refreshed.refreshDueAt().isAfter(due));
    assertTrue(ZoneVerifier.verify(TestZones.origin(), refreshed.records().toRecords(),
        keys.stream().map(SigningKey::dnskey).toList(), due, POLICY.expiryFloor()).ok());
  }

  @Test
  void aZoneIsReSignedAtMostOncePerRefreshInterval() {
    // An RRSIG due 10 minutes after the signing (expiration = remain time + TTL + 10 min away) waits for the
    // refresh interval, the reference Cascade's cadence.
    RRSIGRecord nearlyDue =
        new RRSIGRecord(TestZones.name("www.example.test."), DClass.IN, 3600, Type.A, 13, 3600,
            T0.plus(SIGNING.remainTime()).plusSeconds(3600).plus(Duration.ofMinutes(10)), T0.minusSeconds(3600),
            12345, TestZones.origin(), new byte[64]);

    assertEquals(T0.plus(SIGNING.refreshInterval()), RefreshSchedule.refreshDueAt(CompactRecords.of(List.of(nearlyDue)), SIGNING, T0));
    assertEquals(T0.plus(SIGNING.refreshInterval()), RefreshSchedule.refreshDueAt(CompactRecords.empty(), SIGNING, T0));
  }

  @Test
  void aFailedRefreshIsRetriedOneRefreshIntervalLater() {
    assertEquals(T0.plus(Duration.ofHours(12)), RefreshSchedule.retryAt(T0, SIGNING));
  }

  private SigningOutcome.Signed sign(Instant at, PreviousSigned previous, OptionalLong previousSerial) {
    SigningOutcome outcome =
        new VersionSigner(Clock.fixed(at, ZoneOffset.UTC), 2)
            .sign(TestZones.origin(), 2026030100, CompactRecords.ofSorted(unsigned), keys, 3600, POLICY, previousSerial, previous);
    return assertInstanceOf(SigningOutcome.Signed.class, outcome);
  }
}
