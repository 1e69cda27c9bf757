package dev.cascade.dnssec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.testsupport.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The gate for a change against changes the signer makes: a version signed in full, then the next one signed
 * incrementally ({@link ZoneSigner#resign}, which keeps the RRSIGs of unchanged RRsets, so the difference is small),
 * and broken variants of that difference. Every verdict is compared with the whole-zone gate's on the same version.
 */
class ChangeVerifierTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = T0.plus(Duration.ofHours(1));
  static final Duration FLOOR = Duration.ofDays(1);
  static final SigningKey KSK = TestKeys.load("ksk13");
  static final SigningKey ZSK = TestKeys.load("zsk13");
  static final List<SigningKey> KEYS = List.of(KSK, ZSK);
  static final List<DNSKEYRecord> PUBLISHED = List.of(KSK.dnskey(), ZSK.dnskey());
  static final SigningPolicy NSEC = policy(SigningPolicy.Denial.NSEC, false);
  static final SigningPolicy NSEC3_OPT_OUT = policy(SigningPolicy.Denial.NSEC3, true);

  /** Names in canonical order: example., deleg, ns1, secure (DS, glue below), txt, www, the last name. */
  static final String BASE = """
      @ 3600 IN SOA ns1.example. hostmaster.example. 1 7200 3600 1209600 300
      @ 3600 IN NS ns1.example.
      ns1 3600 IN A 192.0.2.1
      www 3600 IN A 192.0.2.2
      txt 3600 IN TXT "one"
      deleg 3600 IN NS ns.other.net.
      secure 3600 IN NS ns.secure.example.
      secure 3600 IN DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      ns.secure 3600 IN A 192.0.2.3
      """;

  static SigningPolicy policy(SigningPolicy.Denial denial, boolean optOut) {
    return new SigningPolicy(denial, optOut, 0, new byte[0], Duration.ofHours(1), Duration.ofDays(14),
        Duration.ofDays(7), Duration.ofHours(12));
  }

  static List<Record> parse(String text) {
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), ORIGIN)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
    return records;
  }

  /** A signed version and the next one, as the signer makes them: in full at T0, then incrementally at T1. */
  record Versions(CompactRecords previous, CompactRecords next, CompactDiff diff) {}

  static Versions versions(SigningPolicy policy, String base, UnaryOperator<List<Record>> edit) {
    List<Record> unsigned = parse(base);
    List<Record> v1 = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEYS, 3600, policy, 1).records();
    List<Record> v2 = new ZoneSigner(Clock.fixed(T1, ZoneOffset.UTC), 1)
        .resign(ORIGIN, v1, edit.apply(new ArrayList<>(unsigned)), KEYS, 3600, policy, 2).zone().records();
    CompactRecords previous = CompactRecords.ofSorted(v1);
    CompactRecords next = CompactRecords.ofSorted(v2);
    return new Versions(previous, next, CompactDiff.between(previous, next));
  }

  static Versions nsecVersions(UnaryOperator<List<Record>> edit) {
    return versions(NSEC, BASE, edit);
  }

  static UnaryOperator<List<Record>> adding(String text) {
    return zone -> {
      zone.addAll(parse(text));
      return zone;
    };
  }

  static UnaryOperator<List<Record>> removing(Predicate<Record> drop) {
    return zone -> {
      zone.removeIf(drop);
      return zone;
    };
  }

  static boolean at(Record r, String name) {
    return r.getName().equals(Name.fromConstantString(name));
  }

  static ChangeReport verifyChange(Versions v, CompactDiff diff) {
    return ChangeVerifier.verify(ORIGIN, v.previous(), diff, PUBLISHED, T1, FLOOR);
  }

  /** Asserts that the gate for the change passes it, and that the whole-zone gate passes the new version too. */
  static void assertPasses(Versions v) {
    assertEquals(List.of(), ZoneVerifier.verify(ORIGIN, v.next().toRecords(), PUBLISHED, T1, FLOOR).problems());
    assertTrue(v.diff().size() < 20, "the signer's difference is small: " + v.diff().size());
    ChangeReport report = verifyChange(v, v.diff());
    assertInstanceOf(ChangeReport.Passed.class, report, report::toString);
  }

  /**
   * Asserts that the gate for the change fails {@code broken}, with {@code expected} among its problems, and that
   * every problem it reports is one the whole-zone gate reports for the same version.
   */
  static void assertFails(Versions v, CompactDiff broken, String expected) {
    ChangeReport report = verifyChange(v, broken);
    ChangeReport.Failed failed = assertInstanceOf(ChangeReport.Failed.class, report, report::toString);
    assertTrue(failed.problems().contains(expected), () -> String.join("\n", failed.problems()));
    List<String> full =
        ZoneVerifier.verify(ORIGIN, broken.applyTo(v.previous()).toRecords(), PUBLISHED, T1, FLOOR).problems();
    assertTrue(full.containsAll(failed.problems()), () -> "change gate:\n" + String.join("\n", failed.problems())
        + "\nwhole-zone gate:\n" + String.join("\n", full));
  }

  /** The difference with {@code removed} and {@code added} each transformed. */
  static CompactDiff edited(CompactDiff diff, UnaryOperator<List<Record>> removed, UnaryOperator<List<Record>> added) {
    return new CompactDiff(CompactRecords.of(removed.apply(new ArrayList<>(diff.removed().toRecords()))),
        CompactRecords.of(added.apply(new ArrayList<>(diff.added().toRecords()))));
  }

  static boolean rrsigOver(Record r, String name, int type) {
    return r instanceof RRSIGRecord s && at(r, name) && s.getTypeCovered() == type;
  }

  static RRSIGRecord resign(RRSIGRecord old, List<Record> rrset, Instant expiration) throws Exception {
    return DNSSEC.sign(new RRset(rrset), ZSK.dnskey(), ZSK.privateKey(), old.getTimeSigned(), expiration,
        CryptoProvider.signingProvider(13));
  }

  @Test
  void addedDelegationPasses() {
    assertPasses(nsecVersions(adding("new 3600 IN NS ns.other.net.")));
  }

  @Test
  void removedDelegationPasses() {
    assertPasses(nsecVersions(removing(r -> at(r, "deleg.example."))));
  }

  @Test
  void changedTxtPasses() {
    assertPasses(nsecVersions(zone -> {
      zone.removeIf(r -> at(r, "txt.example."));
      zone.addAll(parse("txt 3600 IN TXT \"two\""));
      return zone;
    }));
  }

  @Test
  void addedSecureDelegationWithGluePasses() {
    assertPasses(nsecVersions(adding("""
        glued 3600 IN NS ns.glued.example.
        glued 3600 IN DS 54321 13 2 fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
        ns.glued 3600 IN A 192.0.2.9
        """)));
  }

  @Test
  void changesAtTheEndOfTheChainWrapAroundToTheApex() {
    Versions added = nsecVersions(adding("zzz 3600 IN A 192.0.2.10"));
    assertPasses(added);
    assertTrue(added.diff().added().toRecords().stream()
        .anyMatch(r -> r instanceof NSECRecord n && at(n, "zzz.example.") && n.getNext().equals(ORIGIN)));
    assertPasses(nsecVersions(removing(r -> at(r, "www.example."))));
  }

  @Test
  void nsec3ZonesAreLeftToTheWholeZoneGate() {
    Versions v = versions(NSEC3_OPT_OUT, BASE, adding("new 3600 IN NS ns.other.net."));
    ChangeReport report = verifyChange(v, v.diff());
    assertInstanceOf(ChangeReport.FullVerificationNeeded.class, report);
    assertFalse(report.passed());
  }

  @Test
  void keySetChangesAreLeftToTheWholeZoneGate() {
    Versions v = nsecVersions(UnaryOperator.identity());
    CompactDiff withNewKey = edited(v.diff(), UnaryOperator.identity(), added -> {
      added.add(TestKeys.load("unpublished13").dnskey());
      return added;
    });
    ChangeReport report = verifyChange(v, withNewKey);
    assertEquals(new ChangeReport.FullVerificationNeeded("the change alters the DNSKEY RRset"), report);
  }

  @Test
  void aNewCutAboveDataPassesWhenTheChangeTouchesEverythingBelow() {
    // The NS RRset makes www.example. a delegation: the signer drops the RRSIGs and NSEC of a.www.example., now
    // occluded, so the change touches it and the gate checks it in its new role.
    String base = BASE + "a.www 3600 IN A 192.0.2.4\n";
    assertPasses(versions(NSEC, base, adding("www 3600 IN NS ns.other.net.")));
  }

  @Test
  void aNewCutAboveUntouchedNamesIsLeftToTheWholeZoneGate() {
    String base = BASE + "a.www 3600 IN A 192.0.2.4\n";
    Versions v = versions(NSEC, base, adding("www 3600 IN NS ns.other.net."));
    Predicate<Record> below = r -> at(r, "a.www.example.");
    ChangeReport report = verifyChange(v, edited(v.diff(), removing(below), removing(below)));
    assertEquals(new ChangeReport.FullVerificationNeeded("the change adds the zone cut at www.example., above "
        + "a.www.example., which the change does not touch"), report);
  }

  @Test
  void aDnameIsLeftToTheWholeZoneGate() {
    Versions v = nsecVersions(adding("alias 3600 IN DNAME other.net."));
    assertInstanceOf(ChangeReport.FullVerificationNeeded.class, verifyChange(v, v.diff()));
  }

  @Test
  void flippedBitInAnAddedRrsigFails() {
    Versions v = nsecVersions(adding("new 3600 IN A 192.0.2.7"));
    CompactDiff broken = edited(v.diff(), UnaryOperator.identity(), added -> added.stream().map(r -> {
      if (rrsigOver(r, "new.example.", Type.A)) {
        RRSIGRecord s = (RRSIGRecord) r;
        byte[] sig = s.getSignature();
        sig[7] ^= 0x01;
        return (Record) new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(), s.getAlgorithm(),
            s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), sig);
      }
      return r;
    }).toList());
    assertFails(v, broken, "RRSIG new.example./A by key tag " + ZSK.keyTag() + ": signature does not verify");
  }

  @Test
  void missingRrsigOnAChangedRrsetFails() {
    Versions v = nsecVersions(adding("txt 3600 IN TXT \"two\""));
    CompactDiff broken =
        edited(v.diff(), UnaryOperator.identity(), removing(r -> rrsigOver(r, "txt.example.", Type.TXT)));
    assertFails(v, broken, "RRset txt.example./TXT has no valid RRSIG");
  }

  @Test
  void stalePredecessorNsecFails() {
    // new.example. sorts after deleg.example., whose NSEC must now point to it
    Versions v = nsecVersions(adding("new 3600 IN A 192.0.2.7"));
    Predicate<Record> predecessorNsec = r -> at(r, "deleg.example.")
        && (r.getType() == Type.NSEC || rrsigOver(r, "deleg.example.", Type.NSEC));
    CompactDiff broken = edited(v.diff(), removing(predecessorNsec), removing(predecessorNsec));
    assertFails(v, broken, "NSEC at deleg.example. points to ns1.example., expected the next name new.example.");
  }

  @Test
  void nsecWithAWrongBitmapFails() throws Exception {
    Versions v = nsecVersions(adding("new 3600 IN A 192.0.2.7"));
    List<Record> added = new ArrayList<>(v.diff().added().toRecords());
    NSECRecord nsec = (NSECRecord) added.stream().filter(r -> r.getType() == Type.NSEC && at(r, "new.example."))
        .findFirst().orElseThrow();
    RRSIGRecord oldSig = (RRSIGRecord) added.stream().filter(r -> rrsigOver(r, "new.example.", Type.NSEC))
        .findFirst().orElseThrow();
    NSECRecord wrong = new NSECRecord(nsec.getName(), nsec.getDClass(), nsec.getTTL(), nsec.getNext(),
        new int[] {Type.A, Type.TXT, Type.RRSIG, Type.NSEC});
    added.removeAll(List.of(nsec, oldSig));
    added.add(wrong);
    added.add(resign(oldSig, List.of(wrong), oldSig.getExpire()));
    CompactDiff broken = new CompactDiff(v.diff().removed(), CompactRecords.of(added));
    assertFails(v, broken, "NSEC at new.example. lists [A, TXT, RRSIG, NSEC], expected [A, RRSIG, NSEC]");
  }

  @Test
  void signatureExpiringBeforeTheFloorFails() throws Exception {
    Versions v = nsecVersions(adding("new 3600 IN A 192.0.2.7"));
    List<Record> added = new ArrayList<>(v.diff().added().toRecords());
    RRSIGRecord sig = (RRSIGRecord) added.stream().filter(r -> rrsigOver(r, "new.example.", Type.A))
        .findFirst().orElseThrow();
    List<Record> rrset = added.stream().filter(r -> at(r, "new.example.") && r.getType() == Type.A).toList();
    Instant soon = T1.plus(Duration.ofHours(2));
    added.remove(sig);
    added.add(resign(sig, rrset, soon));
    CompactDiff broken = new CompactDiff(v.diff().removed(), CompactRecords.of(added));
    assertFails(v, broken, "RRSIG new.example./A by key tag " + ZSK.keyTag() + ": expires at " + soon + ", before "
        + T1.plus(FLOOR));
  }

  @Test
  void rrsigLeftOnARemovedRrsetFails() {
    Versions v = nsecVersions(removing(r -> at(r, "txt.example.")));
    CompactDiff broken = edited(v.diff(), removing(r -> rrsigOver(r, "txt.example.", Type.TXT)),
        UnaryOperator.identity());
    assertFails(v, broken, "RRSIG txt.example./TXT covers no RRset in the zone");
  }

  @Test
  void unchangedSignaturesAreHeldToTheFloorAtTheTimeOfTheChange() {
    // Signed with a 14-day lifetime at T0, every RRSIG expires within 14 days: a 20-day floor at T1 fails them all,
    // those the change did not touch included.
    Versions v = nsecVersions(adding("new 3600 IN A 192.0.2.7"));
    Duration floor = Duration.ofDays(20);
    ChangeReport report = ChangeVerifier.verify(ORIGIN, v.previous(), v.diff(), PUBLISHED, T1, floor);
    ChangeReport.Failed failed = assertInstanceOf(ChangeReport.Failed.class, report);
    assertTrue(failed.problems().contains("RRset www.example./A has no valid RRSIG"),
        () -> String.join("\n", failed.problems()));
    List<String> full = ZoneVerifier.verify(ORIGIN, v.next().toRecords(), PUBLISHED, T1, floor).problems();
    assertEquals(full.stream().sorted().toList(), failed.problems().stream().sorted().toList());
  }
}
