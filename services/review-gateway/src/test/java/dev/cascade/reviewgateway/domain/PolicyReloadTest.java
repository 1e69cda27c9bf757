package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyReloadTest {

  private static final Policy DEFAULT = ZoneProjectorTest.policy("default", GateMode.OFF, GateMode.OFF);
  private static final Policy REVIEW = ZoneProjectorTest.policy("review", GateMode.MANUAL, GateMode.MANUAL);

  private static ZoneState zone(String name, Policy policy) {
    ZoneState s = new ZoneState();
    s.name = name;
    s.source = "/z/" + name + "zone";
    s.policy = policy;
    s.addedAt = Instant.parse("2026-12-07T00:00:00Z");
    return s;
  }

  @Test
  void anEditedPolicyIsUpdatedAndEveryZoneWithAnOlderCopyGetsIt() {
    Policy edited = ZoneProjectorTest.policy("default", GateMode.MANUAL, GateMode.OFF);
    ZoneState a = zone("a.", DEFAULT);
    ZoneState b = zone("b.", REVIEW);
    PolicyReload.Outcome outcome = PolicyReload.of(Map.of("default", edited, "review", REVIEW), List.of(), Set.of(),
        Map.of("default", PolicyReload.digest(DEFAULT), "review", PolicyReload.digest(REVIEW)), List.of(a, b));

    assertEquals(Map.of("default", PolicyReload.Change.UPDATED, "review", PolicyReload.Change.UNCHANGED),
        outcome.changes());
    assertEquals(List.of(new PolicyReload.ZoneUpdate("a.", a.source, edited)), outcome.updates());
    assertEquals(PolicyReload.digest(edited), outcome.known().get("default"));
    assertEquals(List.of(), outcome.warnings());
  }

  @Test
  void nsec3ParametersThatRfc9276AdvisesAgainstAreWarnedAboutAndStillTaken() {
    Policy salted = new Policy("salted", GateMode.OFF, GateMode.OFF, "ECDSAP256SHA256", false,
        Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(365), KeyRolls.DEFAULT, Duration.ofHours(1),
        SerialPolicy.UNIX_TIME, Duration.ofDays(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12),
        DenialType.NSEC3, false, 10, "aabbccdd");
    PolicyReload.Outcome outcome = PolicyReload.of(Map.of("salted", salted, "default", DEFAULT), List.of(), Set.of(),
        Map.of(), List.of());

    assertEquals(PolicyReload.Change.ADDED, outcome.changes().get("salted"));
    assertEquals(List.of("policy 'salted': NSEC3 with 10 additional iterations and a salt: RFC 9276 §3.1 advises 0 "
        + "iterations and no salt; validators may treat additional iterations as insecure (RFC 9276 §3.2)"),
        outcome.warnings());
  }

  @Test
  void newAndVanishedFilesAreAddedAndRemovedUnlessZonesStillUseThem() {
    Policy fresh = ZoneProjectorTest.policy("fresh", GateMode.OFF, GateMode.MANUAL);
    PolicyReload.Outcome outcome = PolicyReload.of(Map.of("fresh", fresh), List.of(), Set.of(),
        Map.of("default", PolicyReload.digest(DEFAULT), "old", "00"), List.of(zone("a.", DEFAULT)));

    assertEquals(Map.of("fresh", PolicyReload.Change.ADDED, "old", PolicyReload.Change.REMOVED,
        "default", PolicyReload.Change.UNCHANGED), outcome.changes());
    assertEquals(Map.of("fresh", PolicyReload.digest(fresh), "default", PolicyReload.digest(DEFAULT)),
        outcome.known());
    assertEquals(List.of(), outcome.updates());
    assertEquals(1, outcome.warnings().size());
    assertTrue(outcome.warnings().get(0).contains("'default' has no file any more but is used by a."),
        outcome.warnings().get(0));
  }

  @Test
  void aPolicyWhoseFileNoLongerParsesKeepsItsZonesOnTheirSettings() {
    PolicyReload.Outcome outcome = PolicyReload.of(Map.of(), List.of("default.toml: line 3: unknown key 'x'"),
        Set.of("default"), Map.of("default", PolicyReload.digest(DEFAULT)), List.of(zone("a.", DEFAULT)));

    assertEquals(Map.of("default", PolicyReload.Change.UNCHANGED), outcome.changes());
    assertEquals(List.of(), outcome.updates());
    assertEquals(Map.of("default", PolicyReload.digest(DEFAULT)), outcome.known());
    assertEquals(List.of("default.toml: line 3: unknown key 'x'", "policy 'default' is not usable, so a. keep their "
        + "settings"), outcome.warnings());
  }

  @Test
  void aZoneWhoseCopyDiffersIsUpdatedEvenWhenTheFileDidNotChangeSinceTheLastReload() {
    Policy current = ZoneProjectorTest.policy("default", GateMode.MANUAL, GateMode.OFF);
    ZoneState removed = zone("gone.", DEFAULT);
    removed.removedAt = Instant.parse("2026-12-07T01:00:00Z");
    PolicyReload.Outcome outcome = PolicyReload.of(Map.of("default", current), List.of(), Set.of(),
        Map.of("default", PolicyReload.digest(current)), List.of(zone("a.", DEFAULT), removed));

    assertEquals(Map.of("default", PolicyReload.Change.UPDATED), outcome.changes());
    assertEquals(List.of("a."), outcome.updates().stream().map(PolicyReload.ZoneUpdate::zone).toList());
  }

  @Test
  void theDigestTellsEverySettingApart() {
    assertEquals(PolicyReload.digest(DEFAULT), PolicyReload.digest(
        ZoneProjectorTest.policy("default", GateMode.OFF, GateMode.OFF)));
    assertNotEquals(PolicyReload.digest(DEFAULT), PolicyReload.digest(
        ZoneProjectorTest.policy("default", GateMode.OFF, GateMode.MANUAL)));
  }
}
