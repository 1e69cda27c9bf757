package dev.cascade.signer.domain;

/**
 * A version of a zone that the signer saw loaded (its ZoneVersionLoaded manifest) after the unsigned version of the
 * zone's last signed version, and how far it got. {@link ResignTiming} postpones a re-signing while such a version
 * is still on its way to being signed.
 *
 * @param versionId the version
 * @param unsignedSerial SOA serial of the loaded input
 * @param stage where it stands, as far as the signer knows
 */
public record LaterVersion(String versionId, long unsignedSerial, Stage stage) {

  /** Where a loaded version stands in the signer's view of the pipeline. */
  public enum Stage {
    /** Loaded; no decision of the unsigned review gate seen yet. */
    AWAITING_REVIEW,
    /** Approved at the unsigned gate, not signed yet (waiting for its policy, key set or manifest). */
    APPROVED,
    /** Signed. */
    SIGNED,
    /** Its signing failed (ZoneSigningFailed). */
    FAILED,
    /** Rejected at the unsigned gate: the reference's on-reject "discard", the version is dropped. */
    REJECTED
  }
}
