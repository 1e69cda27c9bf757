package dev.cascade.signer.domain;

/**
 * An approval at the unsigned review gate: the instruction to sign one version.
 *
 * @param zone the apex, lower case and absolute
 * @param versionId the approved version
 * @param unsignedSerial the serial the reviewer saw; it must match the loaded version's serial
 * @param eventId id of the ZoneVersionReviewed event, the causation of whatever the signer emits for this version
 * @param contentDigest digest of the content the reviewer approved; it must match the loaded version's (null when the
 *     approval names none, as approvals made before it was carried)
 */
public record Approval(String zone, String versionId, long unsignedSerial, String eventId, String contentDigest) {}
