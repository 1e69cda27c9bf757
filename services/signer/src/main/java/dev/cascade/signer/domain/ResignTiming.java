package dev.cascade.signer.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether the signer re-signs a zone's last signed version now, for a new key set or for signatures that are due.
 *
 * <p>The reference Cascade re-signs only an idle zone (reference notes §1.3, transition "Waiting | re-sign needed
 * (keys changed / sigs need refresh) | Signing"). Here the stages run in separate services, so the signer postpones a
 * re-signing while a version loaded after the signed one is still on its way to being signed: one awaiting its
 * unsigned review or approved and not yet signed. A re-signing meanwhile would be a second signed version in flight
 * for the zone; review-gateway follows one version per zone, and with manual review the operator would have to review
 * the re-signed old content before the new one. Nothing is lost by waiting: the pending version is signed with the
 * zone's latest key set and incrementally from the last signed version, which re-makes every RRSIG that is due, so
 * its signing does what the re-signing would have done.
 *
 * <p>Only the newest later version can still be awaiting review: review-gateway replaces a version under review by a
 * newer load without a decision on it (its projection follows one version per zone), so an older undecided version
 * never comes. An approved one is signed whenever its inputs arrive, whatever its age.
 *
 * <p>Safety valve (beyond the reference, which has no review in this path to wait for): a version may wait for a person
 * for days, and its signatures must not expire meanwhile. A refresh is postponed for at most half the policy's
 * signature remain time after it fell due ({@link #safetyValveAt}). When a refresh falls due, the zone's first RRSIG
 * has about remain time + its RRset's TTL of validity left ({@link RefreshSchedule}, reference §4: re-sign when less
 * than the remain time plus the TTL remains; less if the refresh interval's cadence pushed the due instant later). After
 * waiting half the remain time, the other half is left for the re-signed version's own signed review, publication and
 * transfer, and the TTL for caches, instead of all of it being used up by the wait. A key set change alone never
 * expires a signature, so it waits without a bound.
 */
public final class ResignTiming {

  /** The outcome of {@link #decide}. */
  public sealed interface Decision {}

  /** The head is up to date (or retired): nothing to re-sign. */
  public record NotNeeded() implements Decision {}

  /**
   * Re-sign now.
   *
   * @param cause why: KEYS_CHANGED if the key set changed (the re-signing refreshes due signatures as well), else
   *     SIGNATURE_REFRESH
   * @param overriding the version still in the pipeline when the safety valve forces the re-signing, empty when the
   *     zone is idle
   */
  public record Resign(SigningCause cause, Optional<LaterVersion> overriding) implements Decision {}

  /**
   * Wait for {@code pending}: its signing makes the re-signing moot.
   *
   * @param cause what re-signing is postponed
   * @param pending the newest version still on its way to being signed
   * @param safetyValveAt when a due refresh is done anyway; empty when only the key set changed
   */
  public record Postpone(SigningCause cause, LaterVersion pending, Optional<Instant> safetyValveAt)
      implements Decision {}

  private ResignTiming() {}

  /**
   * Decides for the zone's last signed version {@code head}.
   *
   * @param head the zone's last signed version
   * @param keySetEventId the zone's current key set
   * @param later versions of the zone loaded after the head's unsigned version, oldest first
   * @param remainTime the policy's signature remain time
   * @param now the signer's clock
   */
  public static Decision decide(
      SignedHead head, String keySetEventId, List<LaterVersion> later, Duration remainTime, Instant now) {
    if (head.retired()) {
      return new NotNeeded();
    }
    boolean keysChanged = head.signedWithOtherKeySet(keySetEventId);
    boolean refreshDue = RefreshSchedule.isDue(head.refreshDueAt(), now);
    if (!keysChanged && !refreshDue) {
      return new NotNeeded();
    }
    SigningCause cause = keysChanged ? SigningCause.KEYS_CHANGED : SigningCause.SIGNATURE_REFRESH;
    Optional<LaterVersion> pending = pending(later);
    if (pending.isEmpty()) {
      return new Resign(cause, Optional.empty());
    }
    if (!refreshDue) {
      return new Postpone(cause, pending.get(), Optional.empty());
    }
    Instant valve = safetyValveAt(head.refreshDueAt(), remainTime);
    return now.isBefore(valve)
        ? new Postpone(cause, pending.get(), Optional.of(valve))
        : new Resign(cause, pending);
  }

  /** The instant from which a refresh due at {@code refreshDueAt} is no longer postponed: half the remain time later. */
  public static Instant safetyValveAt(Instant refreshDueAt, Duration remainTime) {
    return refreshDueAt.plus(remainTime.dividedBy(2));
  }

  /**
   * The newest of {@code later} (oldest first) still on its way to being signed: an approved one, or the newest if it
   * awaits its review.
   */
  static Optional<LaterVersion> pending(List<LaterVersion> later) {
    for (int i = later.size() - 1; i >= 0; i--) {
      LaterVersion version = later.get(i);
      boolean newest = i == later.size() - 1;
      if (version.stage() == LaterVersion.Stage.APPROVED
          || (newest && version.stage() == LaterVersion.Stage.AWAITING_REVIEW)) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }
}
