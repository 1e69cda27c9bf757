package dev.cascade.systemtests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@link RolloverTimingRules} on hand-made sequences: a pre-publish ZSK roll and a double-signature KSK roll that keep
 * to RFC 7583 pass, and each rule, broken by one version a few seconds early, fails with a message that names it. The
 * keys are not real (the rules read only flags, algorithms, key tags and which RRSIG is by which key).
 */
class RolloverTimingRulesTest {

  private static final Name ZONE = Name.fromConstantString("example.test.");
  private static final Name WWW = Name.fromConstantString("www.example.test.");
  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
  /** DNSKEY TTL, largest zone TTL and DS TTL 10 s, no propagation delay. */
  private static final RolloverTimingRules.Timing TIMING = new RolloverTimingRules.Timing(
      Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ZERO);
  /** How long before it was seen each version or DS RRset may have been served first (the polling window). */
  private static final Duration WINDOW = Duration.ofSeconds(1);

  private static final DNSKEYRecord KSK1 = key(257, 1);
  private static final DNSKEYRecord KSK2 = key(257, 2);
  private static final DNSKEYRecord ZSK1 = key(256, 3);
  private static final DNSKEYRecord ZSK2 = key(256, 4);

  @Test
  void theKeysAreTellable() {
    assertEquals(4, List.of(KSK1, KSK2, ZSK1, ZSK2).stream().map(DNSKEYRecord::getFootprint).distinct().count());
  }

  @Test
  void aZskRollThatKeepsTheWaitsPasses() {
    RolloverTimingRules rules = zskRoll(20, 40, 60);
    assertEquals(List.of(), rules.violations());
    // ZSK2 signs 20 s after it was published, ZSK1 goes 20 s after its last signatures: 10 s more than the TTLs.
    assertEquals(List.of(
        "rule 1 (published DNSKEY TTL + propagation delay before use): smallest margin 10000 ms over 2 cases",
        "rule 2 (retired largest zone TTL + propagation delay after its signatures): smallest margin 10000 ms over 5"
            + " cases",
        "rule 3 (removed DS TTL + propagation delay after its DS left the parent): no case"),
        rules.margins().lines().toList());
    assertEquals(1, rules.removedKeys(256));
    assertEquals(0, rules.removedKeys(257));
  }

