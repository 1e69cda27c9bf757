package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which progress a zone's status shows: the zone is moved through its steps by {@link ZoneProjector}, as the pipeline
 * consumer does, and the board is told the same facts.
 */
class StepProgressBoardTest {

  private static final String ZONE = "example.com.";
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private final StepProgressBoard board = new StepProgressBoard();
  private ZoneState state;

  /** Applies {@code fact} to the zone and tells the board, as PipelineConsumer does. */
  private void apply(ZoneFact fact) {
    state = ZoneProjector.apply(ZONE, state, fact, T0).state();
    board.factApplied(ZONE, fact);
  }

  private void added(GateMode unsignedReview) {
    apply(new ZoneFact.Added(ZoneProjectorTest.policy("p", unsignedReview, GateMode.OFF), "/z/example.zone"));
  }

  private static StepProgress report(ProgressStep step, String versionId, long done, Instant at) {
    return new StepProgress(versionId, step, "sign", done, 4_800_000, "records", at);
  }

  private Optional<StepProgress> shown(Instant now) {
    return board.current(state, now);
  }

  private static ZoneState.SigningReport signingReport() {
    return new ZoneState.SigningReport(10, 4, 9, 0, T0, T0.plusSeconds(1), 2);
  }

  @Test
  void aSigningShowsTheLatestReportOfTheVersionBeingSignedAndNoOther() {
    added(GateMode.OFF);
    apply(new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "digest"));
    assertEquals(ZoneProgress.SIGNING, state.progress);

    board.report(ZONE, report(ProgressStep.SIGN, "v1", 1_000_000, T0.plusSeconds(1)));
    board.report(ZONE, report(ProgressStep.SIGN, "v1", 1_234_567, T0.plusSeconds(2)));
    // A re-signing's fresh version, and a load of the next version: neither is the signing the zone is in.
    board.report(ZONE, report(ProgressStep.SIGN, "resigned", 99, T0.plusSeconds(3)));
    board.report(ZONE, report(ProgressStep.LOAD, "v2", 99, T0.plusSeconds(3)));

    assertEquals(Optional.of(report(ProgressStep.SIGN, "v1", 1_234_567, T0.plusSeconds(2))),
        shown(T0.plusSeconds(3)));
    assertEquals(Optional.empty(), board.current(state, T0.plusSeconds(2).plus(StepProgressBoard.STALE_AFTER)
        .plusMillis(1)), "a report not renewed for 30 s is not shown");
  }

  @Test
  void aSigningsProgressEndsWithItsSignedVersionAndThePublishStepShowsItsOwn() {
    added(GateMode.OFF);
    apply(new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "digest"));
    board.report(ZONE, report(ProgressStep.SIGN, "v1", 4_000_000, T0.plusSeconds(1)));

    apply(new ZoneFact.Signed("v1", 7, 8, signingReport(), SigningCause.LOADED, "digest", null, null));
    assertEquals(ZoneProgress.PERSISTING_SIGNED_ZONE, state.progress);
    assertEquals(Optional.empty(), shown(T0.plusSeconds(2)));

    board.report(ZONE, report(ProgressStep.PUBLISH, "v1", 2_000_000, T0.plusSeconds(2)));
    assertEquals(2_000_000, shown(T0.plusSeconds(2)).orElseThrow().done());

    apply(new ZoneFact.Published("v1", 7, 8, 31, T0.plusSeconds(3), null));
    assertEquals(ZoneProgress.IDLE, state.progress);
    assertEquals(Optional.empty(), shown(T0.plusSeconds(3)));
  }

  @Test
  void aLoadShowsAnyVersionButTheOneLoadedBefore() {
    added(GateMode.MANUAL);
    apply(new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "digest"));
    apply(new ZoneFact.ReloadRequested("/z/example.zone", null));
    assertEquals(ZoneProgress.LOADING, state.progress);

    board.report(ZONE, report(ProgressStep.LOAD, "v1", 12, T0.plusSeconds(2)));  // late, of the load before
    assertEquals(Optional.empty(), shown(T0.plusSeconds(2)));

    board.report(ZONE, report(ProgressStep.LOAD, "v2", 50_000_000, T0.plusSeconds(3)));
    assertEquals("v2", shown(T0.plusSeconds(3)).orElseThrow().versionId());
  }

  @Test
  void aFailedLoadsProgressIsNotShownByTheNextLoad() {
    added(GateMode.OFF);
    board.report(ZONE, report(ProgressStep.LOAD, "never-loaded", 70, T0.plusSeconds(1)));
    assertEquals("never-loaded", shown(T0.plusSeconds(1)).orElseThrow().versionId());

    apply(new ZoneFact.LoadFailed("/z/example.zone", 12, "unknown type FOO"));
    apply(new ZoneFact.ReloadRequested("/z/example.zone", null));
    assertEquals(ZoneProgress.LOADING, state.progress);

    assertEquals(Optional.empty(), shown(T0.plusSeconds(2)), "the failed load's report was forgotten");
  }

  @Test
  void aZoneWaitingForReviewShowsNoProgressAndARemovedZoneIsForgotten() {
    added(GateMode.MANUAL);
    apply(new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "digest"));
    assertEquals(ZoneProgress.WAITING_FOR_LOADED_REVIEW, state.progress);
    board.report(ZONE, report(ProgressStep.SIGN, "v1", 5, T0.plusSeconds(1)));
    assertEquals(Optional.empty(), shown(T0.plusSeconds(1)));

    apply(new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "operator", null));
    assertEquals(5, shown(T0.plusSeconds(1)).orElseThrow().done(), "approved: the zone is signing v1 now");

    ZoneState kept = state;
    apply(new ZoneFact.Removed("removed by the operator"));
    assertEquals(Optional.empty(), board.current(kept, T0.plusSeconds(1)));
  }

  @Test
  void staleReportsOfAZoneAreDroppedWhenANewOneArrives() {
    added(GateMode.OFF);
    apply(new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "digest"));
    board.report(ZONE, report(ProgressStep.SIGN, "v1", 5, T0));
    board.report(ZONE, report(ProgressStep.PUBLISH, "other", 5, T0.plus(Duration.ofMinutes(5))));

    assertEquals(Optional.empty(), shown(T0), "the signing's report went with the next report of the zone");
  }
}
