package dev.cascade.keymanager.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.KeyState;
import dev.cascade.dnssec.roll.Propagation;
import dev.cascade.dnssec.roll.PropagationExpectation;
import dev.cascade.dnssec.roll.RollStep;
import dev.cascade.dnssec.roll.RollStepException;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.dnssec.roll.RollType.Variant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;

/**
 * The roll driver with a fixed clock, moved by hand, and policies in seconds and minutes. The name servers are a
 * script here ({@link #servers}: what the propagation check sees next); the checks on real DNS are
 * {@code DnsPropagationCheckerTest}'s.
 */
class RollDriverTest {

  private static final Name ZONE = Name.fromConstantString("example.test.");
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final int ECDSA = Algorithms.ECDSAP256SHA256;
  private static final SigningKey KSK_KEY = KeyGenerator.generate(ZONE, ECDSA, KeyGenerator.FLAGS_SEP, 3600);
  private static final SigningKey ZSK_KEY = KeyGenerator.generate(ZONE, ECDSA, KeyGenerator.FLAGS_ZSK, 3600);
  private static final KeyState KSK = KeyState.active("ksk-1", SigningRole.KSK, ECDSA, KSK_KEY.keyTag(), T0);
  private static final KeyState ZSK = KeyState.active("zsk-1", SigningRole.ZSK, ECDSA, ZSK_KEY.keyTag(), T0);

  /** The DNSKEY record of every key the tests' key sets hold, generated ones added as they come. */
  private final Map<String, DNSKEYRecord> dnskeys =
      new HashMap<>(Map.of("ksk-1", KSK_KEY.dnskey(), "zsk-1", ZSK_KEY.dnskey()));
  /** What the name servers show the next checks; the expectations they were asked about. */
  private PropagationChecker.Result servers = PropagationChecker.Result.waiting("192.0.2.1:53 did not answer");
  private final List<PropagationExpectation> asked = new ArrayList<>();

  private static KeyPolicy policy(Duration ksk, Duration zsk, RollSettings rolls) {
    return new KeyPolicy(KeyAlgorithm.of(ECDSA), false, ksk, zsk, Duration.ofDays(365), 3600, rolls,
        PropagationSettings.DEFAULT);
  }

  private static RollSettings automation(Variant variant, RollAutomation automation) {
    Map<Variant, RollAutomation> all = new EnumMap<>(RollSettings.REFERENCE.automation());
    all.put(variant, automation);
    return new RollSettings(RollType.KSK_DOUBLE_SIGNATURE, RollType.ZSK_PRE_PUBLISH, all);
  }

