package dev.cascade.dnssec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.RandomZone;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.testsupport.TestKeys;
import java.nio.ByteBuffer;
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
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The gate for a change agrees with the whole-zone gate: random zones ({@link RandomZone}: delegations with and
 * without DS, glue, data below cuts, empty non-terminals, wildcards) are signed, edited at random and signed again
 * incrementally, and the difference, as it is and randomly corrupted, is put to both gates. Whenever the gate for the
 * change gives a verdict, it is the whole-zone gate's on {@code previous ⊕ change}, and its problems are among the
 * whole-zone gate's. The clock at verification and the expiry floor vary, so that unchanged signatures sometimes
 * fall short of the floor, and now and then the published key set lacks the ZSK.
 */
class ChangeVerifierPropertyTest {
  static final Name ORIGIN = RandomZone.ORIGIN;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final SigningKey KSK = TestKeys.load("ksk13");
  static final SigningKey ZSK = TestKeys.load("zsk13");
  static final List<SigningKey> KEYS = List.of(KSK, ZSK);
  static final List<DNSKEYRecord> PUBLISHED = List.of(KSK.dnskey(), ZSK.dnskey());
  /** Lifetime 14 days, remain time 7: new signatures expire 7.5 to 14 days after signing. */
  static final SigningPolicy NSEC = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, new byte[0],
      Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
  static final SigningPolicy NSEC3 = new SigningPolicy(SigningPolicy.Denial.NSEC3, true, 0, new byte[0],
      Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));

  /** Verdicts counted over the run, so the test fails if it stops exercising what it claims to. */
  int validPassed;
  int validFailed;
  int corruptedFailed;
  int corruptedPassed;
  int deferred;

  @Test
  void agreesWithTheWholeZoneGateOnValidAndCorruptedChanges() {
    Random random = new Random(20261203);
    for (int sequence = 0; sequence < 200; sequence++) {
      try {
        runSequence(random, sequence);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("sequence " + sequence + ": " + e.getMessage(), e);
      }
    }
    String counts = "valid passed " + validPassed + ", valid failed " + validFailed + ", corrupted failed "
        + corruptedFailed + ", corrupted passed " + corruptedPassed + ", deferred " + deferred;
    assertTrue(validPassed > 150, counts);
    assertTrue(validFailed > 20, counts);
    assertTrue(corruptedFailed > 500, counts);
    // a corruption can leave the zone valid: an unsigned record below a cut, an NSEC "pointed" where it pointed
    assertTrue(corruptedPassed > 10, counts);
    assertTrue(deferred > 50, counts);
  }

  private void runSequence(Random random, int sequence) {
    SigningPolicy policy = sequence % 5 == 4 ? NSEC3 : NSEC;
    RandomZone zone = new RandomZone(random);
    Instant now = T0;
    List<Record> signed = new ZoneSigner(Clock.fixed(now, ZoneOffset.UTC), 1)
        .sign(ORIGIN, zone.records(), KEYS, 3600, policy, 1).records();
    assertEquals(List.of(), ZoneVerifier.verify(ORIGIN, signed, PUBLISHED, now, Duration.ofDays(1)).problems());
    CompactRecords previous = CompactRecords.ofSorted(signed);
    int steps = 1 + random.nextInt(3);
    for (int step = 0; step < steps; step++) {
      zone.edit();
      now = now.plusSeconds(60 + random.nextInt(3600));
      List<Record> next = new ZoneSigner(Clock.fixed(now, ZoneOffset.UTC), 1)
          .resign(ORIGIN, signed, zone.records(), KEYS, 3600, policy, 2 + step).zone().records();
      CompactRecords nextCompact = CompactRecords.ofSorted(next);
      CompactDiff diff = CompactDiff.between(previous, nextCompact);
      // Mostly at signing time with a one-day floor; sometimes days later or with a floor unchanged signatures miss.
      Instant at = random.nextInt(4) == 0 ? now.plus(Duration.ofDays(random.nextInt(10))) : now;
      Duration floor = Duration.ofDays(random.nextInt(5) == 0 ? 8 : 1);
      List<DNSKEYRecord> published = random.nextInt(25) == 0 ? List.of(KSK.dnskey()) : PUBLISHED;
      check(previous, diff, published, at, floor, false, "valid step " + step);
      for (int k = 0; k < 4; k++) {
        CompactDiff corrupted = corrupt(diff, previous, random);
        if (corrupted != null) {
          check(previous, corrupted, PUBLISHED, now, Duration.ofDays(1), true, "corrupted step " + step);
        }
      }
      signed = next;
      previous = nextCompact;
    }
  }

  private void check(CompactRecords previous, CompactDiff change, List<DNSKEYRecord> published, Instant at,
      Duration floor, boolean corrupted, String what) {
    ChangeReport report = ChangeVerifier.verify(ORIGIN, previous, change, published, at, floor);
    VerificationReport full = ZoneVerifier.verify(ORIGIN, change.applyTo(previous).toRecords(), published, at, floor);
    if (report instanceof ChangeReport.FullVerificationNeeded) {
      deferred++;
      return;
    }
    String both = what + "\nchange: " + change + "\nchange gate: " + report + "\nwhole-zone gate: " + full.problems();
    assertEquals(full.ok(), report.passed(), both);
    if (report instanceof ChangeReport.Failed failed) {
      assertTrue(full.problems().containsAll(failed.problems()), both);
    }
    if (corrupted) {
      corruptedFailed += report.passed() ? 0 : 1;
      corruptedPassed += report.passed() ? 1 : 0;
    } else {
      validPassed += report.passed() ? 1 : 0;
      validFailed += report.passed() ? 0 : 1;
    }
  }

  /** One random corruption of the signer's difference, or null if the chosen kind does not apply to it. */
  private static CompactDiff corrupt(CompactDiff diff, CompactRecords previous, Random random) {
    List<Record> removed = new ArrayList<>(diff.removed().toRecords());
    List<Record> added = new ArrayList<>(diff.added().toRecords());
    List<Record> kept = previous.toRecords().stream().filter(r -> !contains(removed, r)).toList();
    switch (random.nextInt(8)) {
      case 0 -> {
        // a flipped bit in an added signature
        List<Record> sigs = added.stream().filter(r -> r instanceof RRSIGRecord).toList();
        if (sigs.isEmpty()) {
          return null;
        }
        RRSIGRecord s = (RRSIGRecord) sigs.get(random.nextInt(sigs.size()));
        byte[] bits = s.getSignature();
        bits[random.nextInt(bits.length)] ^= (byte) (1 << random.nextInt(8));
        added.set(added.indexOf(s), new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(),
            s.getAlgorithm(), s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), bits));
      }
      case 1 -> {
        // an added record lost: a missing RRSIG, NSEC or data record
        if (added.isEmpty()) {
          return null;
        }
        added.remove(random.nextInt(added.size()));
      }
      case 2 -> {
        // a removal lost: a stale NSEC, an RRSIG left behind, an old record kept
        if (removed.isEmpty()) {
          return null;
        }
        removed.remove(random.nextInt(removed.size()));
      }
      case 3 -> {
        // an unchanged record removed as well
        if (kept.isEmpty()) {
          return null;
        }
        removed.add(kept.get(random.nextInt(kept.size())));
      }
      case 4 -> {
        // an added NSEC pointing elsewhere, or listing other types, signed correctly
        List<Record> nsecs = added.stream().filter(r -> r instanceof NSECRecord).toList();
        if (nsecs.isEmpty()) {
          return null;
        }
        NSECRecord n = (NSECRecord) nsecs.get(random.nextInt(nsecs.size()));
        NSECRecord wrong = random.nextBoolean()
            ? new NSECRecord(n.getName(), n.getDClass(), n.getTTL(),
                kept.get(random.nextInt(kept.size())).getName(), n.getTypes())
            : new NSECRecord(n.getName(), n.getDClass(), n.getTTL(), n.getNext(),
                flip(n.getTypes(), new int[] {Type.A, Type.TXT, Type.DS, Type.NS}[random.nextInt(4)]));
        replaceSigned(added, n, wrong);
      }
      case 5 -> {
        // an added RRSIG replaced by a valid one that expires within the day
        List<Record> sigs = added.stream().filter(r -> r instanceof RRSIGRecord s && s.getTypeCovered() != Type.DNSKEY)
            .toList();
        if (sigs.isEmpty()) {
          return null;
        }
        RRSIGRecord s = (RRSIGRecord) sigs.get(random.nextInt(sigs.size()));
        List<Record> rrset = new ArrayList<>(added.stream()
            .filter(r -> r.getName().equals(s.getName()) && r.getType() == s.getTypeCovered()).toList());
        kept.stream().filter(r -> r.getName().equals(s.getName()) && r.getType() == s.getTypeCovered())
            .forEach(rrset::add);
        if (rrset.isEmpty()) {
          return null;
        }
        added.remove(s);
        added.add(sign(rrset, s.getTimeSigned(), s.getTimeSigned().plus(Duration.ofHours(20))));
      }
      case 6 -> {
        // one name's part of the change undone: its NSEC predecessor's update without it, or the reverse
        List<Name> owners = new ArrayList<>();
        removed.forEach(r -> owners.add(r.getName()));
        added.forEach(r -> owners.add(r.getName()));
        Name owner = owners.get(random.nextInt(owners.size()));
        removed.removeIf(r -> r.getName().equals(owner));
        added.removeIf(r -> r.getName().equals(owner));
      }
      default -> {
        // an unsigned TXT record at a name of the zone: fine below a cut, wrong anywhere else
        Name owner = kept.get(random.nextInt(kept.size())).getName();
        added.add(new TXTRecord(owner, DClass.IN, 3600, "corrupt" + random.nextInt(1000)));
      }
    }
    return new CompactDiff(CompactRecords.of(dedupe(removed)), CompactRecords.of(dedupe(added)));
  }

  /** {@code old} replaced by {@code replacement} in {@code added}, with the RRSIG over it re-made by the ZSK. */
  private static void replaceSigned(List<Record> added, Record old, Record replacement) {
    added.remove(old);
    added.add(replacement);
    for (Record r : List.copyOf(added)) {
      if (r instanceof RRSIGRecord s && s.getName().equals(old.getName()) && s.getTypeCovered() == old.getType()) {
        added.remove(s);
        added.add(sign(List.of(replacement), s.getTimeSigned(), s.getExpire()));
      }
    }
  }

  private static RRSIGRecord sign(List<Record> rrset, Instant inception, Instant expiration) {
    try {
      return DNSSEC.sign(new RRset(rrset), ZSK.dnskey(), ZSK.privateKey(), inception, expiration,
          CryptoProvider.signingProvider(13));
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int[] flip(int[] types, int type) {
    Set<Integer> set = new HashSet<>();
    for (int t : types) {
      set.add(t);
    }
    if (!set.remove(type)) {
      set.add(type);
    }
    return set.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  private static boolean contains(List<Record> records, Record r) {
    ByteBuffer wire = ByteBuffer.wrap(r.toWire(Section.ANSWER));
    return records.stream().anyMatch(x -> ByteBuffer.wrap(x.toWire(Section.ANSWER)).equals(wire));
  }

  private static List<Record> dedupe(List<Record> records) {
    List<Record> out = new ArrayList<>();
    for (Record r : records) {
      if (!contains(out, r)) {
        out.add(r);
      }
    }
    return out;
  }
}
