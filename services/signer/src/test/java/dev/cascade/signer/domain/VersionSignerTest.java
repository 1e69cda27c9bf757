package dev.cascade.signer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.verify.ZoneVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class VersionSignerTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  private final List<SigningKey> keys = TestZones.keys();
  private final CompactRecords unsigned = CompactRecords.of(TestZones.unsignedZone(2026030100));

  @Test
  void signedZonePassesTheGateAndCarriesThePolicySerial() {
    SigningOutcome outcome =
        new VersionSigner(CLOCK, 2)
            .sign(
                TestZones.origin(),
                2026030100,
                unsigned,
                keys,
                3600,
                TestZones.policy(SerialPolicy.COUNTER),
                OptionalLong.of(41),
                new PreviousSigned.None());

    var signed = assertInstanceOf(SigningOutcome.Signed.class, outcome);
    assertEquals(42, signed.signedSerial());
    SOARecord soa =
        (SOARecord) signed.records().toRecords().stream().filter(r -> r.getType() == Type.SOA).findFirst().orElseThrow();
    assertEquals(42, soa.getSerial());
    assertTrue(signed.stats().rrsigCount() > 0);
    var report =
        ZoneVerifier.verify(
            TestZones.origin(),
            signed.records().toRecords(),
            keys.stream().map(SigningKey::dnskey).toList(),
            CLOCK.instant(),
            Duration.ofDays(7));
    assertTrue(report.ok(), report.problems().toString());
  }

  @Test
  void serialPolicyRefusalIsAFailureNotAnException() {
    SigningOutcome outcome =
        new VersionSigner(CLOCK, 1)
            .sign(
                TestZones.origin(),
                2026030100,
                unsigned,
                keys,
                3600,
                TestZones.policy(SerialPolicy.KEEP),
                OptionalLong.of(2026030100),
                new PreviousSigned.None());

    var failed = assertInstanceOf(SigningOutcome.Failed.class, outcome);
    assertTrue(failed.reason().startsWith("serial policy KEEP refused loaded serial 2026030100"), failed.reason());
  }

  @Test
  void signaturesExpiringBeforeTheFloorAreStoppedByTheGate() {
    // A policy cannot ask for signatures shorter than the gate's floor (lifetime > remain time + 1 h + refresh
    // interval), but a slow signing can leave them short: with the clock 10 minutes further at every reading, the
    // signatures, valid for at most 1 h 1 min 1 s from when they were made, have less than the one-hour minimum
    // floor left when the gate checks them.
    ZonePolicy shortLived =
        new ZonePolicy(
            SerialPolicy.COUNTER,
            new SigningPolicy(
                SigningPolicy.Denial.NSEC, false, 0, new byte[0], Duration.ofHours(1), Duration.ofSeconds(3661),
                Duration.ZERO, Duration.ofMinutes(1)));
    Clock slow =
        new Clock() {
          private Instant next = CLOCK.instant();

          @Override
          public synchronized Instant instant() {
            Instant now = next;
            next = next.plus(Duration.ofMinutes(10));
            return now;
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
          }
        };

    SigningOutcome outcome =
        new VersionSigner(slow, 1)
            .sign(TestZones.origin(), 2026030100, unsigned, keys, 3600, shortLived, OptionalLong.empty(),
                new PreviousSigned.None());

    var failed = assertInstanceOf(SigningOutcome.Failed.class, outcome);
    assertTrue(failed.reason().startsWith("verification gate: "), failed.reason());
  }

  @Test
  void aZoneWithoutKeysFailsWithAReason() {
    SigningOutcome outcome =
        new VersionSigner(CLOCK, 1)
            .sign(
                TestZones.origin(),
                2026030100,
                unsigned,
                List.of(),
                3600,
                TestZones.policy(SerialPolicy.COUNTER),
                OptionalLong.empty(),
                new PreviousSigned.None());

    var failed = assertInstanceOf(SigningOutcome.Failed.class, outcome);
    assertTrue(!failed.reason().isBlank());
  }

  @Test
  void gateReasonListsTheFirstProblemsAndCountsTheRest() {
    List<String> problems = List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7");

    assertEquals("p1; p2; p3; p4; p5 (and 2 more)", VersionSigner.summarise(problems));
    assertEquals("p1; p2", VersionSigner.summarise(List.of("p1", "p2")));
  }

  @Test
  void expiryFloorIsThePolicyRemainTimeButAtLeastOneHour() {
    assertEquals(Duration.ofDays(7), TestZones.policy(SerialPolicy.KEEP).expiryFloor());
    ZonePolicy small =
        new ZonePolicy(
            SerialPolicy.KEEP,
            new SigningPolicy(
                SigningPolicy.Denial.NSEC, false, 0, new byte[0], Duration.ofHours(1), Duration.ofDays(14),
                Duration.ofMinutes(5), Duration.ofHours(12)));
    assertEquals(Duration.ofHours(1), small.expiryFloor());
  }
}
