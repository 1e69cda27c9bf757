package dev.cascade.signer.domain;

import java.time.Instant;

/**
 * The last version the signer signed for a zone: what an incremental signing starts from and what the signature
 * refresh watches.
 *
 * @param zone the apex, lower case and absolute
 * @param signedVersionId the versionId of the signed version (the unsigned version's id for a signing triggered by a
 *     load, a fresh one for a re-signing)
 * @param unsignedVersionId the unsigned version it was made from
 * @param unsignedSerial SOA serial of that unsigned version
 * @param signedSerial SOA serial of the signed version
 * @param content where its chunks are on the signed-content topic
 * @param keySetEventId the KeySetChanged event whose keys signed it
 * @param signedEventId id of the ZoneVersionSigned event, the causation of a re-signing
 * @param refreshDueAt when the signature refresh re-signs it ({@link RefreshSchedule}); null once the zone was
 *     removed, so neither the refresh nor a key set change re-signs the content of before the removal
 */
public record SignedHead(
    String zone,
    String signedVersionId,
    String unsignedVersionId,
    long unsignedSerial,
    long signedSerial,
    ContentRef content,
    String keySetEventId,
    String signedEventId,
    Instant refreshDueAt) {

  /**
   * Whether the zone was removed since this version was signed: a zone added again is re-signed only once a new
   * version of it was signed (it may still be the base of that signing).
   */
  public boolean retired() {
    return refreshDueAt == null;
  }

  /** Whether a key set other than {@code keySetEventId} signed this version, so the key set changed since. */
  public boolean signedWithOtherKeySet(String keySetEventId) {
    return !this.keySetEventId.equals(keySetEventId);
  }
}
