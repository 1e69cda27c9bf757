package dev.cascade.signer.domain;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.sign.SignatureRefresh;
import dev.cascade.dnssec.sign.SigningPolicy;
import java.time.Instant;

/**
 * When the signer re-signs a zone for its signatures (reference notes §6: re-signing every
 * {@code signature-refresh-interval}, an RRSIG being due once no more than {@code signature-remain-time} plus its
 * RRset's TTL is left, {@link SignatureRefresh}).
 *
 * <p>The instant is computed once, when a version is signed, and stored with it, so the periodic check needs no
 * content read: a signed version does not change, so neither does the moment its first RRSIG falls due. It is never
 * earlier than one refresh interval after the signing, the reference's cadence: a zone is re-signed at most once per
 * refresh interval, and a signature due just after a signing waits at most one interval, as it would between two of
 * the reference's checks (its policy check, lifetime &gt; remain time + 1 h + refresh interval, leaves room for that).
 */
public final class RefreshSchedule {

  private RefreshSchedule() {}

  /** When the version {@code signed}, made at {@code signedAt} under {@code policy}, is to be re-signed. */
  public static Instant refreshDueAt(CompactRecords signed, SigningPolicy policy, Instant signedAt) {
    Instant cadence = signedAt.plus(policy.refreshInterval());
    return SignatureRefresh.nextDue(signed, policy, signedAt)
        .filter(due -> due.isAfter(cadence))
        .orElse(cadence);
  }

  /** Whether a version to be re-signed at {@code refreshDueAt} is due at {@code now}. */
  public static boolean isDue(Instant refreshDueAt, Instant now) {
    return !refreshDueAt.isAfter(now);
  }

  /**
   * When to try again after a refresh that failed at {@code now}: one refresh interval later, the reference's
   * cadence, so a zone whose re-signing keeps failing reports it once per interval rather than at every check.
   */
  public static Instant retryAt(Instant now, SigningPolicy policy) {
    return now.plus(policy.refreshInterval());
  }
}
