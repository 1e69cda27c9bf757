package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every transition of {@link ZoneProgress}'s diagram, each made by the fact that makes it in {@link ZoneProjector},
 * and every state entered by one of them: a state no fact enters is not a state of the pipeline (issue 12).
 */
class ZoneProgressTest {

  private static final String ZONE = "example.com.";
  private static final Instant T0 = Instant.parse("2026-12-08T05:00:00Z");
  private static final ZoneState.SigningReport REPORT = new ZoneState.SigningReport(10, 4, 9, 0, T0, T0, 2);

  private final Set<ZoneProgress> entered = EnumSet.noneOf(ZoneProgress.class);

  private static Policy policy(GateMode unsigned, GateMode signed, boolean haltOnReject) {
    return new Policy("p", unsigned, signed, "ECDSAP256SHA256", false, Duration.ofDays(365), Duration.ofDays(30),
        Duration.ofDays(365), KeyRolls.DEFAULT, Duration.ofHours(1), SerialPolicy.UNIX_TIME, Duration.ofDays(1),
        Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12), DenialType.NSEC, false, 0, "",
        ParentSettings.DEFAULT, new ReviewSettings(null, null, false, haltOnReject, haltOnReject, false), null);
  }

  /** Applies {@code fact} and checks that it moved {@code state} from {@code from} to {@code to}. */
  private ZoneState step(ZoneState state, ZoneProgress from, ZoneFact fact, ZoneProgress to) {
    if (state != null) {
      assertEquals(from, state.progress, "before " + fact);
    }
    ZoneState next = ZoneProjector.apply(ZONE, state, fact, T0).state();
    assertEquals(to, next.progress, from + " on " + fact);
    entered.add(to);
    return next;
  }

  @Test
  void everyTransitionOfTheDiagramAndEveryStateEntered() {
    ZoneState review = step(null, null, new ZoneFact.Added(policy(GateMode.MANUAL, GateMode.MANUAL, true), "/z"),
        ZoneProgress.LOADING);
    review = step(review, ZoneProgress.LOADING, new ZoneFact.LoadFailed("/z", 3, "bad"), ZoneProgress.IDLE);
    review = step(review, ZoneProgress.IDLE, new ZoneFact.ReloadRequested("/z", null), ZoneProgress.LOADING);
    review = step(review, ZoneProgress.LOADING, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1"),
        ZoneProgress.WAITING_FOR_LOADED_REVIEW);
    review = step(review, ZoneProgress.WAITING_FOR_LOADED_REVIEW,
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, false, "alice", null),
        ZoneProgress.HALTED_AFTER_LOADED_REVIEW);
    review = step(review, ZoneProgress.HALTED_AFTER_LOADED_REVIEW,
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, true, "alice", null, true), ZoneProgress.SIGNING);
    review = step(review, ZoneProgress.SIGNING,
        new ZoneFact.Signed("v1", 7, 8, REPORT, SigningCause.LOADED, "s-v1", null, null),
        ZoneProgress.WAITING_FOR_SIGNED_REVIEW);
    review = step(review, ZoneProgress.WAITING_FOR_SIGNED_REVIEW,
        new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, false, "bob", null), ZoneProgress.HALTED_AFTER_SIGNED_REVIEW);
    review = step(review, ZoneProgress.HALTED_AFTER_SIGNED_REVIEW,
        new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, true, "bob", null, true), ZoneProgress.PERSISTING_SIGNED_ZONE);
    review = step(review, ZoneProgress.PERSISTING_SIGNED_ZONE,
        new ZoneFact.Published("v1", 7, 8, 30, T0, "1"), ZoneProgress.IDLE);

    // on-reject = "discard" (the reference's default): a rejection at either gate goes back to idle.
    ZoneState discard = step(null, null,
        new ZoneFact.Added(policy(GateMode.MANUAL, GateMode.MANUAL, false), "/z"), ZoneProgress.LOADING);
    discard = step(discard, ZoneProgress.LOADING, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1"),
        ZoneProgress.WAITING_FOR_LOADED_REVIEW);
    discard = step(discard, ZoneProgress.WAITING_FOR_LOADED_REVIEW,
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v1", 7, false, "alice", null), ZoneProgress.IDLE);
    discard = step(discard, ZoneProgress.IDLE, new ZoneFact.Loaded("v2", 9, 900, 12, List.of(), "u-v2"),
        ZoneProgress.WAITING_FOR_LOADED_REVIEW);
    discard = step(discard, ZoneProgress.WAITING_FOR_LOADED_REVIEW,
        new ZoneFact.Reviewed(GateStage.UNSIGNED, "v2", 9, true, "alice", null), ZoneProgress.SIGNING);
    discard = step(discard, ZoneProgress.SIGNING,
        new ZoneFact.Signed("v2", 9, 10, REPORT, SigningCause.LOADED, "s-v2", null, null),
        ZoneProgress.WAITING_FOR_SIGNED_REVIEW);
    step(discard, ZoneProgress.WAITING_FOR_SIGNED_REVIEW,
        new ZoneFact.Reviewed(GateStage.SIGNED, "v2", 10, false, "bob", null), ZoneProgress.IDLE);

    // Review off: a loaded version goes straight to signing, a signed one to publication; a failed signing stops.
    ZoneState off = step(null, null, new ZoneFact.Added(policy(GateMode.OFF, GateMode.OFF, false), "/z"),
        ZoneProgress.LOADING);
    off = step(off, ZoneProgress.LOADING, new ZoneFact.Loaded("v1", 7, 900, 12, List.of(), "u-v1"),
        ZoneProgress.SIGNING);
    off = step(off, ZoneProgress.SIGNING, new ZoneFact.SigningFailed("v1", 7, "no keys"), ZoneProgress.SIGNING_FAILED);
    off = step(off, ZoneProgress.SIGNING_FAILED, new ZoneFact.Loaded("v2", 9, 900, 12, List.of(), "u-v2"),
        ZoneProgress.SIGNING);
    off = step(off, ZoneProgress.SIGNING,
        new ZoneFact.Signed("v2", 9, 10, REPORT, SigningCause.LOADED, "s-v2", null, null),
        ZoneProgress.PERSISTING_SIGNED_ZONE);
    step(off, ZoneProgress.PERSISTING_SIGNED_ZONE, new ZoneFact.Published("v2", 9, 10, 30, T0, "1"), ZoneProgress.IDLE);

    assertEquals(EnumSet.allOf(ZoneProgress.class), entered, "states no fact enters");
  }
}
