package dev.cascade.signer.domain;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.sign.SigningCounts;
import dev.cascade.dnssec.verify.VerifiedSignatures;
import java.time.Duration;
import java.time.Instant;

/** The result of signing one version: a signed zone that passed the verification gate, or why there is none. */
public sealed interface SigningOutcome {

  /**
   * A signed version that passed the verification gate.
   *
   * @param signedSerial SOA serial of the signed version
   * @param records the signed zone in canonical order
   * @param change when it was signed as a change: what it removes from the previous signed version and adds to it;
   *     else null
   * @param stats counts reported by the signer
   * @param startedAt when signing started
   * @param finishedAt when the verification gate passed
   * @param passReason why the zone was signed by a pass over all of it rather than as a change; null for a change
   * @param fullSigningReason why the zone was signed in full rather than incrementally; null for an incremental
   *     signing
   * @param refreshDueAt when the signature refresh is to re-sign this version ({@link RefreshSchedule})
   * @param verified the signatures the verification gate found valid, for the gate's next run on the zone
   * @param verification how long the verification gate ran, every run of it for this version together (a change
   *     the gate for a change does not decide, or an incremental result that fails, runs it more than once)
   */
  record Signed(
      long signedSerial,
      CompactRecords records,
      CompactDiff change,
      SigningCounts stats,
      Instant startedAt,
      Instant finishedAt,
      String passReason,
      String fullSigningReason,
      Instant refreshDueAt,
      VerifiedSignatures verified,
      Duration verification)
      implements SigningOutcome {

    /** Whether RRSIGs were carried over from the previous signed version. */
    public boolean incremental() {
      return fullSigningReason == null;
    }
  }

  /**
   * No signed version: the reason is safe to log and to put on the bus.
   *
   * @param reason what went wrong
   */
  record Failed(String reason) implements SigningOutcome {}
}
