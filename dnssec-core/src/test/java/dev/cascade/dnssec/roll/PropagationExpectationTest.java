package dev.cascade.dnssec.roll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.RollType.Variant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class PropagationExpectationTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Name ZONE = Name.fromConstantString("example.test.");
  private static final int ECDSA = 13;

  private final Map<String, DNSKEYRecord> dnskeys = new HashMap<>();

  private KeyState key(String id, SigningRole role, boolean active) {
    DNSKEYRecord dnskey = KeyGenerator.generate(ZONE, ECDSA,
        role == SigningRole.ZSK ? KeyGenerator.FLAGS_ZSK : KeyGenerator.FLAGS_SEP, 3600).dnskey();
    dnskeys.put(id, dnskey);
    return active ? KeyState.active(id, role, ECDSA, dnskey.getFootprint(), T0)
        : KeyState.created(id, role, ECDSA, dnskey.getFootprint(), T0);
  }

  private KeySetState signedZone() {
    return KeySetState.of(List.of(key("ksk", SigningRole.KSK, true), key("zsk", SigningRole.ZSK, true)));
  }

  private PropagationExpectation expectation(KeySetState state, Variant variant) {
    return PropagationExpectation.of(ZONE, state, state.roll(variant).orElseThrow(), dnskeys, DNSSEC.Digest.SHA256);
  }

  private static RRSIGRecord rrsig(Name owner, int covered, int tag, long ttl) {
    return new RRSIGRecord(owner, DClass.IN, ttl, covered, ECDSA, ttl, T0.plusSeconds(86400), T0, tag, ZONE,
        new byte[64]);
  }

  private int tag(String id) {
    return dnskeys.get(id).getFootprint();
  }

  private List<Record> dnskeyAnswer(List<String> published, List<String> signers) {
    List<Record> answer = new ArrayList<>();
    published.forEach(id -> answer.add(dnskeys.get(id)));
    signers.forEach(id -> answer.add(rrsig(ZONE, Type.DNSKEY, tag(id), 3600)));
    return answer;
  }

  @Test
  void zskPrePublishPhaseOneWantsTheNewDnskeyRrsetSignedByTheKsk() throws Exception {
    KeySetState rolling = signedZone().start(RollType.ZSK_PRE_PUBLISH, List.of(key("new", SigningRole.ZSK, false)),
        T0);
    PropagationExpectation expected = expectation(rolling, Variant.ZSK);

    assertEquals(Set.of(Propagation.DNSKEY), expected.propagates());
    assertEquals(Optional.empty(), expected.dnskeyMismatch(dnskeyAnswer(List.of("ksk", "zsk", "new"), List.of("ksk"))));
    String old = expected.dnskeyMismatch(dnskeyAnswer(List.of("ksk", "zsk"), List.of("ksk"))).orElseThrow();
    assertTrue(old.startsWith("DNSKEY RRset with key tags"), old);
    assertTrue(old.contains(String.valueOf(tag("new"))), old);
    assertTrue(expected.dnskeyMismatch(dnskeyAnswer(List.of("ksk", "zsk", "new"), List.of("zsk"))).isPresent(),
        "signed by the wrong key");
    assertEquals(Duration.ofSeconds(3600), expected.ttl(dnskeyAnswer(List.of("ksk"), List.of()), Type.DNSKEY));
  }

  @Test
  void zskPrePublishPhaseTwoWantsNoSignatureOfTheOldZskLeft() throws Exception {
    KeySetState rolling = signedZone().start(RollType.ZSK_PRE_PUBLISH, List.of(key("new", SigningRole.ZSK, false)),
        T0);
    rolling = rolling.apply(Variant.ZSK, new RollStep.PropagationComplete(1, Duration.ofHours(1)), T0);
    rolling = rolling.apply(Variant.ZSK, new RollStep.CacheExpired(1), T0.plusSeconds(3600));
    PropagationExpectation expected = expectation(rolling, Variant.ZSK);
    assertEquals(Set.of(Propagation.RRSIG), expected.propagates());

    Name www = Name.fromConstantString("www.example.test.");
    List<Record> zone = List.of(
        new SOARecord(ZONE, DClass.IN, 300, ZONE, ZONE, 2026010101L, 3600, 600, 86400, 300),
        rrsig(ZONE, Type.SOA, tag("new"), 300),
        rrsig(ZONE, Type.DNSKEY, tag("ksk"), 3600),
        new ARecord(www, DClass.IN, 7200, java.net.InetAddress.getLoopbackAddress()),
        rrsig(www, Type.A, tag("new"), 7200));
    PropagationExpectation.ZoneSignatures good = expected.zoneSignatures();
    zone.forEach(good::accept);
    assertEquals(Optional.empty(), good.mismatch());
    assertEquals(Duration.ofSeconds(7200), good.maxTtl());
    assertEquals(Optional.of(2026010101L), good.serial());

    PropagationExpectation.ZoneSignatures stale = expected.zoneSignatures();
    zone.forEach(stale::accept);
    stale.accept(rrsig(www, Type.A, tag("zsk"), 7200));
    String why = stale.mismatch().orElseThrow();
    assertTrue(why.contains("still has signatures by key tags [" + tag("zsk") + "]"), why);

    PropagationExpectation.ZoneSignatures empty = expected.zoneSignatures();
    assertEquals(Optional.of("the zone transfer had no SOA record"), empty.mismatch());
  }

  @Test
  void kskDoubleSignaturePhaseTwoWantsOnlyTheNewDsAtTheParent() throws Exception {
    KeySetState rolling = signedZone().start(RollType.KSK_DOUBLE_SIGNATURE,
        List.of(key("new", SigningRole.KSK, false)), T0);
    rolling = rolling.apply(Variant.KSK, new RollStep.PropagationComplete(1, Duration.ofHours(1)), T0);
    rolling = rolling.apply(Variant.KSK, new RollStep.CacheExpired(1), T0.plusSeconds(3600));
    PropagationExpectation expected = expectation(rolling, Variant.KSK);
    assertEquals(Set.of(Propagation.DS), expected.propagates());

    DSRecord newDs = new DSRecord(ZONE, DClass.IN, 86400, DNSSEC.Digest.SHA256, dnskeys.get("new"));
    DSRecord oldDs = new DSRecord(ZONE, DClass.IN, 86400, DNSSEC.Digest.SHA256, dnskeys.get("ksk"));
    DSRecord newSha384 = new DSRecord(ZONE, DClass.IN, 86400, DNSSEC.Digest.SHA384, dnskeys.get("new"));
    assertEquals(Optional.empty(), expected.dsMismatch(List.of(newDs)));
    assertTrue(expected.dsMismatch(List.of(oldDs, newDs)).orElseThrow().startsWith("DS RRset ["));
    assertTrue(expected.dsMismatch(List.of(newSha384)).isPresent(), "another digest type is another DS");
    assertTrue(expected.dsMismatch(List.of()).orElseThrow().startsWith("no DS RRset, expected [" + tag("new")));
    assertEquals(Duration.ofSeconds(86400), expected.ttl(List.of(newDs), Type.DS));
    assertEquals(List.of("example.test. IN DS " + newDs.rdataToString()), expected.lines());
  }

  @Test
  void aKeyWithoutItsDnskeyRecordIsRefused() throws Exception {
    KeySetState rolling = signedZone().start(RollType.ZSK_PRE_PUBLISH, List.of(key("new", SigningRole.ZSK, false)),
        T0);
    dnskeys.remove("new");
    assertThrows(IllegalArgumentException.class, () -> expectation(rolling, Variant.ZSK));
  }

  @Test
  void aServedSerialIsComparedInSerialNumberArithmetic() {
    assertEquals(Optional.empty(), PropagationExpectation.serialMismatch(10, 10));
    assertEquals(Optional.empty(), PropagationExpectation.serialMismatch(4294967295L, 3));
    assertTrue(PropagationExpectation.serialMismatch(3, 4294967295L).isPresent(), "3 follows 4294967295 (RFC 1982)");
    assertTrue(PropagationExpectation.serialMismatch(11, 10).isPresent());
  }

  @Test
  void policyNamesOfServersAreReadOrRefusedWithTheReason() {
    assertEquals(new java.net.InetSocketAddress("192.0.2.1", 53), NameServerAddress.parse("192.0.2.1"));
    assertEquals(new java.net.InetSocketAddress("192.0.2.1", 4542), NameServerAddress.parse("192.0.2.1:4542"));
    assertEquals(new java.net.InetSocketAddress("2001:db8::1", 53), NameServerAddress.parse("2001:db8::1"));
    assertEquals(new java.net.InetSocketAddress("2001:db8::1", 5353), NameServerAddress.parse("[2001:db8::1]:5353"));
    String tsig = assertThrows(IllegalArgumentException.class, () -> NameServerAddress.parse("192.0.2.1^key"))
        .getMessage();
    assertTrue(tsig.contains("TSIG"), tsig);
    assertThrows(IllegalArgumentException.class, () -> NameServerAddress.parse("ns1.example.test"));
    assertThrows(IllegalArgumentException.class, () -> NameServerAddress.parse("192.0.2.1:70000"));
    assertThrows(IllegalArgumentException.class, () -> NameServerAddress.parse("999.0.2.1"));
  }
}
