package dev.cascade.signer.domain;

import java.util.List;
import org.xbill.DNS.Record;

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
   */
  record Available(List<Record> records) implements PreviousSigned {}
}
