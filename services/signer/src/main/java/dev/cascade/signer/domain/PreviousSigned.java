package dev.cascade.signer.domain;

import dev.cascade.dnssec.compact.CompactRecords;

/**
 * The zone's previous signed version as an incremental signing needs it (reference notes §6, "incremental" mode):
 * there is none, it could not be read back, or here are its records. The pipeline reads it; {@link VersionSigner}
 * decides between incremental and full signing from it.
 */
public sealed interface PreviousSigned {

  /** The zone has no signed version yet: sign in full. */
  record None() implements PreviousSigned {}

  /**
   * The zone has a signed version, but its content could not be read: sign in full, never fail the version for it.
   *
   * @param reason why it could not be read, for the log
   */
  record Unreadable(String reason) implements PreviousSigned {}

  /**
   * The previous signed version's records.
   *
   * @param records its records, as the signer wrote them
   * @param unsigned the unsigned version it was signed from, or null if that is not at hand: with it, a new version
   *     is signed as its change from that one
   */
  record Available(CompactRecords records, CompactRecords unsigned) implements PreviousSigned {}
}
