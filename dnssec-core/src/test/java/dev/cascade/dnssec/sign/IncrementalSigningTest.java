package dev.cascade.dnssec.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.testsupport.ExternalVerifiers;
import dev.cascade.dnssec.testsupport.TestKeys;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class IncrementalSigningTest {
  static final Name ORIGIN = RandomZone.ORIGIN;
  /**
   * Start of every sequence. With a 10-year lifetime and a 9-year remain time every signature stays valid at the
   * wall-clock time the external tools check against, until 2035 (and ends before 2038, ldns's signed 32-bit limit);
   * expirations are spread over the last year of the lifetime, so clock jumps of months make some signatures due.
   */
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long DNSKEY_TTL = 3600;
  static final SigningKey KSK = TestKeys.load("ksk13");
  static final SigningKey ZSK = TestKeys.load("zsk13");
  static final SigningKey NEXT_ZSK = TestKeys.load("unpublished13");

  /** The denial variants the property test cycles through. */
  enum Denial {
    NSEC(SigningPolicy.Denial.NSEC, false), NSEC3(SigningPolicy.Denial.NSEC3, false),
    NSEC3_OPT_OUT(SigningPolicy.Denial.NSEC3, true);

    final SigningPolicy policy;

    Denial(SigningPolicy.Denial denial, boolean optOut) {
      policy = new SigningPolicy(denial, optOut, 0, new byte[0], Duration.ofHours(1), Duration.ofDays(3650),
          Duration.ofDays(3285), Duration.ofDays(1));
    }
  }

  /** Key sets a sequence may switch between: ZSK replaced, KSK alone (signs everything), a ZSK added back. */
  static final List<List<SigningKey>> KEY_SETS = List.of(List.of(KSK, ZSK), List.of(KSK, NEXT_ZSK), List.of(KSK));

  @Test
  void incrementalSigningEqualsAFullResignOverRandomEditSequences() {
    long base = 20261128L;
    int steps = 0;
    int refreshes = 0;
    for (int sequence = 0; sequence < 2000; sequence++) {
      long seed = base + sequence;
      try {
        Sequence result = runSequence(new Random(seed), sequence);
        steps += result.steps;
        refreshes += result.refreshes;
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("sequence " + sequence + ", seed " + seed + ": " + e.getMessage(), e);
      }
    }
    assertTrue(steps > 4000, "steps: " + steps);
    assertTrue(refreshes > 150, "steps with signatures due for refresh: " + refreshes);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 24})
  void finalIncrementalResultsAreAcceptedByThreeExternalVerifiers(int sequence, @TempDir Path dir) throws Exception {
    // NSEC, NSEC3, NSEC3 opt-out and a key set change (see runSequence); no clock jumps, so the inceptions are in
    // the past for the tools too.
    Sequence result = runSequence(new Random(7 + sequence), sequence);
    ExternalVerifiers.assertAllAccept(ORIGIN, result.signed, dir);
  }

  /**
   * The outcome of one random sequence: its last signed version, the number of incremental steps and of those that
   * found signatures due for refresh.
   */
  record Sequence(List<Record> signed, int steps, int refreshes) {}

  /**
   * Signs a random zone in full, then applies 1 to 5 random edits, each followed by an incremental signing that is
   * checked against a full signing of the same unsigned zone at the same time with the same keys and serial.
   * Sequence numbers pick the variations: the denial type cycles; every 10th sequence jumps the clock by months
   * (refresh); every 25th changes the key set; every 40th switches between NSEC and NSEC3; odd ones pass the
   * changes instead of the new unsigned zone.
   */
  static Sequence runSequence(Random random, int sequence) {
    Denial denial = Denial.values()[sequence % 3];
    SigningPolicy policy = denial.policy;
    List<SigningKey> keys = KEY_SETS.get(0);
    RandomZone zone = new RandomZone(random);
    Instant now = T0;
    long serial = 1;
    List<Record> signed = new ZoneSigner(Clock.fixed(now, ZoneOffset.UTC), 1)
        .sign(ORIGIN, zone.records(), keys, DNSKEY_TTL, policy, serial).records();
    int steps = 1 + random.nextInt(5);
    int refreshes = 0;
    for (int step = 0; step < steps; step++) {
      ZoneDiff changes = zone.edit();
      now = now.plusSeconds(60 + random.nextInt(3600));
      if (sequence % 10 == 9 && step == 0) {
        now = now.plus(Duration.ofDays(30 + random.nextInt(300)));
      }
      if (sequence % 25 == 24 && step == steps - 1) {
        keys = KEY_SETS.get(1 + random.nextInt(2));
      }
      if (sequence % 40 == 39 && step == steps - 1) {
        policy = Denial.values()[(sequence + 1 + random.nextInt(2)) % 3].policy;
      }
      serial++;
      refreshes += SignatureRefresh.anyDue(signed, policy, now) ? 1 : 0;
      ZoneSigner signer = new ZoneSigner(Clock.fixed(now, ZoneOffset.UTC), 1);
      SignedZoneUpdate update = sequence % 2 == 0
          ? signer.resign(ORIGIN, signed, zone.records(), keys, DNSKEY_TTL, policy, serial)
          : signer.resign(ORIGIN, signed, changes, keys, DNSKEY_TTL, policy, serial);
      List<Record> full = signer.sign(ORIGIN, zone.records(), keys, DNSKEY_TTL, policy, serial).records();
      List<Record> incremental = update.zone().records();

      assertEqualExceptSignatures(full, incremental);
      assertDiffAndReuse(signed, update);
      VerificationReport report = ZoneVerifier.verify(ORIGIN, incremental, published(keys), now, policy.remainTime());
      assertTrue(report.ok(), () -> String.join("\n", report.problems()));
      signed = incremental;
    }
    return new Sequence(signed, steps, refreshes);
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void anUnchangedZoneReusesEveryRrsigButTheSoas(Denial denial) {
    List<Record> unsigned = new RandomZone(new Random(42)).records();
    List<Record> first = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEY_SETS.get(0), DNSKEY_TTL, denial.policy, 1).records();

    SignedZoneUpdate update = new ZoneSigner(Clock.fixed(T0.plus(Duration.ofHours(23)), ZoneOffset.UTC), 1)
        .resign(ORIGIN, first, unsigned, KEY_SETS.get(0), DNSKEY_TTL, denial.policy, 2);

    SigningCounts stats = update.zone().stats();
    assertEquals(stats.rrsigCount() - 1, stats.reusedRrsigCount(), "all but the SOA's one ZSK signature");
    assertEquals(List.of("SOA", "RRSIG"), types(update.diff().removed()));
    assertEquals(List.of("SOA", "RRSIG"), types(update.diff().added()));
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void aSingleChangeResignsOnlyThatRrsetTheSoaAndTheAffectedDenialRecords(Denial denial) throws Exception {
    List<Record> unsigned = new RandomZone(new Random(42)).records();
    List<Record> first = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEY_SETS.get(0), DNSKEY_TTL, denial.policy, 1).records();
    Record added = Record.fromString(Name.fromConstantString("new.example."), Type.A, DClass.IN, 3600, "192.0.2.99",
        ORIGIN);

    SignedZoneUpdate update = new ZoneSigner(Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC), 2)
        .resign(ORIGIN, first, new ZoneDiff(List.of(), List.of(added)), KEY_SETS.get(0), DNSKEY_TTL, denial.policy, 2);

    // Re-signed: the new A RRset, the SOA, the new name's NSEC (NSEC3) and its predecessor's in the chain, whose
    // next (hashed) owner name changed. Everything else, the DNSKEY RRset's KSK signature included, is reused.
    SigningCounts stats = update.zone().stats();
    assertEquals(4, stats.rrsigCount() - stats.reusedRrsigCount(), () -> update.diff().added().toString());
    int denialType = denial == Denial.NSEC ? Type.NSEC : Type.NSEC3;
    List<String> covered = update.diff().added().stream().filter(r -> r instanceof RRSIGRecord)
        .map(r -> ((RRSIGRecord) r).getTypeCovered()).map(Type::string).sorted().toList();
    assertEquals(List.of("A", Type.string(denialType), Type.string(denialType), "SOA"), covered);
    // Removed: the old SOA, the predecessor's old denial record and their RRSIGs.
    List<Record> removed = update.diff().removed();
    assertEquals(List.of(Type.SOA, Type.RRSIG, Type.RRSIG, denialType),
        removed.stream().map(Record::getType).sorted().toList(), removed::toString);
    assertEquals(2, update.diff().added().stream().filter(r -> r.getType() == denialType).count());
  }

  @Test
  void changesThatDoNotApplyAreRefused() throws Exception {
    List<Record> unsigned = new RandomZone(new Random(42)).records();
    List<Record> signed = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEY_SETS.get(0), DNSKEY_TTL, Denial.NSEC.policy, 1).records();
    ZoneSigner signer = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1);
    Record absent = Record.fromString(Name.fromConstantString("absent.example."), Type.A, DClass.IN, 3600,
        "192.0.2.1", ORIGIN);
    Record present = unsigned.stream().filter(r -> r.getType() == Type.NS).findFirst().orElseThrow();

    assertThrows(IllegalArgumentException.class, () -> signer.resign(ORIGIN, signed,
        new ZoneDiff(List.of(absent), List.of()), KEY_SETS.get(0), DNSKEY_TTL, Denial.NSEC.policy, 2));
    assertThrows(IllegalArgumentException.class, () -> signer.resign(ORIGIN, signed,
        new ZoneDiff(List.of(), List.of(present)), KEY_SETS.get(0), DNSKEY_TTL, Denial.NSEC.policy, 2));
  }

  /**
   * Every record but the RRSIGs exactly (TTL included); the RRSIGs by what does not depend on when they were made:
   * owner, type covered, algorithm, labels, original TTL, key tag and signer.
   */
  static void assertEqualExceptSignatures(List<Record> expected, List<Record> actual) {
    List<Record> expectedData = expected.stream().filter(r -> !(r instanceof RRSIGRecord)).toList();
    List<Record> actualData = actual.stream().filter(r -> !(r instanceof RRSIGRecord)).toList();
    for (int i = 0; i < Math.min(expectedData.size(), actualData.size()); i++) {
      Record e = expectedData.get(i);
      Record a = actualData.get(i);
      assertTrue(e.equals(a) && e.getTTL() == a.getTTL(), () -> "expected " + e + "\nbut was  " + a);
    }
    assertEquals(expectedData.size(), actualData.size(), "records other than RRSIG");
    assertEquals(rrsigFields(expected), rrsigFields(actual), "RRSIGs");
    assertCanonical(expected);
    assertCanonical(actual);
  }

  private static void assertCanonical(List<Record> records) {
    for (int i = 1; i < records.size(); i++) {
      assertTrue(CanonicalOrder.RECORDS.compare(records.get(i - 1), records.get(i)) < 0, records.get(i)::toString);
    }
  }

  private static List<String> rrsigFields(List<Record> records) {
    return records.stream().filter(r -> r instanceof RRSIGRecord).map(r -> (RRSIGRecord) r)
        .map(s -> s.getName() + " " + s.getTypeCovered() + " " + s.getAlgorithm() + " " + s.getLabels() + " "
            + s.getOrigTTL() + " " + s.getFootprint() + " " + s.getSigner() + " " + s.getTTL())
        .sorted().toList();
  }

  /** A record compared with its TTL, which {@link Record#equals} leaves out. */
  record Exact(Record record) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Exact e && record.equals(e.record) && record.getTTL() == e.record.getTTL();
    }

    @Override
    public int hashCode() {
      return record.hashCode();
    }
  }

  /**
   * The previous version minus the removed plus the added records (each there, or not, before) is exactly the new
   * version, and the RRSIGs the stats count as reused are those the new version shares with the previous one.
   */
  static void assertDiffAndReuse(List<Record> previous, SignedZoneUpdate update) {
    Set<Exact> before = new HashSet<>();
    previous.forEach(r -> before.add(new Exact(r)));
    Set<Exact> zone = new HashSet<>(before);
    for (Record r : update.diff().removed()) {
      assertTrue(zone.remove(new Exact(r)), () -> "removed but not there: " + r);
    }
    for (Record r : update.diff().added()) {
      assertTrue(zone.add(new Exact(r)), () -> "added but there already: " + r);
    }
    List<Record> next = update.zone().records();
    Set<Exact> expected = new HashSet<>();
    next.forEach(r -> expected.add(new Exact(r)));
    assertEquals(next.size(), expected.size(), "no duplicates");
    assertEquals(expected, zone, "previous version + diff");
    long shared = next.stream().filter(r -> r instanceof RRSIGRecord && before.contains(new Exact(r))).count();
    assertEquals(shared, update.zone().stats().reusedRrsigCount(), "reused RRSIGs");
  }

  private static List<String> types(List<Record> records) {
    return records.stream().map(r -> Type.string(r.getType())).toList();
  }

  static List<DNSKEYRecord> published(List<SigningKey> keys) {
    return keys.stream().map(SigningKey::dnskey).toList();
  }
}
