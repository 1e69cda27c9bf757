package dev.cascade.reviewgateway.domain;

import java.time.Instant;
import java.util.List;

/**
 * One pipeline fact about one zone, as the projection needs it: the domain side of the Avro events on the
 * zone-registry, unsigned-versions, zone-reviews, key-sets, signed-versions, published-versions and notifies-sent
 * topics, and of the services' dead-letter topics.
 * Member names differ from the Avro records' on purpose (domain and event types never share a simple name).
 */
public sealed interface ZoneFact {

  /** {@code ZoneRegistryFact{ZoneAdded}}. */
  record Added(Policy policy, String source) implements ZoneFact {}

  /**
   * {@code ZoneRegistryFact{ZoneReloadRequested}}: {@code source} is the zone's source from now on, {@code policy} its
   * policy from now on, or null when unchanged (a plain reload, set-source).
   */
  record ReloadRequested(String source, Policy policy) implements ZoneFact {}

  /** {@code ZoneRegistryFact{ZoneRemoved}}. */
  record Removed(String reason) implements ZoneFact {}

  /** {@code UnsignedVersionFact{ZoneVersionLoaded}}. */
  record Loaded(
      String versionId, long serial, long byteCount, long recordCount, List<String> warnings, String digest,
      String transfer)
      implements ZoneFact {
    /** A version loaded from a zone file. */
    public Loaded(
        String versionId, long serial, long byteCount, long recordCount, List<String> warnings, String digest) {
      this(versionId, serial, byteCount, recordCount, warnings, digest, null);
    }
  }

  /** {@code UnsignedVersionFact{ZoneLoadFailed}}; file and line are null when the failure is not in a file. */
  record LoadFailed(String file, Integer line, String reason, String cause) implements ZoneFact {
    /** A failure without a cause: a zone file's. */
    public LoadFailed(String file, Integer line, String reason) {
      this(file, line, reason, null);
    }
  }

  /**
   * {@code ZoneVersionReviewed}; {@code note} is what the reviewer said (a hook's outcome), null for nothing; {@code
   * override}: an approval that overrides the rejection which halted the zone ({@code cascade zone override}).
   */
  record Reviewed(
      GateStage stage, String versionId, long serial, boolean approved, String reviewer, String note, boolean override)
      implements ZoneFact {
    /** An ordinary decision, not an override. */
    public Reviewed(GateStage stage, String versionId, long serial, boolean approved, String reviewer, String note) {
      this(stage, versionId, serial, approved, reviewer, note, false);
    }
  }

  /** {@code ZoneHaltFact{ZoneHalted}}: {@code cascade zone halt}, with the operator's reason. */
  record Halted(String reason, String by) implements ZoneFact {}

  /** {@code ZoneHaltFact{ZoneResumed}}: {@code cascade zone resume}. */
  record Resumed(String by) implements ZoneFact {}

  /** {@code ZoneHaltFact{ZoneReset}}: {@code cascade zone reset}; {@code versionId} is the version dropped. */
  record Reset(String by, String versionId) implements ZoneFact {}

  /**
   * {@code KeySetChanged}: the whole key set, public parts only, and the key rolls in progress; {@code cause} is the
   * announcement's causationId (a keyset command's eventId when the operator's command made it), null in facts stored
   * before it was kept.
   */
  record KeysChanged(long dnskeyTtl, List<ZoneState.KeyInfo> keys, List<ZoneState.RollInfo> rolls, String cause)
      implements ZoneFact {}

  /** {@code KeysetCommandGiven}: the operator's keyset command {@code command}, as the CLI words it. */
  record KeysetCommand(String eventId, String command) implements ZoneFact {}

  /**
   * {@code DsSubmissionFact{ParentDsChangeRequested}}: the DS RRset the parent is to hold, and whether a hook is to
   * submit it.
   */
  record DsChangeRequested(
      String requestId, String parent, List<String> ds, List<String> add, List<String> remove, String cause,
      boolean hook)
      implements ZoneFact {}

  /** {@code DsSubmissionFact{DsSubmissionHookCompleted}}: what the hook made of request {@code requestId}. */
  record DsHookCompleted(String requestId, Integer exitCode, String output, String outcome) implements ZoneFact {}

  /**
   * {@code SignedVersionFact{ZoneVersionSigned}}: a re-signing (keys changed, signature refresh) has a versionId of
   * its own, unlike a signing of a loaded version, which keeps the unsigned version's id.
   *
   * @param unsignedVersionId the unsigned version a re-signing was made from; null for the signing of a loaded version
   *     (whose id is its own), and in facts stored before it was kept
   * @param refreshDueAt when the version's signatures are due for a refresh (the earliest RRSIG expiration minus the
   *     policy's remain time); null when the signer did not say
   */
  record Signed(
      String versionId, long unsignedSerial, long signedSerial, ZoneState.SigningReport report, SigningCause cause,
      String digest, String unsignedVersionId, Instant refreshDueAt)
      implements ZoneFact {}

  /** {@code SignedVersionFact{ZoneSigningFailed}}. */
  record SigningFailed(String versionId, long unsignedSerial, String reason) implements ZoneFact {}

  /**
   * {@code ZoneVersionPublished}: {@code publisherInstance} serves the version; null in announcements made before they
   * named their instance.
   */
  record Published(
      String versionId, long unsignedSerial, long signedSerial, long recordCount, Instant at, String publisherInstance)
      implements ZoneFact {}

  /**
   * {@code ZoneNotifiesSent}: one NOTIFY round of {@code serial} ended; {@code notifies} as history shows each
   * secondary's outcome.
   */
  record NotifiesSent(long serial, String publisherInstance, List<String> notifies) implements ZoneFact {}

  /**
   * {@code EventDeadLettered}: {@code service} could not handle the event at {@code topic}/{@code partition}/{@code
   * offset} and set it aside; {@code eventType} and {@code causationId} (the event's eventId) are null when the record
   * could not be decoded.
   */
  record SetAside(
      String service, String topic, int partition, long offset, String eventType, String reason, int attempts,
      String causationId)
      implements ZoneFact {}
}
