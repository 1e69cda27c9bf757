package dev.cascade.signer.domain;

/**
 * What the loader announced about one unsigned version: enough to find and check its content on the bus.
 *
 * @param zone the apex, lower case and absolute
 * @param versionId the UUID that names this version through the whole pipeline
 * @param unsignedSerial SOA serial of the loaded input
 * @param content where the version's chunks are
 * @param traceparent the W3C traceparent header of the version's fact, so its signing goes on in the version's trace
 *     (docs/operations.md, "Traces"); null when the fact had none
 */
public record UnsignedManifest(
    String zone, String versionId, long unsignedSerial, ContentRef content, String traceparent) {

  /** A manifest without a trace context. */
  public UnsignedManifest(String zone, String versionId, long unsignedSerial, ContentRef content) {
    this(zone, versionId, unsignedSerial, content, null);
  }
}
