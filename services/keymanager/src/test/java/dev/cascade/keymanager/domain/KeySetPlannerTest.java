package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.SigningRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cascade.dnssec.keys.Algorithms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeySetPlannerTest {

  private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");
  private static final int P256 = Algorithms.ECDSAP256SHA256;
  private static final KeyPolicy SPLIT =
      KeyPolicy.of("ECDSAP256SHA256", false, 365 * 86400L, 30 * 86400L, 365 * 86400L, 3600, RollSettings.REFERENCE);
  private static final KeyPolicy CSK =
      KeyPolicy.of("ECDSAP256SHA256", true, 365 * 86400L, 30 * 86400L, 365 * 86400L, 3600, RollSettings.REFERENCE);

  private static ExistingKey key(SigningRole role, int algorithm, Instant expiresAt, boolean retired, String by) {
    return new ExistingKey(UUID.randomUUID(), 1000 + role.ordinal(), algorithm, role, expiresAt, retired, by);
  }

  private static Instant later() {
    return NOW.plus(Duration.ofDays(10));
  }

  @Test
  void zoneWithoutKeysGetsANewSet() {
    assertInstanceOf(KeySetPlan.Generate.class, KeySetPlanner.plan(List.of(), SPLIT, "e1", NOW));
  }

  @Test
  void activeKeysFromAnEarlierAddAreKeptWithoutAnnouncement() {
    List<ExistingKey> keys =
        List.of(key(SigningRole.KSK, P256, later(), false, "e0"), key(SigningRole.ZSK, P256, later(), false, "e0"));

    assertInstanceOf(KeySetPlan.KeepQuiet.class, KeySetPlanner.plan(keys, SPLIT, "e1", NOW));
  }

  @Test
  void activeKeysMadeForThisSameEventAreAnnouncedAgain() {
    List<ExistingKey> keys =
        List.of(key(SigningRole.KSK, P256, later(), false, "e1"), key(SigningRole.ZSK, P256, later(), false, "e1"));

    assertInstanceOf(KeySetPlan.AnnounceActive.class, KeySetPlanner.plan(keys, SPLIT, "e1", NOW));
  }

  @Test
  void retiredKeysThatFitThePolicyComeBack() {
    ExistingKey ksk = key(SigningRole.KSK, P256, null, true, "e0");
    ExistingKey zsk = key(SigningRole.ZSK, P256, later(), true, "e0");

    KeySetPlan.Reactivate plan =
        assertInstanceOf(KeySetPlan.Reactivate.class, KeySetPlanner.plan(List.of(ksk, zsk), SPLIT, "e1", NOW));

    assertEquals(List.of(ksk.id(), zsk.id()), plan.keyIds());
  }

  @Test
  void theLongestLivedRetiredKeyOfARoleIsChosen() {
    ExistingKey soon = key(SigningRole.CSK, P256, NOW.plusSeconds(60), true, "e0");
    ExistingKey lasting = key(SigningRole.CSK, P256, later(), true, "e0");

    KeySetPlan.Reactivate plan =
        assertInstanceOf(KeySetPlan.Reactivate.class, KeySetPlanner.plan(List.of(soon, lasting), CSK, "e1", NOW));

    assertEquals(List.of(lasting.id()), plan.keyIds());
  }

  @Test
  void retiredKeysOfAnotherAlgorithmAreNotReused() {
    List<ExistingKey> keys =
        List.of(
            key(SigningRole.KSK, Algorithms.ED25519, later(), true, "e0"),
            key(SigningRole.ZSK, Algorithms.ED25519, later(), true, "e0"));

    assertInstanceOf(KeySetPlan.Generate.class, KeySetPlanner.plan(keys, SPLIT, "e1", NOW));
  }

  @Test
  void expiredRetiredKeysAreNotReused() {
    List<ExistingKey> keys =
        List.of(key(SigningRole.KSK, P256, later(), true, "e0"), key(SigningRole.ZSK, P256, NOW, true, "e0"));

    assertInstanceOf(KeySetPlan.Generate.class, KeySetPlanner.plan(keys, SPLIT, "e1", NOW));
  }

  @Test
  void retiredSplitKeysDoNotServeACskPolicy() {
    List<ExistingKey> keys =
        List.of(key(SigningRole.KSK, P256, later(), true, "e0"), key(SigningRole.ZSK, P256, later(), true, "e0"));

    assertInstanceOf(KeySetPlan.Generate.class, KeySetPlanner.plan(keys, CSK, "e1", NOW));
  }
}