  private RollDriver at(Instant now) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    return new RollDriver(new KeySetGenerator(KeyGenerator::generate, clock), this::check, clock);
  }

  private PropagationChecker.Result check(PropagationExpectation expected, PropagationSettings where) {
    asked.add(expected);
    return servers;
  }

  /** The driver's outcome at {@code seconds}, with the DNSKEY records of the keys it generated kept. */
  private RollDriver.Outcome next(KeySetState state, KeyPolicy policy, long seconds, Set<Integer> tagsInUse) {
    RollDriver.Outcome outcome = at(t(seconds)).next(ZONE, state, policy, tagsInUse, dnskeys);
    outcome.generated().forEach(g -> dnskeys.put(g.id().toString(), g.key().key().dnskey()));
    return outcome;
  }

  private static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  /** Takes the driver's step at {@code seconds}, which must be {@code expected}. */
  private KeySetState step(KeySetState state, KeyPolicy policy, long seconds, String expected) {
    RollDriver.Outcome outcome = next(state, policy, seconds, Set.of());
    assertEquals(expected, outcome.step().orElse("nothing"), "at T0+" + seconds + "s");
    return outcome.next().orElse(state);
  }

  private void nothingAt(KeySetState state, KeyPolicy policy, long seconds) {
    RollDriver.Outcome outcome = next(state, policy, seconds, Set.of());
    assertTrue(outcome.next().isEmpty(), "at T0+" + seconds + "s: " + outcome.step());
  }

  private static KeyState key(KeySetState state, String id) {
    return state.key(id).orElseThrow();
  }

  @Test
  void zskPrePublishRollRunsFromStartToDoneAndWaitsAtEachPropagation() throws RollStepException {
    KeyPolicy policy = policy(Duration.ofDays(365), Duration.ofMinutes(10), RollSettings.REFERENCE);
    KeySetState state = KeySetState.of(List.of(KSK, ZSK));

    nothingAt(state, policy, 599);
    RollDriver.Outcome started = next(state, policy, 600, Set.of());
    assertEquals("zsk start-roll", started.step().orElseThrow());
    state = started.next().orElseThrow();
    String newZsk = started.generated().get(0).id().toString();
    assertEquals(SigningRole.ZSK, started.generated().get(0).key().role());
    assertEquals(t(600), key(state, newZsk).createdAt());
    assertTrue(key(state, newZsk).published(), "pre-published");
    assertFalse(key(state, newZsk).signsZone(), "not signing before its DNSKEY has propagated");
    assertTrue(key(state, "zsk-1").signsZone());
    KeyRoll roll = state.roll(Variant.ZSK).orElseThrow();
    assertEquals(RollType.ZSK_PRE_PUBLISH, roll.type());
    assertEquals(List.of("zsk-1"), roll.oldKeys());

    // Propagation is never reported blindly: while the servers do not show it, the roll waits, with the reason.
    RollDriver.Outcome waiting = next(state, policy, 650, Set.of());
    assertTrue(waiting.next().isEmpty());
    assertEquals(1, waiting.checks().size());
    assertEquals(Variant.ZSK, waiting.checks().get(0).variant());
    assertEquals(1, waiting.checks().get(0).phase());
    assertEquals(servers, waiting.checks().get(0).result());
    assertEquals(3, waiting.checks().get(0).expected().size(), "the three DNSKEY records");
    assertTrue(roll.waitingFor(t(650)).startsWith("Wait until the new DNSKEY RRset has propagated"),
        roll.waitingFor(t(650)));
    PropagationExpectation expected = asked.get(asked.size() - 1);
    assertEquals(Set.of(KSK.keyTag(), ZSK.keyTag(), key(state, newZsk).keyTag()),
        expected.dnskeys().stream().map(DNSKEYRecord::getFootprint).collect(Collectors.toSet()));

    // Once they do, propagation1-complete with the TTL they showed, and the caches' wait counts from it.
    servers = PropagationChecker.Result.propagated(Duration.ofSeconds(300), "DNSKEY RRset on [192.0.2.1:53]");
    state = step(state, policy, 700, "zsk propagation1-complete");
    assertEquals(Duration.ofSeconds(300), state.roll(Variant.ZSK).orElseThrow().ttl());
    servers = PropagationChecker.Result.waiting("192.0.2.1:53 serves serial 1, older than the checked 2");
    nothingAt(state, policy, 999);
    state = step(state, policy, 1000, "zsk cache-expired1");
    assertTrue(key(state, newZsk).signsZone());
    assertFalse(key(state, "zsk-1").signsZone());
    assertTrue(key(state, "zsk-1").published(), "the old ZSK stays while caches hold its signatures");
    nothingAt(state, policy, 1005);
    assertEquals(Set.of(Propagation.RRSIG), asked.get(asked.size() - 1).propagates());

    servers = PropagationChecker.Result.propagated(Duration.ofSeconds(60), "signatures of serial 2");
    state = step(state, policy, 1010, "zsk propagation2-complete");
    nothingAt(state, policy, 1069);
    state = step(state, policy, 1070, "zsk cache-expired2");
    assertFalse(key(state, "zsk-1").published());
    state = step(state, policy, 1071, "zsk roll-done");

    assertTrue(state.rolls().isEmpty());
    assertEquals(List.of("ksk-1", newZsk), state.keys().stream().map(KeyState::id).toList());
    // The new ZSK's validity counts from its creation at T0+600s.
    nothingAt(state, policy, 1199);
    assertEquals("zsk start-roll", next(state, policy, 1200, Set.of()).step().orElseThrow());
  }

  @Test
  void kskDoubleSignatureRollSwapsTheDsInItsSecondPhase() throws RollStepException {
    KeyPolicy policy = policy(Duration.ofHours(1), Duration.ofDays(30), RollSettings.REFERENCE);
    KeySetState state = KeySetState.of(List.of(KSK, ZSK));

    RollDriver.Outcome started = next(state, policy, 3600, Set.of());
    assertEquals("ksk start-roll", started.step().orElseThrow());
    state = started.next().orElseThrow();
    String newKsk = started.generated().get(0).id().toString();
    assertEquals(257, started.generated().get(0).key().key().dnskey().getFlags());
    assertTrue(key(state, newKsk).published() && key(state, newKsk).signsKeys(), "double signature");
    assertFalse(key(state, newKsk).atParent());

    servers = PropagationChecker.Result.propagated(Duration.ofSeconds(3600), "DNSKEY RRset");
    state = step(state, policy, 3700, "ksk propagation1-complete");
    servers = PropagationChecker.Result.waiting("parent server 192.0.2.53:53 serves no DS RRset");
    nothingAt(state, policy, 7299);
    state = step(state, policy, 7300, "ksk cache-expired1");
    assertTrue(key(state, newKsk).atParent());
    assertFalse(key(state, "ksk-1").atParent());
    assertTrue(state.roll(Variant.KSK).orElseThrow().waitingFor(t(7300))
        .startsWith("Wait until the new DS RRset has propagated to the parent's name servers"));
    nothingAt(state, policy, 90_000);
    PropagationExpectation ds = asked.get(asked.size() - 1);
    assertEquals(List.of(key(state, newKsk).keyTag()), ds.ds().stream().map(r -> r.getFootprint()).toList());
    assertEquals(DNSSEC.Digest.SHA256, ds.ds().get(0).getDigestID());

    state = state.apply(Variant.KSK, new RollStep.PropagationComplete(2, Duration.ofSeconds(86400)), t(8000));
    nothingAt(state, policy, 94_399);
    state = step(state, policy, 94_400, "ksk cache-expired2");
    assertFalse(key(state, "ksk-1").published() || key(state, "ksk-1").signsKeys());
    state = step(state, policy, 94_401, "ksk roll-done");
    assertEquals(List.of("zsk-1", newKsk), state.keys().stream().map(KeyState::id).toList());
  }

  @Test
  void newKeyWhoseTagIsTakenInTheZoneIsGeneratedAgain() {
    SigningKey clash = KeyGenerator.generate(ZONE, ECDSA, 256, 3600);
    SigningKey retiredClash = KeyGenerator.generate(ZONE, ECDSA, 256, 3600);
    KeySetState state = KeySetState.of(
        List.of(KeyState.active("ksk-1", SigningRole.KSK, ECDSA, clash.keyTag(), T0), ZSK));
    dnskeys.put("ksk-1", clash.dnskey());
    Deque<SigningKey> scripted = new ArrayDeque<>(List.of(clash, retiredClash));
    AtomicInteger calls = new AtomicInteger();
    Clock clock = Clock.fixed(t(600), ZoneOffset.UTC);
    KeySetGenerator generator = new KeySetGenerator((zone, alg, flags, ttl) -> {
      calls.incrementAndGet();
      return scripted.isEmpty() ? KeyGenerator.generate(zone, alg, flags, ttl) : scripted.pop();
    }, clock);
    KeyPolicy policy = policy(Duration.ofDays(365), Duration.ofMinutes(10), RollSettings.REFERENCE);

    RollDriver.Outcome started =
        new RollDriver(generator, this::check, clock).next(ZONE, state, policy, Set.of(retiredClash.keyTag()), dnskeys);

    assertEquals(3, calls.get(), "the tag of a key in the set and that of a retired key are both refused");
    int tag = started.generated().get(0).key().key().keyTag();
    assertNotEquals(clash.keyTag(), tag);
    assertNotEquals(retiredClash.keyTag(), tag);
    assertEquals(tag, key(started.next().orElseThrow(), started.generated().get(0).id().toString()).keyTag());
  }

  @Test
  void keyPastItsValidityWithAutoStartOffIsOverdueNotRolled() {
    KeyPolicy policy = policy(Duration.ofDays(365), Duration.ofMinutes(10),
        automation(Variant.ZSK, new RollAutomation(false, true, true, true)));
    KeySetState state = KeySetState.of(List.of(KSK, ZSK));

    assertTrue(at(t(599)).overdue(state, policy).isEmpty());
    nothingAt(state, policy, 600);
    List<RollDriver.Overdue> overdue = at(t(600)).overdue(state, policy);

    assertEquals(1, overdue.size());
    assertEquals("zsk-1", overdue.get(0).key().id());
    assertEquals(t(600), overdue.get(0).expiredAt());
    assertTrue(overdue.get(0).reason().startsWith("zsk.auto-start is off"), overdue.get(0).reason());
  }

  @Test
  void stepsThatAreNotAutomaticWaitForAnOperator() throws RollStepException {
    KeyPolicy policy = policy(Duration.ofDays(365), Duration.ofMinutes(10),
        automation(Variant.ZSK, new RollAutomation(true, false, false, false)));
    KeySetState state = step(KeySetState.of(List.of(KSK, ZSK)), policy, 600, "zsk start-roll");
    servers = PropagationChecker.Result.propagated(Duration.ofSeconds(60), "DNSKEY RRset");
    nothingAt(state, policy, 700);
    assertTrue(asked.isEmpty(), "auto-report off: the servers are not even asked");
    state = state.apply(Variant.ZSK, new RollStep.PropagationComplete(1, Duration.ofSeconds(60)), t(600));

    nothingAt(state, policy, 10_000);
    state = state.apply(Variant.ZSK, new RollStep.CacheExpired(1), t(10_000));
    state = state.apply(Variant.ZSK, new RollStep.PropagationComplete(2, Duration.ofSeconds(60)), t(10_000));
    state = state.apply(Variant.ZSK, new RollStep.CacheExpired(2), t(10_060));
    nothingAt(state, policy, 20_000);
  }

  @Test
  void kskExpiringDuringAZskRollStartsItsOwnRollButNotASecondZskRoll() {
    KeyPolicy policy = policy(Duration.ofMinutes(20), Duration.ofMinutes(10), RollSettings.REFERENCE);
    KeySetState state = step(KeySetState.of(List.of(KSK, ZSK)), policy, 600, "zsk start-roll");

    nothingAt(state, policy, 1199);
    state = step(state, policy, 1200, "ksk start-roll");
    assertEquals(2, state.rolls().size());
    nothingAt(state, policy, 1300);
  }

  /** A policy change to another algorithm (policy reload, zone set-policy) starts an algorithm roll by itself. */
  @Test
  void aPolicyWithAnotherAlgorithmStartsAnAlgorithmRollOnceNoRollIsInProgress() {
    KeyPolicy ecdsa = policy(Duration.ofDays(365), Duration.ofMinutes(10), RollSettings.REFERENCE);
    KeyPolicy ed25519 = new KeyPolicy(KeyAlgorithm.of(Algorithms.ED25519), false, Duration.ofDays(365),
        Duration.ofMinutes(10), Duration.ofDays(365), 3600, RollSettings.REFERENCE, PropagationSettings.DEFAULT);
    KeySetState rolling = step(KeySetState.of(List.of(KSK, ZSK)), ecdsa, 600, "zsk start-roll");
    nothingAt(rolling, ed25519, 601);

    RollDriver.Outcome started = next(KeySetState.of(List.of(KSK, ZSK)), ed25519, 10, Set.of());
    assertEquals("algorithm start-roll", started.step().orElseThrow());
    assertEquals(List.of(SigningRole.KSK, SigningRole.ZSK),
        started.generated().stream().map(g -> g.key().role()).toList());
    assertTrue(started.generated().stream().allMatch(g -> g.key().key().dnskey().getAlgorithm() == Algorithms.ED25519));
    assertEquals(RollType.ALGORITHM, started.next().orElseThrow().rolls().get(0).type());
  }

  /** {@code use-csk} turned on converts the KSK and ZSK pair to a CSK with a CSK roll; turned off, back. */
  @Test
  void aPolicyWithOtherRolesStartsACskRollThatConverts() {
    KeyPolicy csk = new KeyPolicy(KeyAlgorithm.of(ECDSA), true, Duration.ofDays(365), Duration.ofDays(30),
        Duration.ofDays(365), 3600, RollSettings.REFERENCE, PropagationSettings.DEFAULT);
    RollDriver.Outcome toCsk = next(KeySetState.of(List.of(KSK, ZSK)), csk, 10, Set.of());
    assertEquals("csk start-roll", toCsk.step().orElseThrow());
    assertEquals(List.of(SigningRole.CSK), toCsk.generated().stream().map(g -> g.key().role()).toList());

    KeyState cskKey = KeyState.active("csk-1", SigningRole.CSK, ECDSA, KSK_KEY.keyTag(), T0);
    KeyPolicy pair = policy(Duration.ofDays(365), Duration.ofDays(30), RollSettings.REFERENCE);
    RollDriver.Outcome toPair = next(KeySetState.of(List.of(cskKey)), pair, 10, Set.of());
    assertEquals("csk start-roll", toPair.step().orElseThrow());
    assertEquals(List.of(SigningRole.KSK, SigningRole.ZSK),
        toPair.generated().stream().map(g -> g.key().role()).toList());
    nothingAt(KeySetState.of(List.of(KSK, ZSK)), pair, 10);
  }

  /** With {@code algorithm.auto-start} off the algorithm roll waits for an operator, and an expired key says so. */
  @Test
  void anAlgorithmChangeWithAutoStartOffWaitsAndTheExpiredKeySaysWhy() {
    KeyPolicy ed25519 = new KeyPolicy(KeyAlgorithm.of(Algorithms.ED25519), false, Duration.ofDays(365),
        Duration.ofMinutes(10), Duration.ofDays(365), 3600,
        automation(Variant.ALGORITHM, new RollAutomation(false, true, true, true)), PropagationSettings.DEFAULT);
    KeySetState state = KeySetState.of(List.of(KSK, ZSK));
    nothingAt(state, ed25519, 600);
    List<RollDriver.Overdue> overdue = at(t(600)).overdue(state, ed25519);
    assertEquals(List.of("zsk-1"), overdue.stream().map(o -> o.key().id()).toList());
    assertEquals("its algorithm ECDSAP256SHA256 is no longer the policy's ED25519: the algorithm roll replaces it, "
        + "once an operator starts it (algorithm.auto-start is off)", overdue.get(0).reason());
  }
}
