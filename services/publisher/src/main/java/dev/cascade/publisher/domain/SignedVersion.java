package dev.cascade.publisher.domain;

/**
 * A signed version as the signer announced it: enough to find, check and publish it.
 *
 * @param zone the apex, lower case and absolute
 * @param versionId the version's UUID
 * @param unsignedSerial SOA serial of the loaded input
 * @param signedSerial SOA serial of the signed version
 * @param content where its chunks are
 * @param traceparent the W3C traceparent its fact was received in, so its publication goes on in the version's
 *     trace (docs/operations.md, "Traces"); null when not known
 */
public record SignedVersion(
    String zone, String versionId, long unsignedSerial, long signedSerial, ContentRef content, String traceparent) {

  /** A signed version without a trace context. */
  public SignedVersion(String zone, String versionId, long unsignedSerial, long signedSerial, ContentRef content) {
    this(zone, versionId, unsignedSerial, signedSerial, content, null);
  }
}
