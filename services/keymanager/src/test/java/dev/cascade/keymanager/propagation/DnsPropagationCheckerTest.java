package dev.cascade.keymanager.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.parent.DsDigest;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.KeyState;
import dev.cascade.dnssec.roll.NameServer;
import dev.cascade.dnssec.roll.PropagationExpectation;
import dev.cascade.dnssec.roll.RollStep;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.dnssec.roll.RollType.Variant;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.tsig.TsigAlgorithm;
import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.keymanager.domain.PropagationChecker;
import dev.cascade.keymanager.domain.PropagationSettings;
import dev.cascade.testinfra.FreePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SimpleResolver;

/**
 * The propagation checks against real name servers: Knot DNS's {@code knotd} ({@link KnotServer}), one instance per
 * server, on ephemeral loopback ports, serving a child zone signed by dnssec-core as a roll's phase leaves it (checked
 * by {@code kzonecheck}) and a parent zone with the child's DS RRset; one knotd allows the zone transfer only with a
 * TSIG key, which a policy names as {@code <IP>:<PORT>^<key>}.
 */
class DnsPropagationCheckerTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Name PARENT = Name.fromConstantString("test.");
  private static final Name CHILD = Name.fromConstantString("child.test.");
  private static final Instant NOW = Instant.now();
  private static final long DNSKEY_TTL = 600;
  private static final long DS_TTL = 7200;
  private static final long LARGEST_TTL = 86400;

  @TempDir Path dir;

  /** The TSIG key of the servers that require one; the keyring the checker looks keys up in has it alone. */
  private static final TsigKey XFR_KEY = TsigKey.of("xfr-key", TsigAlgorithm.HMAC_SHA256,
      "q0b8CDbTQxGkvMvuFJbz3yjB3XcBx0OTqaDl8e0lCuk=");

  private final TsigKeys keyring = name -> Optional.of(XFR_KEY).filter(key -> key.name().equals(name));
  private final List<KnotServer> servers = new ArrayList<>();
  private final Map<String, DNSKEYRecord> dnskeys = new HashMap<>();
  private final Map<String, SigningKey> signingKeys = new HashMap<>();
  private DnsPropagationChecker checker;

  @BeforeEach
  void checker() {
    // No resolver is needed: every test names the parent's servers, as the policy's parent-nameservers does.
    checker = new DnsPropagationChecker(List.of(), new SimpleResolver(new InetSocketAddress(LOOPBACK, closedPort())),
        keyring, Duration.ofSeconds(2), Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() throws Exception {
    checker.close();
    for (KnotServer server : servers) {
      server.close();
    }
  }

  private KeyState key(String id, SigningRole role, boolean active) {
    SigningKey key = KeyGenerator.generate(CHILD, 13,
        role == SigningRole.ZSK ? KeyGenerator.FLAGS_ZSK : KeyGenerator.FLAGS_SEP, DNSKEY_TTL);
    signingKeys.put(id, key);
    dnskeys.put(id, key.dnskey());
    return active ? KeyState.active(id, role, 13, key.keyTag(), NOW) : KeyState.created(id, role, 13, key.keyTag(), NOW);
  }

  private KeySetState signedZone() {
    return KeySetState.of(List.of(key("ksk", SigningRole.KSK, true), key("zsk", SigningRole.ZSK, true)));
  }

  /** The child zone signed as {@code state} says, with serial {@code serial}, checked by kzonecheck. */
  private List<Record> child(KeySetState state, long serial) throws Exception {
    List<Record> unsigned = List.of(
        new SOARecord(CHILD, DClass.IN, 300, Name.fromConstantString("ns.child.test."),
            Name.fromConstantString("hostmaster.child.test."), serial, 3600, 600, 864000, 300),
        new NSRecord(CHILD, DClass.IN, 3600, Name.fromConstantString("ns.child.test.")),
        new ARecord(Name.fromConstantString("ns.child.test."), DClass.IN, 3600, LOOPBACK),
        new ARecord(Name.fromConstantString("www.child.test."), DClass.IN, LARGEST_TTL, LOOPBACK));
    List<SigningKey> keys = state.keys().stream()
        .map(k -> signingKeys.get(k.id()).withUse(k.use())).toList();
    SigningPolicy policy = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, new byte[0], Duration.ofHours(1),
        Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
    List<Record> signed = new ZoneSigner(Clock.fixed(NOW, ZoneOffset.UTC), 1)
        .sign(CHILD, unsigned, keys, DNSKEY_TTL, policy, serial).records();
    Path file = KnotServer.write(dir.resolve("check-" + serial + ".zone"), signed);
    KnotServer.run("/usr/bin/kzonecheck", "-d", "on", "-o", CHILD.toString(), file.toString());
    return signed;
  }

  /** The parent zone, delegating the child with the DS of {@code dsKeys}. */
  private List<Record> parent(String... dsKeys) {
    List<Record> records = new ArrayList<>(List.of(
        new SOARecord(PARENT, DClass.IN, 300, Name.fromConstantString("ns.test."),
            Name.fromConstantString("hostmaster.test."), 1, 3600, 600, 864000, 300),
        new NSRecord(PARENT, DClass.IN, 3600, Name.fromConstantString("ns.test.")),
        new ARecord(Name.fromConstantString("ns.test."), DClass.IN, 3600, LOOPBACK),
        new NSRecord(CHILD, DClass.IN, 3600, Name.fromConstantString("ns.child.test.")),
        new ARecord(Name.fromConstantString("ns.child.test."), DClass.IN, 3600, LOOPBACK)));
    for (String id : dsKeys) {
      records.add(new DSRecord(CHILD, DClass.IN, DS_TTL, DNSSEC.Digest.SHA256, dnskeys.get(id)));
    }
    return records;
  }

  private PropagationExpectation expectation(KeySetState state, Variant variant) {
    return PropagationExpectation.of(CHILD, state, state.roll(variant).orElseThrow(), dnskeys, DNSSEC.Digest.SHA256);
  }

  @Test
  void newDnskeyRrsetServedEverywhereIsPropagatedWithItsTtl() throws Exception {
    KeySetState state = signedZone().start(RollType.ZSK_PRE_PUBLISH, List.of(key("new", SigningRole.ZSK, false)),
        NOW);
    InetSocketAddress first = knotd(CHILD, child(state, 2));
    InetSocketAddress second = knotd(CHILD, child(state, 2));

    PropagationChecker.Result result =
        checker.check(expectation(state, Variant.ZSK), settings(List.of(first, second), List.of()));

    assertTrue(result.isPropagated(), result.summary());
    assertEquals(Duration.ofSeconds(DNSKEY_TTL), result.ttl().orElseThrow());

    // A policy that names no publication servers is checked at Cascade's own (cascade.keymanager.publication-servers).
    DnsPropagationChecker own = new DnsPropagationChecker(
        List.of(ServerName.parse("127.0.0.1:" + first.getPort()), ServerName.parse("127.0.0.1:" + second.getPort())),
        new SimpleResolver(new InetSocketAddress(LOOPBACK, closedPort())), keyring, Duration.ofSeconds(2),
        Duration.ofSeconds(20));
    try {
      PropagationChecker.Result byDefault =
          own.check(expectation(state, Variant.ZSK), settings(List.of(), List.of()));
      assertTrue(byDefault.summary().contains("127.0.0.1:" + second.getPort()), byDefault.summary());
      assertTrue(byDefault.isPropagated(), byDefault.summary());
    } finally {
      own.close();
    }
  }

  @Test
  void aServerStillServingTheOldDnskeyRrsetMakesTheRollWait() throws Exception {
    KeySetState before = signedZone();
    List<Record> old = child(before, 1);
    KeySetState state = before.start(RollType.ZSK_PRE_PUBLISH, List.of(key("new", SigningRole.ZSK, false)), NOW);
    InetSocketAddress updated = knotd(CHILD, child(state, 2));
    InetSocketAddress behind = knotd(CHILD, old);

    PropagationChecker.Result result = checker.check(expectation(state, Variant.ZSK),
        settings(List.of(updated, behind), List.of()));

    assertFalse(result.isPropagated());
    assertTrue(result.summary().contains("127.0.0.1:" + behind.getPort() + " serves a DNSKEY RRset with key tags"),
        result.summary());
    assertTrue(result.summary().contains(String.valueOf(dnskeys.get("new").getFootprint())), result.summary());
  }

  @Test
  void newSignaturesAreCheckedByZoneTransferAndTheLargestTtlReported() throws Exception {
    KeySetState state = signedZone().start(RollType.ZSK_PRE_PUBLISH, List.of(key("new", SigningRole.ZSK, false)),
        NOW);
    List<Record> prePublished = child(state, 2);
    state = state.apply(Variant.ZSK, new RollStep.PropagationComplete(1, Duration.ofSeconds(DNSKEY_TTL)), NOW);
    state = state.apply(Variant.ZSK, new RollStep.CacheExpired(1), NOW.plusSeconds(DNSKEY_TTL));
    InetSocketAddress primary = knotd(CHILD, child(state, 3));
    InetSocketAddress stale = knotd(CHILD, prePublished);
    PropagationExpectation expected = expectation(state, Variant.ZSK);

    PropagationChecker.Result one =
        checker.check(expected, settings(List.of(primary), List.of()));
    assertTrue(one.isPropagated(), one.summary());
    assertEquals(Duration.ofSeconds(LARGEST_TTL), one.ttl().orElseThrow());

    PropagationChecker.Result behind =
        checker.check(expected, settings(List.of(primary, stale), List.of()));
    assertFalse(behind.isPropagated());
    assertTrue(behind.summary().contains("serves serial 2, older than the checked 3"), behind.summary());

    PropagationChecker.Result oldSignatures =
        checker.check(expected, settings(List.of(stale), List.of()));
    assertFalse(oldSignatures.isPropagated());
    assertTrue(oldSignatures.summary().contains("still has signatures by key tags ["
        + dnskeys.get("zsk").getFootprint() + "]"), oldSignatures.summary());
  }

  @Test
  void theNewDsAtTheParentIsPropagatedWithTheParentsTtlAndItsAbsenceIsAWait() throws Exception {
    KeySetState state = signedZone().start(RollType.KSK_DOUBLE_SIGNATURE,
        List.of(key("new", SigningRole.KSK, false)), NOW);
    state = state.apply(Variant.KSK, new RollStep.PropagationComplete(1, Duration.ofSeconds(DNSKEY_TTL)), NOW);
    state = state.apply(Variant.KSK, new RollStep.CacheExpired(1), NOW.plusSeconds(DNSKEY_TTL));
    PropagationExpectation expected = expectation(state, Variant.KSK);
    InetSocketAddress swapped = knotd(PARENT, parent("new"));
    InetSocketAddress notYet = knotd(PARENT, parent("ksk"));

    PropagationChecker.Result done =
        checker.check(expected, settings(List.of(), List.of(swapped)));
    assertTrue(done.isPropagated(), done.summary());
    assertEquals(Duration.ofSeconds(DS_TTL), done.ttl().orElseThrow());

    PropagationChecker.Result waiting =
        checker.check(expected, settings(List.of(), List.of(swapped, notYet)));
    assertFalse(waiting.isPropagated());
    assertTrue(waiting.summary().startsWith("the DS RRset of child.test. has not propagated: parent server 127.0.0.1:"
        + notYet.getPort() + " serves DS RRset [" + dnskeys.get("ksk").getFootprint()), waiting.summary());
  }

  @Test
  void aParentThatCannotBeReachedIsAWaitNeverAReport() throws Exception {
    KeySetState state = signedZone().start(RollType.KSK_DOUBLE_SIGNATURE,
        List.of(key("new", SigningRole.KSK, false)), NOW);
    state = state.apply(Variant.KSK, new RollStep.PropagationComplete(1, Duration.ofSeconds(DNSKEY_TTL)), NOW);
    state = state.apply(Variant.KSK, new RollStep.CacheExpired(1), NOW.plusSeconds(DNSKEY_TTL));
    InetSocketAddress closed = new InetSocketAddress(LOOPBACK, closedPort());

    long start = System.nanoTime();
    PropagationChecker.Result result = checker.check(expectation(state, Variant.KSK),
        settings(List.of(), List.of(closed)));

    assertFalse(result.isPropagated());
    assertTrue(result.summary().startsWith("the DS RRset of child.test.: parent server 127.0.0.1:" + closed.getPort()),
        result.summary());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "bounded by the query timeout");
  }

  @Test
  void aServerNamedWithATsigKeyIsAskedWithItAndAWrongOrUnknownKeyIsAWait() throws Exception {
    KeySetState state = signedZone().start(RollType.ZSK_PRE_PUBLISH, List.of(key("new", SigningRole.ZSK, false)),
        NOW);
    state = state.apply(Variant.ZSK, new RollStep.PropagationComplete(1, Duration.ofSeconds(DNSKEY_TTL)), NOW);
    state = state.apply(Variant.ZSK, new RollStep.CacheExpired(1), NOW.plusSeconds(DNSKEY_TTL));
    // knotd allows the AXFR only signed with XFR_KEY, and verifies the key of every signed query.
    KnotServer server = KnotServer.start(dir, CHILD, child(state, 3), XFR_KEY);
    servers.add(server);
    PropagationExpectation expected = expectation(state, Variant.ZSK);
    String keyed = server.text() + "^Xfr-Key";

    PropagationChecker.Result withKey = checker.check(expected, PropagationSettings.of(List.of(keyed), List.of(),
        DsDigest.SHA_256));
    assertTrue(withKey.isPropagated(), withKey.summary());
    assertEquals(Duration.ofSeconds(LARGEST_TTL), withKey.ttl().orElseThrow());

    PropagationChecker.Result withoutKey = checker.check(expected, PropagationSettings.of(List.of(server.text()),
        List.of(), DsDigest.SHA_256));
    assertFalse(withoutKey.isPropagated());
    assertTrue(withoutKey.summary().contains("the zone transfer from " + server.text() + " failed"),
        withoutKey.summary());

    TsigKey wrongSecret = TsigKey.of("xfr-key", TsigAlgorithm.HMAC_SHA256, new byte[32]);
    DnsPropagationChecker wrong = new DnsPropagationChecker(List.of(),
        new SimpleResolver(new InetSocketAddress(LOOPBACK, closedPort())), name -> Optional.of(wrongSecret),
        Duration.ofSeconds(2), Duration.ofSeconds(20));
    try {
      PropagationChecker.Result refused = wrong.check(expected, PropagationSettings.of(List.of(keyed), List.of(),
          DsDigest.SHA_256));
      assertFalse(refused.isPropagated());
      assertTrue(refused.summary().contains("the zone transfer from " + keyed + " failed"), refused.summary());
    } finally {
      wrong.close();
    }

    // A DNSKEY query signed with the key: knotd answers it signed, which the checker verifies.
    PropagationExpectation published = expectation(signedZone().start(RollType.ZSK_PRE_PUBLISH,
        List.of(key("other", SigningRole.ZSK, false)), NOW), Variant.ZSK);
    PropagationChecker.Result dnskey = checker.check(published, PropagationSettings.of(List.of(keyed), List.of(),
        DsDigest.SHA_256));
    assertTrue(dnskey.summary().contains(keyed + " serves a DNSKEY RRset"), dnskey.summary());

    PropagationChecker.Result unknown = checker.check(expected, PropagationSettings.of(
        List.of(server.text() + "^no-such-key"), List.of(), DsDigest.SHA_256));
    assertFalse(unknown.isPropagated());
    assertTrue(unknown.summary().contains("the TSIG key no-such-key of " + server.text() + "^no-such-key is not known"
        + " to the key manager"), unknown.summary());
  }

  private static PropagationSettings settings(List<InetSocketAddress> publication, List<InetSocketAddress> parent) {
    return new PropagationSettings(publication.stream().map(NameServer::of).toList(),
        parent.stream().map(NameServer::of).toList(), DsDigest.SHA_256.id());
  }

  /** Starts a knotd serving {@code records} as {@code zone}; returns its address once it answers the zone's SOA. */
  private InetSocketAddress knotd(Name zone, List<Record> records) throws Exception {
    KnotServer server = KnotServer.start(dir, zone, records);
    servers.add(server);
    return server.address();
  }

  /** A port nothing listens on: taken and given back (TCP; on UDP the ICMP port-unreachable or silence). */
  private static int closedPort() {
    return FreePort.next();
  }
}
