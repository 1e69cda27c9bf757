package dev.cascade.signer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cascade.signer.domain.LaterVersion.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When a re-signing waits for a newer version in the pipeline, and when the safety valve re-signs anyway. Fixed
 * instants stand in for the clock: the refresh falls due at {@link #DUE}, remain time one week (reference default).
 */
class ResignTimingTest {

  private static final Instant DUE = Instant.parse("2026-03-08T11:00:00Z");
  private static final Duration REMAIN = Duration.ofDays(7);
  private static final Instant VALVE = DUE.plus(Duration.ofHours(84));
  private static final SignedHead HEAD =
      new SignedHead(
          "example.test.",
          "signed-1",
          "v1",
          2026030100,
          2026030100,
          new ContentRef("cascade.signed-content.v1", 0, 0, 3, 4, "ab", 20),
          "keys-1",
          "signed-event-1",
          DUE);
  private static final LaterVersion AWAITING = new LaterVersion("v2", 2026030200, Stage.AWAITING_REVIEW);

  @Test
  void nothingDueAndSameKeysNeedsNoReSigning() {
    assertEquals(
        new ResignTiming.NotNeeded(),
        ResignTiming.decide(HEAD, "keys-1", List.of(AWAITING), REMAIN, DUE.minusSeconds(1)));
  }

  @Test
  void anIdleZoneIsReSignedOnceItsRefreshIsDue() {
    assertEquals(
        new ResignTiming.Resign(SigningCause.SIGNATURE_REFRESH, Optional.empty()),
        ResignTiming.decide(HEAD, "keys-1", List.of(), REMAIN, DUE));
  }

  @Test
  void anIdleZoneIsReSignedForANewKeySet() {
    assertEquals(
        new ResignTiming.Resign(SigningCause.KEYS_CHANGED, Optional.empty()),
        ResignTiming.decide(HEAD, "keys-2", List.of(), REMAIN, DUE.minusSeconds(3600)));
  }

  @Test
  void aDueRefreshWaitsForANewerVersionAwaitingItsReview() {
    assertEquals(
        new ResignTiming.Postpone(SigningCause.SIGNATURE_REFRESH, AWAITING, Optional.of(VALVE)),
        ResignTiming.decide(HEAD, "keys-1", List.of(AWAITING), REMAIN, DUE.plus(Duration.ofDays(1))));
  }

  @Test
  void aNewKeySetWaitsForANewerApprovedVersionWithoutABound() {
    LaterVersion approved = new LaterVersion("v2", 2026030200, Stage.APPROVED);

    assertEquals(
        new ResignTiming.Postpone(SigningCause.KEYS_CHANGED, approved, Optional.empty()),
        ResignTiming.decide(HEAD, "keys-2", List.of(approved), REMAIN, DUE.minusSeconds(3600)));
  }

  @Test
  void pastHalfTheRemainTimeTheSafetyValveReSignsDespiteThePendingVersion() {
    assertEquals(VALVE, ResignTiming.safetyValveAt(DUE, REMAIN));
    assertEquals(
        new ResignTiming.Postpone(SigningCause.SIGNATURE_REFRESH, AWAITING, Optional.of(VALVE)),
        ResignTiming.decide(HEAD, "keys-1", List.of(AWAITING), REMAIN, VALVE.minusSeconds(1)));
    assertEquals(
        new ResignTiming.Resign(SigningCause.SIGNATURE_REFRESH, Optional.of(AWAITING)),
        ResignTiming.decide(HEAD, "keys-1", List.of(AWAITING), REMAIN, VALVE));
    assertEquals(
        new ResignTiming.Resign(SigningCause.KEYS_CHANGED, Optional.of(AWAITING)),
        ResignTiming.decide(HEAD, "keys-2", List.of(AWAITING), REMAIN, VALVE),
        "a new key set is taken along when the valve opens");
  }

  @Test
  void versionsThatEndedDoNotHoldTheReSigningBack() {
    List<LaterVersion> ended =
        List.of(
            new LaterVersion("v2", 2, Stage.REJECTED),
            new LaterVersion("v3", 3, Stage.FAILED),
            new LaterVersion("v4", 4, Stage.SIGNED));

    assertEquals(
        new ResignTiming.Resign(SigningCause.SIGNATURE_REFRESH, Optional.empty()),
        ResignTiming.decide(HEAD, "keys-1", ended, REMAIN, DUE));
  }

  @Test
  void anUndecidedVersionThatANewerLoadReplacedDoesNotHoldTheReSigningBack() {
    // review-gateway drops v2 from review when v3 is loaded; v3 was rejected, so no decision on v2 will ever come.
    List<LaterVersion> later =
        List.of(new LaterVersion("v2", 2, Stage.AWAITING_REVIEW), new LaterVersion("v3", 3, Stage.REJECTED));

    assertEquals(
        new ResignTiming.Resign(SigningCause.SIGNATURE_REFRESH, Optional.empty()),
        ResignTiming.decide(HEAD, "keys-1", later, REMAIN, DUE));
  }

  @Test
  void anOlderApprovedVersionStillHoldsTheReSigningBackAndTheNewestPendingOneIsNamed() {
    LaterVersion approved = new LaterVersion("v2", 2, Stage.APPROVED);
    LaterVersion awaiting = new LaterVersion("v4", 4, Stage.AWAITING_REVIEW);

    assertEquals(
        new ResignTiming.Postpone(SigningCause.SIGNATURE_REFRESH, approved, Optional.of(VALVE)),
        ResignTiming.decide(
            HEAD, "keys-1", List.of(approved, new LaterVersion("v3", 3, Stage.REJECTED)), REMAIN, DUE));
    assertEquals(
        new ResignTiming.Postpone(SigningCause.SIGNATURE_REFRESH, awaiting, Optional.of(VALVE)),
        ResignTiming.decide(HEAD, "keys-1", List.of(approved, awaiting), REMAIN, DUE));
  }

  @Test
  void aRetiredHeadIsNeverReSigned() {
    SignedHead retired =
        new SignedHead(
            HEAD.zone(), HEAD.signedVersionId(), HEAD.unsignedVersionId(), HEAD.unsignedSerial(),
            HEAD.signedSerial(), HEAD.content(), HEAD.keySetEventId(), HEAD.signedEventId(), null);

    assertEquals(new ResignTiming.NotNeeded(), ResignTiming.decide(retired, "keys-2", List.of(), REMAIN, VALVE));
  }
}