  @Test
  void aNewZskThatSignsBeforeTheOldDnskeyRrsetExpiredFails() {
    List<String> violations = zskRoll(20, 25, 60).violations();
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("signed only by [" + id(ZSK2) + "]"), violations.get(0));
  }

  @Test
  void aWaitShortByNoMoreThanThePollingWindowIsNoBreach() {
    // Each wait seen 1 s short of 10 s, but each earlier event may have come up to 1 s before it was seen.
    RolloverTimingRules rules = zskRoll(20, 29, 38);
    assertEquals(List.of(), rules.violations());
    assertTrue(rules.margins().contains("smallest margin -1000 ms over 2 cases"), rules.margins());
    assertEquals(2, zskRoll(20, 28, 36).violations().size(), "each wait 2 s short");
  }

  @Test
  void anOldZskRemovedBeforeItsSignaturesExpiredFails() {
    List<String> violations = zskRoll(20, 40, 45).violations();
    assertTrue(!violations.isEmpty(), "no violation");
    assertTrue(violations.stream().allMatch(v -> v.contains("drops " + id(ZSK1))), violations.toString());
  }

  @Test
  void aKskRollThatWaitsForTheDsPasses() {
    RolloverTimingRules rules = kskRoll(20, 40, 60);
    assertEquals(List.of(), rules.violations(), rules.timeline());
    assertEquals(1, rules.removedKeys(257));
  }

  @Test
  void anOldKskRemovedWhileItsDsIsInCachesFails() {
    List<String> violations = kskRoll(20, 40, 45).violations();
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("drops " + id(KSK1)), violations.get(0));
    assertTrue(violations.get(0).contains("points to it"), violations.get(0));
  }

  @Test
  void anOldKskRemovedWhileTheParentStillServesItsDsFails() {
    RolloverTimingRules rules = new RolloverTimingRules(TIMING);
    parentServes(rules, 0, KSK1);
    rules.served(version(0, List.of(KSK1, ZSK1), List.of(KSK1), List.of(ZSK1)));
    rules.served(version(20, List.of(KSK1, KSK2, ZSK1), List.of(KSK1, KSK2), List.of(ZSK1)));
    rules.served(version(60, List.of(KSK2, ZSK1), List.of(KSK2), List.of(ZSK1)));
    List<String> violations = rules.violations();
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("drops " + id(KSK1)), violations.get(0));
  }

  /**
   * A pre-publish ZSK roll: ZSK2 published at {@code publishAt} s, signs the zone from {@code signAt} s on, ZSK1
   * withdrawn at {@code removeAt} s; the versions before the roll re-signed every 5 s.
   */
  private static RolloverTimingRules zskRoll(int publishAt, int signAt, int removeAt) {
    RolloverTimingRules rules = new RolloverTimingRules(TIMING);
    parentServes(rules, 0, KSK1);
    List<DNSKEYRecord> ksk = List.of(KSK1);
    for (int s = 0; s < publishAt; s += 5) {
      rules.served(version(s, List.of(KSK1, ZSK1), ksk, List.of(ZSK1)));
    }
    rules.served(version(publishAt, List.of(KSK1, ZSK1, ZSK2), ksk, List.of(ZSK1)));
    rules.served(version(signAt, List.of(KSK1, ZSK1, ZSK2), ksk, List.of(ZSK2)));
    rules.served(version(removeAt, List.of(KSK1, ZSK2), ksk, List.of(ZSK2)));
    return rules;
  }

  /**
   * A double-signature KSK roll: KSK2 published and signing the DNSKEY RRset at {@code publishAt} s, the parent's DS
   * swapped at {@code dsAt} s, KSK1 withdrawn at {@code removeAt} s.
   */
  private static RolloverTimingRules kskRoll(int publishAt, int dsAt, int removeAt) {
    RolloverTimingRules rules = new RolloverTimingRules(TIMING);
    parentServes(rules, 0, KSK1);
    rules.served(version(0, List.of(KSK1, ZSK1), List.of(KSK1), List.of(ZSK1)));
    rules.served(version(publishAt, List.of(KSK1, KSK2, ZSK1), List.of(KSK1, KSK2), List.of(ZSK1)));
    parentServes(rules, dsAt, KSK2);
    rules.served(version(removeAt, List.of(KSK2, ZSK1), List.of(KSK2), List.of(ZSK1)));
    return rules;
  }

  /** A version at {@code second}: the DNSKEY RRset signed by {@code kskSigners}, the www A RRset by the others. */
  private static RolloverTimingRules.Version version(
      int second, List<DNSKEYRecord> dnskeys, List<DNSKEYRecord> kskSigners, List<DNSKEYRecord> zoneSigners) {
    List<Record> records = new ArrayList<>(dnskeys);
    kskSigners.forEach(key -> records.add(rrsig(ZONE, Type.DNSKEY, key)));
    records.add(new ARecord(WWW, DClass.IN, 10, new byte[] {(byte) 192, 0, 2, 1}));
    zoneSigners.forEach(key -> records.add(rrsig(WWW, Type.A, key)));
    Instant seen = T0.plusSeconds(second);
    return new RolloverTimingRules.Version(seen.minus(WINDOW), seen, 1000 + second, records);
  }

  /** The parent serves the DS of {@code key} alone from {@code second} on, seen within {@link #WINDOW}. */
  private static void parentServes(RolloverTimingRules rules, int second, DNSKEYRecord key) {
    Instant seen = T0.plusSeconds(second);
    rules.parentServes(seen.minus(WINDOW), seen, List.of(ds(key)));
  }

  private static DNSKEYRecord key(int flags, int seed) {
    byte[] publicKey = new byte[64];
    publicKey[0] = (byte) seed;
    return new DNSKEYRecord(ZONE, DClass.IN, 10, flags, DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256,
        publicKey);
  }

  private static RRSIGRecord rrsig(Name owner, int covered, DNSKEYRecord key) {
    return new RRSIGRecord(owner, DClass.IN, 10, covered, key.getAlgorithm(), 10, T0.plusSeconds(86_400), T0,
        key.getFootprint(), ZONE, new byte[64]);
  }

  private static DSRecord ds(DNSKEYRecord key) {
    return new DSRecord(ZONE, DClass.IN, 10, DNSSEC.Digest.SHA256, key);
  }

  private static String id(DNSKEYRecord key) {
    return key.getFootprint() + "/" + key.getAlgorithm();
  }
}
