package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The halt state machine (issue 13 item 2, cascade-reference.md §1.3): which operator command is legal in which state
 * ({@link ZoneHalts#refusal}), and what the projector makes of a rejection under {@code on-reject = "halt"}, an
 * override, a reset, the operator's halt and resume.
 */
class ZoneHaltsTest {

  private static final String ZONE = "example.com.";
  private static final Instant T0 = Instant.parse("2026-12-08T04:00:00Z");

  /** Manual review at both gates; {@code on-reject = "halt"} at the gates named. */
  private static Policy policy(boolean haltUnsigned, boolean haltSigned, boolean approveReSigning) {
    return new Policy("halting", GateMode.MANUAL, GateMode.MANUAL, "ECDSAP256SHA256", false,
        Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(365), KeyRolls.DEFAULT, Duration.ofHours(1),
        SerialPolicy.UNIX_TIME, Duration.ofDays(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12),
        DenialType.NSEC, false, 0, "", ParentSettings.DEFAULT,
        new ReviewSettings(null, null, approveReSigning, haltUnsigned, haltSigned, false), null);
  }

  private static ZoneProjector.Outcome apply(ZoneState s, ZoneFact f) {
    return ZoneProjector.apply(ZONE, s, f, T0);
  }

  private static ZoneState.SigningReport report() {
    return new ZoneState.SigningReport(10, 4, 9, 0, T0, T0.plusSeconds(1), 2);
  }

  private static List<String> events(ZoneProjector.Outcome o) {
    return o.history().stream().map(HistoryEntry::event).toList();
  }

  /** A zone with version v1 (serial 7) waiting at the unsigned gate. */
  private static ZoneState waitingUnsigned(Policy policy) {
    ZoneState s = apply(null, new ZoneFact.Added(policy, "/z")).state();
    return apply(s, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1")).state();
  }

  /** v1 approved, signed (serial 8) and waiting at the signed gate. */
  private static ZoneState waitingSigned(Policy policy) {
    ZoneState s = waitingUnsigned(policy);
    s = apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "operator", null)).state();
    return apply(s, new ZoneFact.Signed("v1", 7, 8, report(), SigningCause.LOADED, "s-v1", null, null)).state();
  }

  private static Optional<String> refusal(ZoneState s, ZoneHalts.Command c) {
    return ZoneHalts.refusal(s, c);
  }

  @Test
  void anUnsignedRejectionUnderHaltStopsTheZoneUntilOverridden() {
    ZoneProjector.Outcome rejected = apply(waitingUnsigned(policy(true, false, false)),
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, false, "hook", "hook exited 3"));
    ZoneState s = rejected.state();
    assertEquals(ZoneProgress.HALTED_AFTER_LOADED_REVIEW, s.progress);
    assertEquals(new ZoneState.Halt(HaltCause.LOADED_REVIEW, "Unsigned zone review rejected: hook exited 3", "hook",
        T0, "v1", 7L, "u-v1"), s.halt);
    assertEquals(List.of("Unsigned zone review rejected: hook exited 3",
        "Zone halted: rejected at the loaded review by hook (on-reject = \"halt\"); run cascade zone override"
            + " --unsigned example.com. or cascade zone reset example.com."), events(rejected));

    // A new version (a primary's refresh) is not taken up: the halted one stays what an override is about.
    ZoneProjector.Outcome later = apply(s, new ZoneFact.Loaded("v2", 9, 900, 12, List.of(), "u-v2"));
    assertEquals(ZoneProgress.HALTED_AFTER_LOADED_REVIEW, later.state().progress);
    assertEquals("v1", later.state().unsignedVersionId);
    assertEquals(List.of("New version received: not taken up, the zone is halted after loaded review (reset it,"
        + " then reload)"), events(later));

    assertEquals(Optional.empty(), refusal(s, ZoneHalts.Command.OVERRIDE_UNSIGNED));
    assertEquals(Optional.empty(), refusal(s, ZoneHalts.Command.RESET));
    assertEquals(Optional.of("Zone example.com. has no rejected signed version to override (status: halted after"
        + " loaded review)"), refusal(s, ZoneHalts.Command.OVERRIDE_SIGNED));
    assertEquals(Optional.of("Zone example.com. is halted after loaded review, not halted by the operator: run"
        + " cascade zone override --unsigned example.com. or cascade zone reset example.com."),
        refusal(s, ZoneHalts.Command.RESUME));
    assertEquals(Optional.of("Zone example.com. is halted already (halted after loaded review)"),
        refusal(s, ZoneHalts.Command.HALT));

    ZoneProjector.Outcome overridden = apply(later.state(),
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "operator", "override", true));
    assertEquals(ZoneProgress.SIGNING, overridden.state().progress);
    assertNull(overridden.state().halt);
    assertEquals(ReviewStatus.APPROVED, overridden.state().unsignedReviewStatus);
    assertEquals(List.of("Unsigned zone review overridden by operator: the rejected version goes on"),
        events(overridden));
    assertEquals(Optional.of("Zone is not halted (status: signing)"),
        refusal(overridden.state(), ZoneHalts.Command.RESET));
  }

  @Test
  void withoutHaltARejectionIsSoftAndHaltsNothing() {
    ZoneState s = apply(waitingUnsigned(policy(false, false, false)),
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, false, "operator", null)).state();
    assertEquals(ZoneProgress.IDLE, s.progress);
    assertNull(s.halt);
    assertEquals(Optional.empty(), ZoneHalts.current(s));
    assertEquals(Optional.of("Zone is not halted (status: idle)"), refusal(s, ZoneHalts.Command.RESET));
    // The next version goes through.
    assertEquals(ZoneProgress.WAITING_FOR_LOADED_REVIEW,
        apply(s, new ZoneFact.Loaded("v2", 9, 900, 12, List.of(), "u-v2")).state().progress);
  }

  @Test
  void aSignedRejectionUnderHaltPublishesOnlyOnOverride() {
    ZoneState s = apply(waitingSigned(policy(false, true, false)),
        new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, false, "operator", null)).state();
    assertEquals(ZoneProgress.HALTED_AFTER_SIGNED_REVIEW, s.progress);
    assertEquals(HaltCause.SIGNED_REVIEW, s.halt.cause());
    assertEquals(List.of("cascade zone override --signed example.com.", "cascade zone reset example.com."),
        ZoneHalts.recovery(ZONE, s.halt.cause()));
    // A re-signing of the rejected version is history only.
    ZoneProjector.Outcome resigned =
        apply(s, new ZoneFact.Signed("r1", 7, 9, report(), SigningCause.SIGNATURE_REFRESH, "s-r1", "v1", null));
    assertEquals("v1", resigned.state().signedVersionId);
    assertTrue(resigned.decisions().isEmpty());
    assertEquals(Optional.of("Zone example.com. has no rejected loaded version to override (status: halted after"
        + " signed review)"), refusal(s, ZoneHalts.Command.OVERRIDE_UNSIGNED));

    s = apply(resigned.state(), new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, true, "operator", "override", true))
        .state();
    assertEquals(ZoneProgress.PERSISTING_SIGNED_ZONE, s.progress);
    assertNull(s.halt);
    s = apply(s, new ZoneFact.Published("v1", 7, 8, 31, T0, null)).state();
    assertEquals(ZoneProgress.IDLE, s.progress);
    assertEquals(8L, s.lastPublished.signedSerial());
  }

  @Test
  void aResetDropsTheVersionAndSendsAWaitingReSigningToReview() {
    // Published v1; v2 is rejected at the unsigned gate and halts; the signer then renews v1's signatures.
    Policy policy = policy(true, false, false);
    ZoneState s = waitingSigned(policy);
    s = apply(s, new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, true, "operator", null)).state();
    s = apply(s, new ZoneFact.Published("v1", 7, 8, 31, T0, null)).state();
    s = apply(s, new ZoneFact.Loaded("v2", 9, 900, 12, List.of(), "u-v2")).state();
    s = apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v2", 9, false, "operator", null)).state();
    ZoneProjector.Outcome resigned =
        apply(s, new ZoneFact.Signed("r1", 7, 10, report(), SigningCause.SIGNATURE_REFRESH, "s-r1", "v1", null));
    assertEquals(ZoneProgress.HALTED_AFTER_LOADED_REVIEW, resigned.state().progress, "the halt holds");
    assertEquals(ReviewStatus.PENDING, resigned.state().signedReviewStatus, "the re-signing is tracked");
    assertEquals(List.of("Signing succeeded (triggered by signatures needing refresh)", "Signed zone review pending"),
        events(resigned));

    ZoneProjector.Outcome reset = apply(resigned.state(), new ZoneFact.Reset("operator", "v2"));
    assertNull(reset.state().halt);
    assertEquals(ZoneProgress.WAITING_FOR_SIGNED_REVIEW, reset.state().progress);
    assertEquals(ReviewStatus.REJECTED, reset.state().unsignedReviewStatus);
    assertEquals(List.of("Zone reset by operator (rejected at the loaded review): the version is dropped"),
        events(reset));
    assertEquals(9L, reset.history().get(0).serial());
  }

  @Test
  void aResetClearsAFailedSigningWhichCannotBeOverridden() {
    ZoneState s = waitingUnsigned(policy(false, false, false));
    s = apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "operator", null)).state();
    s = apply(s, new ZoneFact.SigningFailed("v1", 7, "no keys")).state();
    ZoneState.Halt halt = ZoneHalts.current(s).orElseThrow();
    assertEquals(HaltCause.SIGNING_FAILED, halt.cause());
    assertEquals("no keys", halt.reason());
    assertEquals("signer", halt.by());
    assertEquals(Optional.of("Zone example.com. has no rejected loaded version to override (status: signing"
        + " failed); a failed signing cannot be overridden, only reset"),
        refusal(s, ZoneHalts.Command.OVERRIDE_UNSIGNED));
    ZoneState reset = apply(s, new ZoneFact.Reset("operator", "v1")).state();
    assertEquals(ZoneProgress.IDLE, reset.progress);
    assertNull(reset.error);
    assertEquals(Optional.empty(), ZoneHalts.current(reset));
  }

  /**
   * The operator's halt holds the gates where the zone stands: a policy that reviews nothing approves nothing while
   * it lasts, and approves on resume.
   */
  @Test
  void theOperatorsHaltHoldsTheGatesUntilResumed() {
    Policy off = new Policy("default", GateMode.OFF, GateMode.OFF, "ECDSAP256SHA256", false,
        Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(365), KeyRolls.DEFAULT, Duration.ofHours(1),
        SerialPolicy.UNIX_TIME, Duration.ofDays(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12),
        DenialType.NSEC, false, 0, "");
    ZoneState s = apply(null, new ZoneFact.Added(off, "/z")).state();
    assertEquals(Optional.of("Zone is not halted (status: loading)"), refusal(s, ZoneHalts.Command.RESUME));
    ZoneProjector.Outcome halted = apply(s, new ZoneFact.Halted("maintenance of the primary", "operator"));
    assertEquals(new ZoneState.Halt(HaltCause.OPERATOR, "maintenance of the primary", "operator", T0, null, null,
        null), halted.state().halt);
    assertEquals("halted by the operator (loading)", ZoneHalts.label(halted.state()));
    assertEquals(List.of("Zone halted by operator: maintenance of the primary"), events(halted));
    assertEquals(Optional.of("Zone example.com. is halted by the operator (loading): run cascade zone resume"
        + " example.com."), refusal(halted.state(), ZoneHalts.Command.RESET));
    assertEquals(Optional.of("Zone example.com. has no rejected loaded version to override (status: halted by the"
        + " operator (loading))"), refusal(halted.state(), ZoneHalts.Command.OVERRIDE_UNSIGNED));

    ZoneProjector.Outcome loaded = apply(halted.state(), new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1"));
    assertTrue(loaded.decisions().isEmpty(), "the gate decides nothing while halted");
    ZoneProjector.Outcome resumed = apply(loaded.state(), new ZoneFact.Resumed("operator"));
    assertNull(resumed.state().halt);
    assertEquals(List.of("Zone resumed by operator"), events(resumed));
    assertEquals(List.of(new GateDecision(ZONE, GateStage.UNSIGNED, "v1", 7L, "u-v1")), resumed.decisions());
  }

  /** A halt or resume that is no longer legal when replayed (another decision came first) is history only. */
  @Test
  void anIllegalDecisionInTheLogChangesNothing() {
    ZoneState s = apply(waitingUnsigned(policy(true, false, false)),
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, false, "operator", null)).state();
    ZoneState.Halt halt = s.halt;
    s = apply(s, new ZoneFact.Halted("late", "operator")).state();
    s = apply(s, new ZoneFact.Resumed("operator")).state();
    assertEquals(halt, s.halt);
    assertEquals(ZoneProgress.HALTED_AFTER_LOADED_REVIEW, s.progress);
    // An override of a version that is not the halted one does not lift the halt.
    s = apply(s, new ZoneFact.Reviewed(GateStage.UNSIGNED, "v0", 5, true, "operator", "override", true)).state();
    assertEquals(halt, s.halt);
  }
}
