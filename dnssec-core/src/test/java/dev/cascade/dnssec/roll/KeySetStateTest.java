package dev.cascade.dnssec.roll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.KeyRoll.Stage;
import dev.cascade.dnssec.roll.RollType.Variant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KeySetStateTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int ECDSAP256SHA256 = 13;
  private static final int RSASHA256 = 8;

  /** Rolls to run, each with the keys it brings in; every roll's new keys get tags no other key has. */
  private record Start(RollType type, List<KeyState> newKeys) {}

  private static KeyState fresh(String id, SigningRole role, int algorithm, int tag) {
    return KeyState.created(id, role, algorithm, tag, T0);
  }

  /**
   * Runs {@code starts} from {@code keys} to their ends, the steps of concurrent rolls interleaved at random, each
   * step at the earliest the caches allow and the reports {@code caches.delay()} after each change, and records every
   * version of the key set in {@code caches}.
   */
  private static KeySetState run(KeySetState keys, List<Start> starts, ResolverCaches caches, Random random)
      throws RollStepException {
    Instant now = T0;
    caches.changed(now, keys);
    for (Start start : starts) {
      keys = keys.start(start.type(), start.newKeys(), now);
      caches.changed(now, keys);
    }
    while (!keys.rolls().isEmpty()) {
      KeyRoll roll = keys.rolls().get(random.nextInt(keys.rolls().size()));
      Variant variant = roll.type().variant();
      RollStep step;
      Instant earliest;
      switch (roll.stage()) {
        case PROPAGATION -> {
          step = new RollStep.PropagationComplete(roll.phase(), caches.ttlOf(roll.propagates()));
          earliest = roll.since().plus(caches.delay());
        }
        case CACHE_EXPIRY -> {
          step = new RollStep.CacheExpired(roll.phase());
          earliest = roll.cachesExpireAt();
        }
        default -> {
          step = new RollStep.RollDone();
          earliest = roll.since();
        }
      }
      now = earliest.isAfter(now) ? earliest : now;
      keys = keys.apply(variant, step, now);
      caches.changed(now, keys);
    }
    return keys;
  }

  private static ResolverCaches caches(Random random) {
    return new ResolverCaches(seconds(random, 0, 3_600), seconds(random, 60, 172_800), seconds(random, 60, 172_800),
        seconds(random, 60, 172_800));
  }

  private static Duration seconds(Random random, int from, int to) {
    return Duration.ofSeconds(from + random.nextInt(to - from));
  }

  private static void assertEveryCacheValidates(ResolverCaches caches, String what) {
    List<String> failures = caches.failures();
    assertTrue(failures.isEmpty(), what + ": " + failures.size() + " failures, first " + failures.stream().limit(3)
        .toList());
  }

  /** The key set after a roll holds the new keys alone, each doing its role's whole job. */
  private static void assertOnly(KeySetState keys, Set<String> ids) {
    assertEquals(ids, keys.keys().stream().map(KeyState::id).collect(Collectors.toSet()));
    for (KeyState key : keys.keys()) {
      assertEquals(KeyState.active(key.id(), key.role(), key.algorithm(), key.keyTag(), key.createdAt()), key);
    }
  }

  @Test
  void everyRollTypeKeepsEveryMixOfCachedRRsetsValidWhateverTheTtlsAndDelay() throws Exception {
    for (long seed = 1; seed <= 40; seed++) {
      Random random = new Random(seed);
      for (RollType type : RollType.values()) {
        if (type.initial()) {
          continue;
        }
        boolean csk = type == RollType.CSK && random.nextBoolean();
        KeySetState keys = KeySetState.of(ResolverCaches.signedZone(csk, ECDSAP256SHA256, T0));
        List<KeyState> newKeys = switch (type.variant()) {
          case KSK -> List.of(fresh("ksk-2", SigningRole.KSK, ECDSAP256SHA256, 2001));
          case ZSK -> List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002));
          case CSK -> random.nextBoolean()
              ? List.of(fresh("csk-2", SigningRole.CSK, ECDSAP256SHA256, 2003))
              : List.of(fresh("ksk-2", SigningRole.KSK, ECDSAP256SHA256, 2001),
                  fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002));
          case ALGORITHM -> random.nextBoolean()
              ? List.of(fresh("csk-2", SigningRole.CSK, RSASHA256, 2003))
              : List.of(fresh("ksk-2", SigningRole.KSK, RSASHA256, 2001),
                  fresh("zsk-2", SigningRole.ZSK, RSASHA256, 2002));
        };
        ResolverCaches caches = caches(random);
        KeySetState after = run(keys, List.of(new Start(type, newKeys)), caches, random);

        String what = type + " seed " + seed + " " + newKeys.stream().map(KeyState::id).toList();
        assertEveryCacheValidates(caches, what);
        assertTrue(caches.versions() >= 3, what);
        Set<String> kept = keys.keys().stream().map(KeyState::id)
            .filter(id -> type.variant() == Variant.KSK && id.startsWith("zsk")
                || type.variant() == Variant.ZSK && id.startsWith("ksk"))
            .collect(Collectors.toSet());
        kept.addAll(newKeys.stream().map(KeyState::id).toList());
        assertOnly(after, kept);
      }
    }
  }

  /**
   * A zone signed for the first time: from no keys, the first KSK (beside a ZSK that does all its jobs at once) or
   * CSK signs at once, and the DS comes only when no cache can still hold an unsigned answer; the ZSK may roll
   * meanwhile.
   */
  @Test
  void aZonesFirstKeysKeepEveryMixOfCachedRRsetsValidAndTheDsComesLast() throws Exception {
    for (long seed = 1; seed <= 40; seed++) {
      Random random = new Random(seed);
      // Not random.nextBoolean(): the first boolean of Randoms seeded 1, 2, 3... is the same.
      boolean csk = seed % 2 == 0;
      ResolverCaches caches = caches(random);
      caches.changed(T0, KeySetState.of(List.of()));
      KeySetState started = csk
          ? KeySetState.of(List.of()).start(RollType.CSK_INITIAL,
              List.of(fresh("csk-1", SigningRole.CSK, ECDSAP256SHA256, 1001)), T0)
          : KeySetState.of(List.of(KeyState.active("zsk-1", SigningRole.ZSK, ECDSAP256SHA256, 1002, T0)))
              .start(RollType.KSK_INITIAL, List.of(fresh("ksk-1", SigningRole.KSK, ECDSAP256SHA256, 1001)), T0);
      assertTrue(started.parentKeys().isEmpty(), "no DS before the signed zone has propagated");
      assertEquals(csk ? 1 : 2, started.dnskeys().size(), "published at once");
      List<Start> more = csk ? List.of()
          : List.of(new Start(RollType.ZSK_PRE_PUBLISH, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256,
              2002))));
      KeySetState after = run(started, more, caches, random);

      String what = (csk ? "CSK" : "KSK and ZSK") + " seed " + seed;
      assertEveryCacheValidates(caches, what);
      assertOnly(after, csk ? Set.of("csk-1") : Set.of("ksk-1", "zsk-2"));
    }
  }

  @Test
  void theCacheModelCatchesADsAddedWithTheFirstKeys() {
    ResolverCaches caches = new ResolverCaches(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1),
        Duration.ofHours(1));
    caches.changed(T0, KeySetState.of(List.of()));
    caches.changed(T0.plusSeconds(60), KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0)));
    assertFalse(caches.failures().isEmpty(), "the DS meets unsigned data still cached");
  }

  @Test
  void aZonesFirstSecureEntryPointIsItsOnlyOne() {
    KeySetState signed = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0));
    RollStepException again = assertThrows(RollStepException.class, () -> signed.start(RollType.KSK_INITIAL,
        List.of(fresh("ksk-2", SigningRole.KSK, ECDSAP256SHA256, 2001)), T0));
    assertEquals("the zone has a secure entry point already; a KSK_INITIAL roll brings in its first one",
        again.getMessage());
    RollStepException roles = assertThrows(RollStepException.class, () -> KeySetState.of(List.of())
        .start(RollType.KSK_INITIAL, List.of(fresh("csk-1", SigningRole.CSK, ECDSAP256SHA256, 1001)), T0));
    assertEquals("a KSK_INITIAL roll brings in [KSK], not [CSK]", roles.getMessage());
  }

  @Test
  void aKskRollAndAZskRollInterleavedKeepEveryMixOfCachedRRsetsValid() throws Exception {
    for (long seed = 1; seed <= 40; seed++) {
      Random random = new Random(seed);
      RollType ksk = random.nextBoolean() ? RollType.KSK_DOUBLE_SIGNATURE : RollType.KSK_DOUBLE_DS;
      RollType zsk = random.nextBoolean() ? RollType.ZSK_PRE_PUBLISH : RollType.ZSK_DOUBLE_SIGNATURE;
      ResolverCaches caches = caches(random);
      KeySetState after = run(KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0)),
          List.of(new Start(ksk, List.of(fresh("ksk-2", SigningRole.KSK, ECDSAP256SHA256, 2001))),
              new Start(zsk, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002)))),
          caches, random);

      assertEveryCacheValidates(caches, ksk + " with " + zsk + ", seed " + seed);
      assertOnly(after, Set.of("ksk-2", "zsk-2"));
    }
  }

  /** The model itself: a roll that skips the cache wait is caught, so the tests above can fail. */
  @Test
  void theCacheModelCatchesAZskTakingOverBeforeItsDnskeyIsCached() throws Exception {
    ResolverCaches caches = new ResolverCaches(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1),
        Duration.ofHours(1));
    KeySetState keys = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0));
    caches.changed(T0, keys);
    keys = keys.start(RollType.ZSK_PRE_PUBLISH, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002)), T0);
    caches.changed(T0, keys);
    keys = keys.apply(Variant.ZSK, new RollStep.PropagationComplete(1, Duration.ZERO), T0);
    keys = keys.apply(Variant.ZSK, new RollStep.CacheExpired(1), T0);
    caches.changed(T0.plusSeconds(1), keys);

    assertFalse(caches.failures().isEmpty(), "a TTL of zero reported for a DNSKEY RRset cached for an hour");
  }

  @Test
  void aCacheExpiredStepBeforeTheReportedTtlHasPassedIsRefusedWithTheTimeItIsAllowed() throws Exception {
    KeySetState keys = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0))
        .start(RollType.ZSK_PRE_PUBLISH, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002)), T0)
        .apply(Variant.ZSK, RollStep.parse("propagation1-complete", 3600L), T0.plusSeconds(60));

    RollStepException early = assertThrows(RollStepException.class,
        () -> keys.apply(Variant.ZSK, RollStep.parse("cache-expired1", null), T0.plusSeconds(3659)));
    assertTrue(early.getMessage().contains("until 2026-01-01T01:01:00Z"), early.getMessage());

    KeySetState expired = keys.apply(Variant.ZSK, RollStep.parse("cache-expired1", null), T0.plusSeconds(3660));
    assertEquals(2, expired.roll(Variant.ZSK).orElseThrow().phase());
    assertEquals(Stage.PROPAGATION, expired.roll(Variant.ZSK).orElseThrow().stage());
    assertEquals(List.of("zsk-2"), expired.zoneSigners().stream().map(KeyState::id).toList());
  }

  @Test
  void aZskRollBegunElsewhereIsTakenOverAtThePhaseItsKeysAreInAndRunsToItsEnd() throws Exception {
    KeySetState steady = KeySetState.of(List.of(KeyState.active("ksk-1", SigningRole.KSK, RSASHA256, 1001, T0)));
    KeyState oldZsk = KeyState.active("zsk-1", SigningRole.ZSK, RSASHA256, 1002, T0);
    KeyState newZsk = new RollPosition("new", true, false, false, false)
        .state("zsk-2", SigningRole.ZSK, RSASHA256, 1003, T0);
    List<RollType> zskTypes = RollType.candidates(Variant.ZSK, RollType.ZSK_DOUBLE_SIGNATURE);
    assertEquals(List.of(RollType.ZSK_DOUBLE_SIGNATURE, RollType.ZSK_PRE_PUBLISH), zskTypes);

    KeySetState published = steady.resume(List.of(newZsk), List.of(oldZsk), zskTypes, T0);
    KeyRoll first = published.roll(Variant.ZSK).orElseThrow();
    assertEquals(RollType.ZSK_PRE_PUBLISH, first.type(), "double signature would have the new key sign at once");
    assertEquals(1, first.phase());
    assertEquals(Stage.PROPAGATION, first.stage(), "the propagation is checked again, by Cascade");
    assertEquals(List.of("zsk-1"), published.zoneSigners().stream().map(KeyState::id).toList());

    KeySetState swapped = steady.resume(List.of(newZsk.with(Effect.SIGN_ZONE)),
        List.of(oldZsk.with(Effect.STOP_SIGNING_ZONE)), zskTypes, T0);
    assertEquals(2, swapped.roll(Variant.ZSK).orElseThrow().phase());
    assertEquals(List.of("zsk-2"), swapped.zoneSigners().stream().map(KeyState::id).toList());
    assertEquals(Set.of("ksk-1", "zsk-1", "zsk-2"),
        swapped.dnskeys().stream().map(KeyState::id).collect(java.util.stream.Collectors.toSet()));

    KeySetState done = swapped.apply(Variant.ZSK, RollStep.parse("propagation2-complete", 60L), T0)
        .apply(Variant.ZSK, RollStep.parse("cache-expired2", null), T0.plusSeconds(60))
        .apply(Variant.ZSK, RollStep.parse("roll-done", null), T0.plusSeconds(61));
    assertOnly(done, Set.of("ksk-1", "zsk-2"));
  }

  @Test
  void aKskRollBegunElsewhereIsPlacedByWhichKeysDsIsAtTheParent() throws Exception {
    KeySetState steady = KeySetState.of(List.of(KeyState.active("zsk-1", SigningRole.ZSK, RSASHA256, 1002, T0)));
    KeyState oldKsk = KeyState.active("ksk-1", SigningRole.KSK, RSASHA256, 1001, T0);
    KeyState newKsk = fresh("ksk-2", SigningRole.KSK, RSASHA256, 1003).with(Effect.PUBLISH).with(Effect.SIGN_KEYS);
    List<RollType> kskTypes = RollType.candidates(Variant.KSK, RollType.KSK_DOUBLE_SIGNATURE);

    KeySetState beforeDs = steady.resume(List.of(newKsk), List.of(oldKsk), kskTypes, T0);
    assertEquals(1, beforeDs.roll(Variant.KSK).orElseThrow().phase());
    assertEquals(List.of("ksk-1"), beforeDs.parentKeys().stream().map(KeyState::id).toList());

    KeySetState dsSwapped = steady.resume(List.of(newKsk.with(Effect.ADD_DS)), List.of(oldKsk.with(Effect.REMOVE_DS)),
        kskTypes, T0);
    assertEquals(2, dsSwapped.roll(Variant.KSK).orElseThrow().phase());
    assertEquals(List.of("ksk-2"), dsSwapped.parentKeys().stream().map(KeyState::id).toList());
  }

  @Test
  void keysTakenOverDoAllTheirJobsUnlessPlacedInARollOfTheirRole() throws Exception {
    List<KeyState> keys = List.of(fresh("ksk-1", SigningRole.KSK, RSASHA256, 1001),
        fresh("zsk-1", SigningRole.ZSK, RSASHA256, 1002), fresh("zsk-2", SigningRole.ZSK, RSASHA256, 1003));
    KeySetState taken = KeySetState.takeOver(keys,
        Map.of("zsk-1", new RollPosition("old", true, false, true, false),
            "zsk-2", new RollPosition("new", true, false, false, false)),
        variant -> variant == Variant.ZSK ? RollType.ZSK_PRE_PUBLISH : RollType.KSK_DOUBLE_SIGNATURE, T0);

    assertEquals(List.of("ksk-1"), taken.parentKeys().stream().map(KeyState::id).toList());
    assertEquals(List.of("ksk-1"), taken.keySigners().stream().map(KeyState::id).toList());
    KeyRoll zsk = taken.roll(Variant.ZSK).orElseThrow();
    assertEquals(List.of("zsk-2"), zsk.newKeys());
    assertEquals(List.of("zsk-1"), zsk.oldKeys());
    assertTrue(taken.roll(Variant.KSK).isEmpty());

    RollStepException alone = assertThrows(RollStepException.class, () -> KeySetState.takeOver(keys,
        Map.of("zsk-2", new RollPosition("new", true, false, false, false)), variant -> null, T0));
    assertEquals("a ZSK roll taken over needs a key it brings in and a key it takes out; it has "
        + "[ZSK 1003 published] new and [] old", alone.getMessage());
  }

  @Test
  void keyStatesThatNoPhaseOfARollHasAreRefused() {
    KeySetState steady = KeySetState.of(List.of(KeyState.active("ksk-1", SigningRole.KSK, RSASHA256, 1001, T0)));
    KeyState oldZsk = KeyState.active("zsk-1", SigningRole.ZSK, RSASHA256, 1002, T0);
    // Signing before it is published: no roll does that to a ZSK, and resolvers would find no key for its RRSIGs.
    KeyState unpublishedSigner = fresh("zsk-2", SigningRole.ZSK, RSASHA256, 1003).with(Effect.SIGN_ZONE);

    RollStepException refused = assertThrows(RollStepException.class, () -> steady.resume(
        List.of(unpublishedSigner), List.of(oldZsk), List.of(RollType.ZSK_PRE_PUBLISH, RollType.ZSK_DOUBLE_SIGNATURE),
        T0));
    assertTrue(refused.getMessage().startsWith("the roll in progress cannot be taken over (ZSK_PRE_PUBLISH: no phase"),
        refused.getMessage());
    assertTrue(refused.getMessage().endsWith("new keys [ZSK 1003 signing the zone], old keys [ZSK 1002 published, "
        + "signing the zone]"), refused.getMessage());
  }

  @Test
  void aStepOutOfOrderIsRefusedAndSaysWhichStepIsNext() throws Exception {
    KeySetState keys = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0))
        .start(RollType.KSK_DOUBLE_SIGNATURE, List.of(fresh("ksk-2", SigningRole.KSK, ECDSAP256SHA256, 2001)), T0);

    RollStepException skipped = assertThrows(RollStepException.class,
        () -> keys.apply(Variant.KSK, new RollStep.CacheExpired(1), T0.plusSeconds(86_400)));
    assertEquals("the ksk roll waits for propagation1-complete <ttl>, not cache-expired1", skipped.getMessage());
    RollStepException wrongPhase = assertThrows(RollStepException.class,
        () -> keys.apply(Variant.KSK, new RollStep.PropagationComplete(2, Duration.ZERO), T0));
    assertTrue(wrongPhase.getMessage().contains("not propagation2-complete"), wrongPhase.getMessage());
    RollStepException done = assertThrows(RollStepException.class,
        () -> keys.apply(Variant.KSK, new RollStep.RollDone(), T0));
    assertTrue(done.getMessage().contains("not roll-done"), done.getMessage());
    RollStepException none = assertThrows(RollStepException.class,
        () -> keys.apply(Variant.ZSK, new RollStep.RollDone(), T0));
    assertEquals("no zsk roll is in progress", none.getMessage());
  }

  @Test
  void aNewKeyWhoseTagIsTakenIsRefused() {
    KeySetState keys = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0));

    RollStepException collision = assertThrows(RollStepException.class, () -> keys.start(
        RollType.ZSK_PRE_PUBLISH, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 1001)), T0));
    assertEquals("the key tag 1001 of the new key zsk-2 is taken by key ksk-1", collision.getMessage());
  }

  @Test
  void aCskOrAlgorithmRollRunsAloneAndARollBringsInTheKeysItsVariantRolls() throws Exception {
    KeySetState zskRolling = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0))
        .start(RollType.ZSK_PRE_PUBLISH, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002)), T0);

    assertThrows(RollStepException.class, () -> zskRolling.start(
        RollType.CSK, List.of(fresh("csk-2", SigningRole.CSK, ECDSAP256SHA256, 2003)), T0));
    assertThrows(RollStepException.class, () -> zskRolling.start(
        RollType.ZSK_DOUBLE_SIGNATURE, List.of(fresh("zsk-3", SigningRole.ZSK, ECDSAP256SHA256, 2004)), T0));
    assertEquals(2, zskRolling.start(RollType.KSK_DOUBLE_SIGNATURE,
        List.of(fresh("ksk-2", SigningRole.KSK, ECDSAP256SHA256, 2001)), T0).rolls().size());

    KeySetState keys = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0));
    RollStepException role = assertThrows(RollStepException.class, () -> keys.start(
        RollType.KSK_DOUBLE_SIGNATURE, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002)), T0));
    assertEquals("a ksk roll brings in one KSK, not [ZSK]", role.getMessage());
    assertThrows(RollStepException.class, () -> keys.start(
        RollType.ALGORITHM, List.of(fresh("csk-2", SigningRole.CSK, ECDSAP256SHA256, 2003)), T0));
    assertThrows(RollStepException.class, () -> keys.start(
        RollType.ZSK_PRE_PUBLISH, List.of(fresh("zsk-2", SigningRole.ZSK, RSASHA256, 2002)), T0));
    KeySetState csk = KeySetState.of(ResolverCaches.signedZone(true, ECDSAP256SHA256, T0));
    assertEquals("the zone has no key for a ksk roll to take out", assertThrows(RollStepException.class,
        () -> csk.start(RollType.KSK_DOUBLE_SIGNATURE,
            List.of(fresh("ksk-2", SigningRole.KSK, ECDSAP256SHA256, 2001)), T0)).getMessage());
  }

  @Test
  void cdsIsOfferedWhileARollWaitsForTheDsAtTheParentAndTheStatusSaysWhatItWaitsFor() throws Exception {
    KeySetState keys = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0))
        .start(RollType.KSK_DOUBLE_SIGNATURE, List.of(fresh("ksk-2", SigningRole.KSK, ECDSAP256SHA256, 2001)), T0);
    List<String> seen = new ArrayList<>();
    seen.add(keys.roll(Variant.KSK).orElseThrow().waitingFor(T0));
    assertFalse(keys.dsChanging());

    keys = keys.apply(Variant.KSK, new RollStep.PropagationComplete(1, Duration.ofHours(1)), T0);
    seen.add(keys.roll(Variant.KSK).orElseThrow().waitingFor(T0));
    keys = keys.apply(Variant.KSK, new RollStep.CacheExpired(1), T0.plusSeconds(3600));
    seen.add(keys.roll(Variant.KSK).orElseThrow().waitingFor(T0.plusSeconds(3600)));

    assertTrue(keys.dsChanging());
    assertEquals(List.of("ksk-2"), keys.parentKeys().stream().map(KeyState::id).toList());
    assertEquals(List.of(
        "Wait until the new DNSKEY RRset has propagated to the zone's name servers; then propagation1-complete <ttl>",
        "Wait until the caches have expired, at 2026-01-01T01:00:00Z; then cache-expired1",
        "Wait until the new DS RRset has propagated to the parent's name servers; then propagation2-complete <ttl>"),
        seen);
  }

  @Test
  void stepsAreParsedAsTheReferenceNamesThem() {
    assertEquals(new RollStep.PropagationComplete(2, Duration.ofSeconds(300)),
        RollStep.parse("propagation2-complete", 300L));
    assertEquals(new RollStep.CacheExpired(1), RollStep.parse("cache-expired1", null));
    assertEquals(new RollStep.RollDone(), RollStep.parse("roll-done", null));
    assertThrows(IllegalArgumentException.class, () -> RollStep.parse("propagation1-complete", null));
    assertThrows(IllegalArgumentException.class, () -> RollStep.parse("cache-expired1", 60L));
    assertThrows(IllegalArgumentException.class, () -> RollStep.parse("start-roll", null));
  }

  @Test
  void aStartIsCheckedAgainstTheRollsInProgressBeforeAnyKeyIsMade() throws Exception {
    KeySetState zskRolling = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0))
        .start(RollType.ZSK_PRE_PUBLISH, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002)), T0);

    zskRolling.checkStart(Variant.KSK);
    assertEquals("cannot start a zsk roll while a zsk roll is in progress (propagation1-complete <ttl> is next)",
        assertThrows(RollStepException.class, () -> zskRolling.checkStart(Variant.ZSK)).getMessage());
    assertThrows(RollStepException.class, () -> zskRolling.checkStart(Variant.ALGORITHM));
    assertThrows(RollStepException.class, () -> zskRolling.checkStart(Variant.CSK));
  }

  @Test
  void aKeyInUseIsRemovedOnlyByForceAndAnInertOneAtOnce() throws Exception {
    KeySetState keys = KeySetState.of(ResolverCaches.signedZone(false, ECDSAP256SHA256, T0));

    RollStepException inUse = assertThrows(RollStepException.class, () -> keys.remove("ksk-1", false, false));
    assertEquals("key ksk-1 is still published, signing the DNSKEY RRset, at the parent (DS); --force removes it"
        + " anyway, at the risk of signatures no DNSKEY validates and a DS that points at no key: the zone can turn"
        + " bogus", inUse.getMessage());
    assertEquals(List.of("zsk-1"), keys.remove("ksk-1", true, false).keys().stream().map(KeyState::id).toList());
    assertEquals("key zsk-9 is not in the key set",
        assertThrows(RollStepException.class, () -> keys.remove("zsk-9", true, true)).getMessage());

    // A ZSK pre-publish roll past its last phase: the old ZSK is withdrawn and does nothing any longer.
    KeySetState done = keys
        .start(RollType.ZSK_PRE_PUBLISH, List.of(fresh("zsk-2", SigningRole.ZSK, ECDSAP256SHA256, 2002)), T0)
        .apply(Variant.ZSK, new RollStep.PropagationComplete(1, Duration.ZERO), T0)
        .apply(Variant.ZSK, new RollStep.CacheExpired(1), T0)
        .apply(Variant.ZSK, new RollStep.PropagationComplete(2, Duration.ZERO), T0)
        .apply(Variant.ZSK, new RollStep.CacheExpired(2), T0);
    assertTrue(done.key("zsk-1").orElseThrow().inert());
    assertTrue(assertThrows(RollStepException.class, () -> done.remove("zsk-1", false, false)).getMessage()
        .contains("--continue"));
    KeySetState removed = done.remove("zsk-1", false, true);
    assertEquals(List.of("ksk-1", "zsk-2"), removed.keys().stream().map(KeyState::id).toList());
    assertEquals(List.of(), removed.roll(Variant.ZSK).orElseThrow().oldKeys());
    assertTrue(removed.apply(Variant.ZSK, new RollStep.RollDone(), T0).rolls().isEmpty(), "the roll goes on");
    assertTrue(assertThrows(RollStepException.class, () -> done.remove("zsk-2", true, true)).getMessage()
        .contains("is the new key of the zsk roll in progress"));
  }
}
