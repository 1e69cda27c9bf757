package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneProjectorTest {

  private static final String ZONE = "example.com.";
  private static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

  static Policy policy(String name, GateMode unsigned, GateMode signed) {
    return new Policy(name, unsigned, signed, "ECDSAP256SHA256", false, Duration.ofDays(365), Duration.ofDays(30),
        Duration.ofDays(365), KeyRolls.DEFAULT, Duration.ofHours(1), SerialPolicy.UNIX_TIME, Duration.ofDays(1),
        Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12), DenialType.NSEC, false, 0, "");
  }

  private static ZoneProjector.Outcome apply(ZoneState s, ZoneFact f) {
    return ZoneProjector.apply(ZONE, s, f, T0);
  }

  private static ZoneState.SigningReport report() {
    return new ZoneState.SigningReport(10, 4, 9, 0, T0, T0.plusSeconds(1), 2);
  }

  /**
   * A DS change request (issue 14 item 6) shows what to submit and where, and the hook's outcome once it ran; an
   * outcome for an older request does not overwrite the newer request's.
   */
  /** A NOTIFY round (issue 10) is one history line with the serial, naming each secondary and how it went. */
  @Test
  void aNotifyRoundIsOneHistoryLine() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z/example.zone"))
        .state();
    ZoneProjector.Outcome round = apply(s, new ZoneFact.NotifiesSent(9, "1",
        List.of("192.0.2.1:53 answered NOERROR after 2 sends", "192.0.2.2:53^xfr unanswered after 6 sends")));
    assertEquals(List.of("NOTIFY sent by publisher 1: 192.0.2.1:53 answered NOERROR after 2 sends;"
        + " 192.0.2.2:53^xfr unanswered after 6 sends"), events(round));
    assertEquals(9L, round.history().get(0).serial());
  }

  @Test
  void theLatestDsRequestAndItsHookOutcomeAreShown() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z/example.zone"))
        .state();
    String oldDs = "example.com.\t3600\tIN\tDS\t1 13 2 AA";
    String newDs = "example.com.\t3600\tIN\tDS\t2 13 2 BB";
    ZoneProjector.Outcome first = apply(s, new ZoneFact.DsChangeRequested("r1", "com.", List.of(oldDs),
        List.of(oldDs), List.of(), "the zone's first keys", true));
    assertEquals(List.of("DS change requested of the parent com. (the zone's first keys): 1 to add, 0 to remove;"
        + " submission hook started"), events(first));
    ZoneProjector.Outcome second = apply(first.state(), new ZoneFact.DsChangeRequested("r2", "com.", List.of(newDs),
        List.of(newDs), List.of(oldDs), "the ksk roll entered phase 2", true));
    ZoneProjector.Outcome lateRun = apply(second.state(), new ZoneFact.DsHookCompleted("r1", 0, "ok\n", "exited 0"));
    assertEquals(List.of("DS submission hook exited 0"), events(lateRun));
    assertNull(lateRun.state().dsSubmission.hookOutcome(), "r1's outcome is not r2's");
    ZoneState done = apply(lateRun.state(), new ZoneFact.DsHookCompleted("r2", 3, "refused\n", "exited 3")).state();
    ZoneState.DsSubmission shown = done.dsSubmission;
    assertEquals("com.", shown.parent());
    assertEquals(List.of(newDs), shown.ds());
    assertEquals(List.of(newDs), shown.add());
    assertEquals(List.of(oldDs), shown.remove());
    assertEquals(3, shown.hookExitCode());
    assertEquals("exited 3", shown.hookOutcome());
    assertEquals("refused\n", shown.hookOutput());
  }

  @Test
  void aSignatureRefreshIsANewSignedVersionThatPassesTheGateAndIsPublished() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z/example.zone"))
        .state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    s = apply(s, new ZoneFact.Signed("v1", 7, 8, report(), SigningCause.LOADED, "s-v1", null, null)).state();
    s = apply(s, new ZoneFact.Published("v1", 7, 8, 31, T0, null)).state();

    ZoneState.SigningReport reused = new ZoneState.SigningReport(10, 4, 9, 6, T0, T0.plusSeconds(1), 2);
    ZoneProjector.Outcome refreshed =
        apply(s, new ZoneFact.Signed("r1", 7, 9, reused, SigningCause.SIGNATURE_REFRESH, "s-r1", "v1", null));
    assertEquals(List.of("Signing succeeded (triggered by signatures needing refresh)"), events(refreshed));
    assertEquals(List.of(new GateDecision(ZONE, GateStage.SIGNED, "r1", 9L, "s-r1")), refreshed.decisions());
    assertEquals("v1", refreshed.state().unsignedVersionId, "the unsigned version stays the loaded one");
    assertEquals(6, refreshed.state().signingReport.reusedRrsigCount());
    assertEquals(ZoneProgress.PERSISTING_SIGNED_ZONE, refreshed.state().progress);

    ZoneProjector.Outcome published = apply(refreshed.state(), new ZoneFact.Published("r1", 7, 9, 31, T0, null));
    assertEquals(ZoneProgress.IDLE, published.state().progress);

    ZoneProjector.Outcome rekeyed = apply(published.state(),
        new ZoneFact.Signed("k1", 7, 10, report(), SigningCause.KEYS_CHANGED, "s-k1", "v1", null));
    assertEquals(List.of("Signing succeeded (triggered by a change in signing keys)"), events(rekeyed));
  }

  /**
   * Issue 13 item 2: under manual signed review, {@code approve-re-signing} lets the re-signings of the published
   * content through by themselves, and only those: a new version, or a re-signing of content that was never published,
   * waits. The publication shows when its signatures expire.
   */
  @Test
  void approveReSigningPassesReSigningsOfThePublishedContentOnly() {
    Policy manual = new Policy("careful", GateMode.OFF, GateMode.MANUAL, "ECDSAP256SHA256", false,
        Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(365), KeyRolls.DEFAULT, Duration.ofHours(1),
        SerialPolicy.UNIX_TIME, Duration.ofDays(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12),
        DenialType.NSEC, false, 0, "", ParentSettings.DEFAULT, new ReviewSettings(null, null, true, false, false, false),
        null);
    ZoneState s = apply(null, new ZoneFact.Added(manual, "/z")).state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    s = apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "policy", null)).state();
    Instant due = T0.plus(Duration.ofDays(6));
    ZoneProjector.Outcome signed =
        apply(s, new ZoneFact.Signed("v1", 7, 8, report(), SigningCause.LOADED, "s-v1", null, due));
    assertEquals(ZoneProgress.WAITING_FOR_SIGNED_REVIEW, signed.state().progress, "a new version is reviewed");
    s = apply(signed.state(), new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, true, "operator", null)).state();
    s = apply(s, new ZoneFact.Published("v1", 7, 8, 31, T0, null)).state();
    assertEquals(due.plus(Duration.ofDays(7)), s.lastPublished.signaturesExpireAt(), "refresh time + remain time");

    ZoneProjector.Outcome refreshed =
        apply(s, new ZoneFact.Signed("r1", 7, 9, report(), SigningCause.SIGNATURE_REFRESH, "s-r1", "v1", null));
    assertEquals(List.of(new GateDecision(ZONE, GateStage.SIGNED, "r1", 9L, "s-r1")), refreshed.decisions());
    assertEquals(ZoneProgress.PERSISTING_SIGNED_ZONE, refreshed.state().progress);

    // A newer version passes the unsigned gate and is signed, but is rejected at the signed gate: a re-signing of
    // it (new keys) is not the published content, and waits.
    s = apply(refreshed.state(), new ZoneFact.Published("r1", 7, 9, 31, T0, null)).state();
    s = apply(s, new ZoneFact.Loaded("v2", 10, 900, 12, List.of(), "u-v2")).state();
    s = apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v2", 10, true, "policy", null)).state();
    s = apply(s, new ZoneFact.Signed("v2", 10, 11, report(), SigningCause.LOADED, "s-v2", null, null)).state();
    s = apply(s, new ZoneFact.Reviewed(GateStage.SIGNED, "v2", 11, false, "operator", null)).state();
    ZoneProjector.Outcome rekeyed =
        apply(s, new ZoneFact.Signed("k1", 10, 12, report(), SigningCause.KEYS_CHANGED, "s-k1", "v2", null));
    assertTrue(rekeyed.decisions().isEmpty());
    assertEquals(ZoneProgress.WAITING_FOR_SIGNED_REVIEW, rekeyed.state().progress);
  }

  /**
   * Every publisher instance announces what it serves (issue 9): the zone's publication is the first announcement of
   * each newer version, once in history; a lagging instance's announcement of an older version moves nothing back;
   * each instance's last announcement is kept, and one made again keeps its first time.
   */
  @Test
  void announcementsOfSeveralPublishersShowOnePublicationAndWhatEachServes() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z/example.zone"))
        .state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    s = apply(s, new ZoneFact.Signed("v1", 7, 8, report(), SigningCause.LOADED, "s-v1", null, null)).state();

    ZoneProjector.Outcome first = apply(s, new ZoneFact.Published("v1", 7, 8, 31, T0, "publisher-2"));
    assertEquals(List.of("Published"), events(first));
    assertEquals(ZoneProgress.IDLE, first.state().progress);
    ZoneProjector.Outcome second =
        apply(first.state(), new ZoneFact.Published("v1", 7, 8, 31, T0.plusSeconds(1), "publisher-1"));
    assertEquals(List.of(), events(second), "the same publication, served by another instance");
    assertEquals(T0, second.state().lastPublished.timestamp(), "published when first announced");

    s = apply(second.state(), new ZoneFact.Loaded("v2", 9, 900, 12, List.of(), "u-v2")).state();
    s = apply(s, new ZoneFact.Signed("v2", 9, 10, report(), SigningCause.LOADED, "s-v2", null, null)).state();
    ZoneProjector.Outcome newer =
        apply(s, new ZoneFact.Published("v2", 9, 10, 31, T0.plusSeconds(10), "publisher-1"));
    assertEquals(List.of("Published"), events(newer));
    ZoneProjector.Outcome lagging =
        apply(newer.state(), new ZoneFact.Published("v1", 7, 8, 31, T0.plusSeconds(11), "publisher-3"));
    assertEquals(List.of(), events(lagging), "an older version announced late is no publication");
    assertEquals("v2", lagging.state().lastPublished.versionId());
    ZoneProjector.Outcome again =
        apply(lagging.state(), new ZoneFact.Published("v2", 9, 10, 31, T0.plusSeconds(20), "publisher-1"));
    assertEquals(List.of(), events(again));

    assertEquals(List.of(
            new ZoneState.Served("publisher-1", "v2", 10, T0.plusSeconds(10)),
            new ZoneState.Served("publisher-2", "v1", 8, T0),
            new ZoneState.Served("publisher-3", "v1", 8, T0.plusSeconds(11))),
        again.state().servedBy);
  }

  @Test
  void eventsSetAsideAreKeptUntilTheNextPublication() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z/example.zone"))
        .state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    ZoneProjector.Outcome undecodable = apply(s,
        new ZoneFact.SetAside("signer", "cascade.zone-reviews.v1", 3, 17, null, "could not be decoded: x", 0, null));
    assertEquals(List.of("A record that could not be decoded (cascade.zone-reviews.v1 partition 3 offset 17) set"
        + " aside by signer: could not be decoded: x"), events(undecodable));
    for (int i = 0; i < ZoneState.SET_ASIDE_KEPT; i++) {
      s = apply(undecodable.state(), new ZoneFact.SetAside("publisher", "cascade.signed-versions.v1", 0, i,
          "ZoneVersionSigned", "failed " + i, 6, null)).state();
    }
    assertEquals(ZoneState.SET_ASIDE_KEPT, s.setAside.size(), "only the newest are kept");
    assertEquals("failed 0", s.setAside.get(0).reason(), "the oldest, the signer's, made room");
    assertEquals(ZoneProgress.SIGNING, s.progress, "setting an event aside moves no step");

    s = apply(s, new ZoneFact.Signed("v1", 7, 8, report(), SigningCause.LOADED, "s-v1", null, null)).state();
    assertEquals(ZoneState.SET_ASIDE_KEPT, s.setAside.size());
    s = apply(s, new ZoneFact.Published("v1", 7, 8, 31, T0, null)).state();
    assertTrue(s.setAside.isEmpty(), "a later publication shows the pipeline got past them");
  }

  @Test
  void reviewsOffRunStraightThroughWithOneGateApprovalEach() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z/example.zone"))
        .state();
    assertEquals(ZoneProgress.LOADING, s.progress);

    ZoneProjector.Outcome loaded = apply(s, new ZoneFact.Loaded("v1", 2026112801L, 900, 12, List.of(), "u-v1"));
    assertEquals(ZoneProgress.SIGNING, loaded.state().progress);
    assertEquals(List.of(new GateDecision(ZONE, GateStage.UNSIGNED, "v1", 2026112801L, "u-v1")), loaded.decisions());
    assertEquals(List.of("New version received"), events(loaded));

    // The gate's own approval comes back over the topic: recorded, not approved twice.
    ZoneProjector.Outcome approved =
        apply(loaded.state(), new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 2026112801L, true, "policy", null));
    assertTrue(approved.decisions().isEmpty());
    assertEquals(ReviewStatus.APPROVED, approved.state().unsignedReviewStatus);
    assertEquals(ZoneProgress.SIGNING, approved.state().progress);

    ZoneProjector.Outcome signed =
        apply(approved.state(), new ZoneFact.Signed("v1", 2026112801L, 1764295200L, report(), SigningCause.LOADED,
            "s-v1", null, null));
    assertEquals(ZoneProgress.PERSISTING_SIGNED_ZONE, signed.state().progress);
    assertEquals(List.of(new GateDecision(ZONE, GateStage.SIGNED, "v1", 1764295200L, "s-v1")), signed.decisions());
    assertEquals(List.of("Signing succeeded (triggered by loading a new instance)"), events(signed));

    ZoneProjector.Outcome published = apply(signed.state(),
        new ZoneFact.Published("v1", 2026112801L, 1764295200L, 31, T0.plusSeconds(5), null));
    assertEquals(ZoneProgress.IDLE, published.state().progress);
    assertEquals(new ZoneState.LastPublished("v1", 2026112801L, 1764295200L, T0.plusSeconds(5), 31, null),
        published.state().lastPublished);
    assertEquals(List.of("Published"), events(published));
  }

  /**
   * Issue 13 item 1: at a script gate the version waits as under manual review and its hook is due, once per version;
   * the hook's decision and its note go to history, and a hook decision on a version a person decided first changes
   * nothing.
   */
  @Test
  void scriptReviewsWaitForTheirHookOncePerVersion() {
    Policy scripted = new Policy("hooked", GateMode.SCRIPT, GateMode.SCRIPT, "ECDSAP256SHA256", false,
        Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(365), KeyRolls.DEFAULT, Duration.ofHours(1),
        SerialPolicy.UNIX_TIME, Duration.ofDays(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12),
        DenialType.NSEC, false, 0, "", ParentSettings.DEFAULT,
        new ReviewSettings("check-unsigned", "check-signed", false, false, false, false), null);
    ZoneState s = apply(null, new ZoneFact.Added(scripted, "/z")).state();
    ZoneProjector.Outcome loaded = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1"));
    assertEquals(ZoneProgress.WAITING_FOR_LOADED_REVIEW, loaded.state().progress);
    assertTrue(loaded.decisions().isEmpty());
    assertEquals(List.of(new ReviewHookDue(ZONE, GateStage.UNSIGNED, "v1", 7, "u-v1", "check-unsigned")),
        loaded.hooks());
    ZoneProjector.Outcome other = apply(loaded.state(), new ZoneFact.KeysetCommand("e1", "zsk start-roll"));
    assertTrue(other.hooks().isEmpty(), "a version's hook is due once");

    ZoneProjector.Outcome approved = apply(other.state(),
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "hook", "hook exited 0; output: fine"));
    assertEquals(ZoneProgress.SIGNING, approved.state().progress);
    assertEquals(List.of("Unsigned zone review approved: hook exited 0; output: fine"), events(approved));

    ZoneProjector.Outcome signed =
        apply(approved.state(), new ZoneFact.Signed("v1", 7, 8, report(), SigningCause.LOADED, "s-v1", null, null));
    assertEquals(ZoneProgress.WAITING_FOR_SIGNED_REVIEW, signed.state().progress);
    assertEquals(List.of(new ReviewHookDue(ZONE, GateStage.SIGNED, "v1", 8, "s-v1", "check-signed")), signed.hooks());
    ZoneProjector.Outcome byPerson = apply(signed.state(),
        new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, true, "operator", null));
    ZoneProjector.Outcome lateHook = apply(byPerson.state(),
        new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, false, "hook", "hook exited 1"));
    assertEquals(ReviewStatus.APPROVED, lateHook.state().signedReviewStatus);
    assertEquals(ZoneProgress.PERSISTING_SIGNED_ZONE, lateHook.state().progress);
    assertEquals(List.of("Signed zone review rejected: hook exited 1"), events(lateHook));
  }

  @Test
  void manualReviewsWaitForTheOperator() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("review", GateMode.MANUAL, GateMode.MANUAL), "/z"))
        .state();
    ZoneProjector.Outcome loaded = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1"));
    assertEquals(ZoneProgress.WAITING_FOR_LOADED_REVIEW, loaded.state().progress);
    assertTrue(loaded.decisions().isEmpty());
    assertEquals(List.of("New version received", "Unsigned zone review pending"), events(loaded));

    ZoneProjector.Outcome approved =
        apply(loaded.state(), new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "alice", null));
    assertEquals(ZoneProgress.SIGNING, approved.state().progress);
    assertEquals(List.of("Unsigned zone review approved by alice"), events(approved));

    ZoneProjector.Outcome signed =
        apply(approved.state(), new ZoneFact.Signed("v1", 7, 8, report(), SigningCause.LOADED, "s-v1", null, null));
    assertEquals(ZoneProgress.WAITING_FOR_SIGNED_REVIEW, signed.state().progress);
    assertTrue(signed.decisions().isEmpty());
    assertEquals(List.of("Signing succeeded (triggered by loading a new instance)", "Signed zone review pending"),
        events(signed));

    ZoneProjector.Outcome rejected =
        apply(signed.state(), new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, false, "bob", null));
    // The reference's default on-reject = "discard": back to idle, nothing published.
    assertEquals(ZoneProgress.IDLE, rejected.state().progress);
    assertEquals(ReviewStatus.REJECTED, rejected.state().signedReviewStatus);
    assertNull(rejected.state().lastPublished);
    assertEquals(List.of("Signed zone review rejected by bob"), events(rejected));
  }

  @Test
  void unsignedRejectDiscardsTheVersion() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("review", GateMode.MANUAL, GateMode.MANUAL), "/z"))
        .state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    ZoneProjector.Outcome rejected =
        apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, false, "alice", null));
    assertEquals(ZoneProgress.IDLE, rejected.state().progress);
    assertEquals(List.of("Unsigned zone review rejected by alice"), events(rejected));
  }

  @Test
  void decisionOnAReplacedVersionOnlyLeavesHistory() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("review", GateMode.MANUAL, GateMode.MANUAL), "/z"))
        .state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    s = apply(s, new ZoneFact.Loaded("v2", 8, 900, 12, List.of(), "u-v2")).state();
    ZoneProjector.Outcome late = apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "operator", null));
    assertEquals(ZoneProgress.WAITING_FOR_LOADED_REVIEW, late.state().progress);
    assertEquals(ReviewStatus.PENDING, late.state().unsignedReviewStatus);
    assertEquals(8L, late.state().unsignedSerial);
  }

  @Test
  void theSigningOfAReplacedVersionLeavesTheNewerOneReviewable() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("review", GateMode.MANUAL, GateMode.MANUAL), "/z"))
        .state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    s = apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "operator", null)).state();
    // v2 is loaded while the signer signs v1, whose fact comes after v2's.
    s = apply(s, new ZoneFact.Loaded("v2", 8, 900, 12, List.of(), "u-v2")).state();
    ZoneProjector.Outcome late =
        apply(s, new ZoneFact.Signed("v1", 7, 70, report(), SigningCause.LOADED, "s-v1", null, null));
    assertEquals(List.of("Signing succeeded (triggered by loading a new instance)"), events(late));
    assertEquals(ZoneProgress.WAITING_FOR_LOADED_REVIEW, late.state().progress);
    assertNull(late.state().signedVersionId);
    assertTrue(late.decisions().isEmpty());

    ZoneProjector.Outcome approved =
        apply(late.state(), new ZoneFact.Reviewed(GateStage.UNSIGNED, "v2", 8, true, "operator", null));
    assertEquals(ZoneProgress.SIGNING, approved.state().progress, "the newer version is still approvable");
    ZoneProjector.Outcome signed =
        apply(approved.state(), new ZoneFact.Signed("v2", 8, 80, report(), SigningCause.LOADED, "s-v2", null, null));
    assertEquals(ZoneProgress.WAITING_FOR_SIGNED_REVIEW, signed.state().progress);
    assertEquals(80L, signed.state().signedSerial);
  }

  @Test
  void theSigningOfAReplacedVersionIsNotPublishedUnderReviewsOff() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z")).state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    s = apply(s, new ZoneFact.Loaded("v2", 8, 900, 12, List.of(), "u-v2")).state();
    ZoneProjector.Outcome late =
        apply(s, new ZoneFact.Signed("v1", 7, 70, report(), SigningCause.LOADED, "s-v1", null, null));
    assertTrue(late.decisions().isEmpty(), "the signed gate approves only the current version's signing");
    assertEquals(ZoneProgress.SIGNING, late.state().progress);
  }

  @Test
  void loadFailureKeepsFileAndLineAndGoesIdle() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z")).state();
    ZoneProjector.Outcome failed =
        apply(s, new ZoneFact.LoadFailed("/z/example.zone", 12, "unknown type FOO"));
    assertEquals(ZoneProgress.IDLE, failed.state().progress);
    assertEquals("/z/example.zone:12: unknown type FOO", failed.state().error.message());
    assertEquals(12, failed.state().error.line());
    assertEquals(List.of("Loading failed: /z/example.zone:12: unknown type FOO"), events(failed));

    ZoneProjector.Outcome reload = apply(failed.state(), new ZoneFact.ReloadRequested("/z", null));
    assertEquals(ZoneProgress.LOADING, reload.state().progress);
    assertEquals(List.of("Started load"), events(reload));
    ZoneProjector.Outcome loaded = apply(reload.state(), new ZoneFact.Loaded("v1", 1, 9, 3, List.of(), "u-v1"));
    assertNull(loaded.state().error, "a good load clears the last error");
  }

  @Test
  void aReloadWithNewSettingsChangesThePolicyAndTheSourceAndSaysSo() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z")).state();
    s = apply(s, new ZoneFact.Loaded("v1", 1, 9, 3, List.of(), "u-v1")).state();
    ZoneProgress before = s.progress;

    ZoneProjector.Outcome policySet =
        apply(s, new ZoneFact.ReloadRequested("/z", policy("review", GateMode.MANUAL, GateMode.MANUAL)));
    assertEquals("review", policySet.state().policy.name());
    assertEquals(GateMode.MANUAL, policySet.state().policy.unsignedReview());
    assertEquals(List.of("Policy set to 'review': in effect from the next version"), events(policySet));
    assertEquals(before, policySet.state().progress, "the same file: no load is shown");

    ZoneProjector.Outcome reloaded =
        apply(policySet.state(), new ZoneFact.ReloadRequested("/y", policy("review", GateMode.OFF, GateMode.OFF)));
    assertEquals("/y", reloaded.state().source);
    assertEquals(GateMode.OFF, reloaded.state().policy.unsignedReview());
    assertEquals(List.of("Source set to /y", "Policy 'review' reloaded: in effect from the next version",
        "Started load"), events(reloaded));
  }

  @Test
  void aFailedReloadLeavesTheVersionUnderReviewReviewable() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("review", GateMode.MANUAL, GateMode.MANUAL), "/z"))
        .state();
    s = apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
    s = apply(s, new ZoneFact.ReloadRequested("/z", null)).state();
    assertEquals(ZoneProgress.LOADING, s.progress);
    ZoneState failed = apply(s, new ZoneFact.LoadFailed("/z/example.zone", 3, "syntax error")).state();
    assertEquals(ZoneProgress.WAITING_FOR_LOADED_REVIEW, failed.progress);
    assertEquals("v1", failed.unsignedVersionId);
    assertEquals("/z/example.zone:3: syntax error", failed.error.message());
    ZoneProjector.Outcome approved =
        apply(failed, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "operator", null));
    assertEquals(ZoneProgress.SIGNING, approved.state().progress);
  }

  @Test
  void signingFailureHaltsWithReason() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z")).state();
    s = apply(s, new ZoneFact.Loaded("v1", 1, 9, 3, List.of(), "u-v1")).state();
    ZoneProjector.Outcome failed = apply(s, new ZoneFact.SigningFailed("v1", 1, "verification gate: RRSIG expired"));
    assertEquals(ZoneProgress.SIGNING_FAILED, failed.state().progress);
    assertTrue(failed.state().progress.halted());
    assertEquals(List.of("Signing failed: verification gate: RRSIG expired"), events(failed));
  }

  @Test
  void keysAreRecordedWithTheirRolesAndAnEmptySetRetiresThem() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z")).state();
    ZoneProjector.Outcome keys = apply(s, new ZoneFact.KeysChanged(3600, List.of(
        new ZoneState.KeyInfo(56940, "KSK", 13, 257, "db:keymanager/a", T0, null, null, null),
        new ZoneState.KeyInfo(61464, "ZSK", 13, 256, "db:keymanager/b", T0, null, null, null)), List.of(), null));
    assertEquals(2, keys.state().keys.size());
    assertEquals(3600L, keys.state().dnskeyTtl);
    assertEquals(List.of("Keys changed: KSK tagged 56940, ZSK tagged 61464"), events(keys));

    ZoneProjector.Outcome retired = apply(keys.state(), new ZoneFact.KeysChanged(0, List.of(), List.of(), null));
    assertTrue(retired.state().keys.isEmpty());
    assertEquals(List.of("Keys retired"), events(retired));
  }

  @Test
  void aKeyRollInProgressIsRecordedWithWhatItWaitsFor() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z")).state();
    ZoneState.KeyUse signing = new ZoneState.KeyUse(true, false, true, false);
    ZoneState.KeyUse prePublished = new ZoneState.KeyUse(true, false, false, false);
    ZoneState.RollInfo roll = new ZoneState.RollInfo("ZSK_PRE_PUBLISH", List.of(11111), List.of(61464), 1,
        "PROPAGATION", T0, 0);
    ZoneProjector.Outcome keys = apply(s, new ZoneFact.KeysChanged(3600, List.of(
        new ZoneState.KeyInfo(61464, "ZSK", 13, 256, "db:keymanager/b", T0, null, signing, null),
        new ZoneState.KeyInfo(11111, "ZSK", 13, 256, "db:keymanager/c", T0, null, prePublished, null)),
        List.of(roll), null));
    assertEquals(List.of(roll), keys.state().rolls);
    assertEquals(List.of("Keys changed: ZSK tagged 61464, ZSK tagged 11111; zsk roll, next step propagation1-complete"
        + " <ttl>"), events(keys));
    assertEquals("zsk", roll.variant());
    assertEquals("Wait until the new DNSKEY RRset has propagated to the zone's name servers; then propagation1-complete"
        + " <ttl>",
        roll.waitingFor(T0));

    ZoneState.RollInfo expiring = new ZoneState.RollInfo("ZSK_PRE_PUBLISH", List.of(11111), List.of(61464), 1,
        "CACHE_EXPIRY", T0, 3600);
    assertEquals("cache-expired1", expiring.nextStep());
    assertEquals("Wait until the caches have expired, at " + T0.plusSeconds(3600) + "; then cache-expired1",
        expiring.waitingFor(T0.plusSeconds(60)));
    ZoneState done = apply(keys.state(), new ZoneFact.KeysChanged(3600, List.of(
        new ZoneState.KeyInfo(11111, "ZSK", 13, 256, "db:keymanager/c", T0, null, signing, null)), List.of(), null))
        .state();
    assertTrue(done.rolls.isEmpty(), "a roll no longer announced is over");
  }

  @Test
  void removedZoneDisappearsAndLateFactsAreIgnored() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z")).state();
    ZoneProjector.Outcome removed = apply(s, new ZoneFact.Removed("operator"));
    assertFalse(removed.state().registered());
    assertEquals(List.of("Zone removed"), events(removed));
    ZoneProjector.Outcome late = apply(removed.state(), new ZoneFact.Loaded("v1", 1, 9, 3, List.of(), "u-v1"));
    assertFalse(late.state().registered());
    assertNull(late.state().unsignedVersionId);
    assertTrue(late.state().held.isEmpty(), "a fact about a removed zone is not held for it");
    assertTrue(late.history().isEmpty());
    assertTrue(late.decisions().isEmpty());

    ZoneProjector.Outcome again = apply(late.state(), new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z"));
    assertTrue(again.state().registered(), "a removed zone can be added again");
    assertEquals(ZoneProgress.LOADING, again.state().progress);
  }

  @Test
  void factsArrivingBeforeTheZoneIsAddedAreHeldAndAppliedRightAfterIt() {
    ZoneState s = apply(null, new ZoneFact.KeysChanged(3600, List.of(), List.of(), null)).state();
    s = ZoneProjector.apply(ZONE, s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1"), T0.plusSeconds(2))
        .state();
    assertFalse(s.registered());
    assertEquals(2, s.held.size());

    ZoneProjector.Outcome added = ZoneProjector.apply(ZONE, s,
        new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z"), T0.plusSeconds(1));
    assertTrue(added.state().registered());
    assertTrue(added.state().held.isEmpty());
    assertEquals(List.of("Zone added", "Keys retired", "New version received"), events(added));
    assertEquals(T0.plusSeconds(2), added.history().get(2).when(), "a held fact keeps the time it occurred");
    assertEquals(ZoneProgress.SIGNING, added.state().progress);
    assertEquals(List.of(new GateDecision(ZONE, GateStage.UNSIGNED, "v1", 7L, "u-v1")), added.decisions());
  }

  @Test
  void heldFactsAreBoundedForAZoneThatIsNeverAdded() {
    ZoneState s = null;
    for (int i = 0; i <= ZoneState.HELD_KEPT; i++) {
      s = apply(s, new ZoneFact.Loaded("v" + i, i, 900, 12, List.of(), "u-v" + i)).state();
    }
    assertEquals(ZoneState.HELD_KEPT, s.held.size());
    assertEquals("v1", ((ZoneFact.Loaded) s.held.get(0).fact()).versionId(), "the oldest is dropped");
  }

  @Test
  void progressLabelsAreTheReferenceWording() {
    assertEquals("idle", ZoneProgress.IDLE.label());
    assertEquals("waiting for loaded review", ZoneProgress.WAITING_FOR_LOADED_REVIEW.label());
    assertEquals("waiting for signed review", ZoneProgress.WAITING_FOR_SIGNED_REVIEW.label());
    assertEquals("persisting signed zone", ZoneProgress.PERSISTING_SIGNED_ZONE.label());
  }

  @Test
  void zoneNamesAreLowerCaseAndAbsolute() {
    assertEquals("example.com.", ZoneNames.normalise("Example.COM"));
    assertEquals("example.com.", ZoneNames.normalise("example.com."));
    assertEquals(".", ZoneNames.normalise("."));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ZoneNames.normalise("a..b"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ZoneNames.normalise("a b.example"));
  }

  /**
   * A zone loaded from a primary (issue 10): the version names its transfer in history and status, a failed refresh
   * its cause, which stays for an alert until a version loads again.
   */
  @Test
  void aTransferInIsShownWithItsKindAndAFailureWithItsCause() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "192.0.2.1:53"))
        .state();
    ZoneProjector.Outcome loaded = apply(s, new ZoneFact.Loaded("v1", 7, 0, 12, List.of(), "u-v1", "IXFR"));
    assertEquals(List.of("New version received by IXFR"), events(loaded));
    assertEquals(new ZoneState.TransferIn("IXFR", 7, T0), loaded.state().lastTransferIn);
    ZoneProjector.Outcome expired = apply(loaded.state(), new ZoneFact.LoadFailed(null, null,
        "no successful refresh since ...", "expired"));
    assertEquals(List.of("Loading failed: expired: no successful refresh since ..."), events(expired));
    assertEquals("expired", expired.state().transferFailureCause);
    assertEquals(new ZoneState.TransferIn("IXFR", 7, T0), expired.state().lastTransferIn, "the last one stays");
    ZoneState again = apply(expired.state(), new ZoneFact.Loaded("v2", 8, 0, 12, List.of(), "u-v2", "AXFR")).state();
    assertNull(again.transferFailureCause);
  }

  private static List<String> events(ZoneProjector.Outcome o) {
    return o.history().stream().map(HistoryEntry::event).toList();
  }

  /** A keyset command is named in history when given, and again with the key manager's answer, whichever it is. */
  @Test
  void aKeysetCommandIsAnsweredInHistoryByItsKeySetOrItsRefusal() {
    ZoneState s = apply(null, new ZoneFact.Added(policy("default", GateMode.OFF, GateMode.OFF), "/z")).state();
    ZoneProjector.Outcome given = apply(s, new ZoneFact.KeysetCommand("c-1", "zsk start-roll"));
    assertEquals(List.of("Keyset command 'zsk start-roll' given"), events(given));
    s = apply(given.state(), new ZoneFact.KeysetCommand("c-2", "zsk roll-done")).state();

    ZoneProjector.Outcome refused = apply(s, new ZoneFact.SetAside("keymanager", "cascade.keyset-commands.v1", 0, 4,
        "KeyRollStepRequested", "the zsk roll waits for propagation1-complete <ttl>, not roll-done", 1, "c-2"));
    assertEquals(List.of("Keyset command 'zsk roll-done' failed with error: the zsk roll waits for"
        + " propagation1-complete <ttl>, not roll-done"), events(refused));
    ZoneProjector.Outcome started = apply(refused.state(), new ZoneFact.KeysChanged(3600, List.of(
        new ZoneState.KeyInfo(61464, "ZSK", 13, 256, "db:keymanager/b", T0, null, null, null)), List.of(), "c-1"));
    assertEquals(List.of("Keyset command 'zsk start-roll' succeeded", "Keys changed: ZSK tagged 61464"),
        events(started));
    assertTrue(started.state().keysetCommands.isEmpty(), "both answered");
    ZoneProjector.Outcome automatic = apply(started.state(), new ZoneFact.KeysChanged(3600, List.of(), List.of(),
        "roll/x"));
    assertEquals(List.of("Keys retired"), events(automatic));
  }
}
