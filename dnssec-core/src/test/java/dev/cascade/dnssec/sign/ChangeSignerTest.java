package dev.cascade.dnssec.sign;

import static dev.cascade.dnssec.sign.IncrementalSigningTest.DNSKEY_TTL;
import static dev.cascade.dnssec.sign.IncrementalSigningTest.KEY_SETS;
import static dev.cascade.dnssec.sign.IncrementalSigningTest.ORIGIN;
import static dev.cascade.dnssec.sign.IncrementalSigningTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.testsupport.ExternalVerifiers;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.ZoneVerifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ChangeSignerTest {
  static final SigningPolicy NSEC = IncrementalSigningTest.Denial.NSEC.policy;

  @Test
  void signedChangesEqualAFullIncrementalSigningOverRandomEditSequences() {
    int signed = 0;
    int declined = 0;
    int refreshes = 0;
    for (int sequence = 0; sequence < 1500; sequence++) {
      long seed = 20261203L + sequence;
      try {
        int[] counts = runSequence(new Random(seed), sequence);
        signed += counts[0];
        declined += counts[1];
        refreshes += counts[2];
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("sequence " + sequence + ", seed " + seed + ": " + e.getMessage(), e);
      }
    }
    // The random zones move delegations with glue below them now and then, which is declined; most edits are not.
    assertTrue(signed > 3 * declined, "signed " + signed + ", declined " + declined);
    assertTrue(refreshes > 50, "signed changes with signatures due for refresh: " + refreshes);
  }

  /**
   * Signs a random zone (NSEC, NSEC3, NSEC3 with opt-out in turn), then applies random edits, each signed as a change and checked against
   * {@link ZoneSigner#resign} of the same unsigned zone at the same time with the same keys and serial: the same
   * records but RRSIGs, the same RRSIGs by what does not depend on when they were made, the gate passes, and the
   * change applied to the previous version gives the new one. Every 10th sequence jumps the clock by months, so
   * signatures fall due. Returns the number of changes signed, declined, and signed with signatures due.
   */
  private static int[] runSequence(Random random, int sequence) {
    SigningPolicy policy = IncrementalSigningTest.Denial.values()[sequence % 3].policy;
    List<SigningKey> keys = KEY_SETS.get(0);
    RandomZone zone = new RandomZone(random);
    Instant now = T0;
    long serial = 1;
    List<Record> signed = new ZoneSigner(Clock.fixed(now, ZoneOffset.UTC), 1)
        .sign(ORIGIN, zone.records(), keys, DNSKEY_TTL, policy, serial).records();
    int[] counts = new int[3];
    int steps = 1 + random.nextInt(5);
    for (int step = 0; step < steps; step++) {
      ZoneDiff edit = zone.edit();
      now = now.plusSeconds(60 + random.nextInt(3600));
      if (sequence % 10 == 9 && step == 0) {
        now = now.plus(Duration.ofDays(30 + random.nextInt(300)));
      }
      serial++;
      Clock clock = Clock.fixed(now, ZoneOffset.UTC);
      CompactRecords previous = CompactRecords.ofSorted(signed);
      CompactDiff change = new CompactDiff(CompactRecords.of(edit.removed()), CompactRecords.of(edit.added()));
      ChangeSigner.Result result =
          new ChangeSigner(clock).sign(ORIGIN, previous, change, keys, DNSKEY_TTL, policy, serial);
      List<Record> expected = new ZoneSigner(clock, 1)
          .resign(ORIGIN, signed, zone.records(), keys, DNSKEY_TTL, policy, serial).zone().records();
      if (result instanceof ChangeSigner.Result.NeedsFullSigning n) {
        counts[1]++;
        signed = expected;
        continue;
      }
      ChangeSigner.Result.Signed done = (ChangeSigner.Result.Signed) result;
      List<Record> actual = done.change().applyTo(previous).toRecords();
      IncrementalSigningTest.assertEqualExceptSignatures(expected, actual);
      VerificationReport report = ZoneVerifier.verify(ORIGIN, actual, IncrementalSigningTest.published(keys), now,
          policy.remainTime());
      assertTrue(report.ok(), () -> String.join("\n", report.problems()));
      assertStats(done.stats(), signed, actual);
      counts[0]++;
      counts[2] += SignatureRefresh.anyDue(signed, policy, now) ? 1 : 0;
      signed = actual;
    }
    return counts;
  }

  /** The counts describe the whole new version; reused RRSIGs are those it shares with the previous one. */
  private static void assertStats(SigningCounts stats, List<Record> previous, List<Record> next) {
    assertEquals(next.stream().filter(r -> r.getType() == Type.RRSIG).count(), stats.rrsigCount(), "RRSIGs");
    assertEquals(next.stream().filter(r -> r.getType() == Type.NSEC || r.getType() == Type.NSEC3).count(),
        stats.denialRrCount(), "NSEC and NSEC3 records");
    assertEquals(next.stream().filter(r -> !ZoneSigner.isGenerated(r.getType())).count(), stats.unsignedRrCount(),
        "unsigned records");
    List<Record> before = new ArrayList<>(previous);
    long reused = next.stream().filter(r -> r instanceof RRSIGRecord && before.contains(r)).count();
    assertEquals(reused, stats.reusedRrsigCount(), "reused RRSIGs");
  }

  @Test
  void oneNewDelegationTouchesItsNameItsPredecessorAndTheSoa(@TempDir Path dir) throws Exception {
    List<Record> unsigned = new RandomZone(new Random(42)).records();
    List<Record> first = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEY_SETS.get(0), DNSKEY_TTL, NSEC, 1).records();
    Name child = Name.fromConstantString("new.example.");
    Record ns = Record.fromString(child, Type.NS, DClass.IN, 3600, "ns.new.example.", ORIGIN);
    Record glue = Record.fromString(Name.fromConstantString("ns.new.example."), Type.A, DClass.IN, 3600,
        "192.0.2.53", ORIGIN);
    Record ds = Record.fromString(child, Type.DS, DClass.IN, 3600, "12345 13 2 " + "ab".repeat(32), ORIGIN);
    CompactDiff change = new CompactDiff(CompactRecords.empty(), CompactRecords.of(List.of(ns, glue, ds)));

    ChangeSigner.Result result = new ChangeSigner(Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC))
        .sign(ORIGIN, CompactRecords.ofSorted(first), change, KEY_SETS.get(0), DNSKEY_TTL, NSEC, 2);

    ChangeSigner.Result.Signed done = assertInstanceOf(ChangeSigner.Result.Signed.class, result);
    // Made: the DS, the new NSEC, the predecessor's NSEC and the SOA, each by the ZSK. The glue is not signed.
    List<String> made = done.change().added().toRecords().stream().filter(r -> r instanceof RRSIGRecord)
        .map(r -> Type.string(((RRSIGRecord) r).getTypeCovered())).sorted().toList();
    assertEquals(List.of("DS", "NSEC", "NSEC", "SOA"), made);
    assertEquals(List.of("SOA", "RRSIG", "RRSIG", "NSEC"),
        done.change().removed().toRecords().stream().map(r -> Type.string(r.getType())).toList());
    ExternalVerifiers.assertAllAccept(ORIGIN, done.change().applyTo(CompactRecords.ofSorted(first)).toRecords(), dir);
  }

  @Test
  void anInsecureDelegationAddedToAnOptOutZoneLeavesTheNsec3ChainAlone(@TempDir Path dir) throws Exception {
    SigningPolicy optOut = IncrementalSigningTest.Denial.NSEC3_OPT_OUT.policy;
    List<Record> unsigned = new RandomZone(new Random(43)).records();
    List<Record> first = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEY_SETS.get(0), DNSKEY_TTL, optOut, 1).records();
    Record ns = Record.fromString(Name.fromConstantString("insecure.example."), Type.NS, DClass.IN, 3600,
        "ns1.other.net.", ORIGIN);

    ChangeSigner.Result result = new ChangeSigner(Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC)).sign(
        ORIGIN, CompactRecords.ofSorted(first), new CompactDiff(CompactRecords.empty(), CompactRecords.of(List.of(ns))),
        KEY_SETS.get(0), DNSKEY_TTL, optOut, 2);

    // RFC 5155 §6: an opt-out delegation without DS has no NSEC3; only the NS RRset (unsigned, RFC 4035 §2.2) and
    // the SOA with its RRSIG change, in canonical order (the apex before insecure.example).
    ChangeSigner.Result.Signed done = assertInstanceOf(ChangeSigner.Result.Signed.class, result);
    assertEquals(List.of("SOA", "RRSIG", "NS"),
        done.change().added().toRecords().stream().map(r -> Type.string(r.getType())).toList());
    ExternalVerifiers.assertAllAccept(ORIGIN, done.change().applyTo(CompactRecords.ofSorted(first)).toRecords(), dir);
  }

  @Test
  void declinesAChangedKeySetOrDenial() {
    List<Record> unsigned = new RandomZone(new Random(42)).records();
    List<Record> first = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEY_SETS.get(0), DNSKEY_TTL, NSEC, 1).records();
    ChangeSigner signer = new ChangeSigner(Clock.fixed(T0, ZoneOffset.UTC));
    CompactDiff nothing = new CompactDiff(CompactRecords.empty(), CompactRecords.empty());

    assertEquals("the key set changed", reason(signer.sign(
        ORIGIN, CompactRecords.ofSorted(first), nothing, KEY_SETS.get(1), DNSKEY_TTL, NSEC, 2)));
    assertEquals("the previous signed version was made with other denial of existence settings", reason(signer.sign(
        ORIGIN, CompactRecords.ofSorted(first), nothing, KEY_SETS.get(0), DNSKEY_TTL,
        IncrementalSigningTest.Denial.NSEC3.policy, 2)));
  }

  private static String reason(ChangeSigner.Result result) {
    return assertInstanceOf(ChangeSigner.Result.NeedsFullSigning.class, result).reason();
  }
}
