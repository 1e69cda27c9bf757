package dev.cascade.reviewgateway.domain;

import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.dnssec.roll.RollType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What review-gateway knows about one zone: the fields of the reference's {@code ZoneStatus} (cascade-reference.md
 * §3.2) that this system can know. A projection of the topics, stored as JSON by the persistence package and
 * rebuilt by replaying them.
 */
public final class ZoneState {

  /** How many set-aside events the status keeps (the newest); more would bury the rest of it. No official reference. */
  public static final int SET_ASIDE_KEPT = 10;

  /**
   * How many facts are held for a zone not yet added (the newest). ZoneAdded comes before a zone's first load, key
   * set and failure, so a zone added late has a handful; more means no ZoneAdded is coming. No official reference.
   */
  public static final int HELD_KEPT = 100;

  public String name;
  public Policy policy;
  public String source;
  /** When ZoneAdded was applied; {@code null} while only facts that arrived before it are held ({@link #held}). */
  public Instant addedAt;
  /**
   * When the zone was removed: the row stays as a marker so that facts still in flight about it (the key manager
   * retiring its keys, say) are dropped instead of held for a zone that will not come back until added again.
   */
  public Instant removedAt;
  /**
   * Facts that arrived before the zone's ZoneAdded, oldest first, applied right after it. Order holds per topic, not
   * across topics: ZoneVersionLoaded (unsigned-versions topic) can reach this consumer before the ZoneAdded that
   * caused it (zone-registry topic).
   */
  public List<HeldFact> held = new ArrayList<>();
  public ZoneProgress progress = ZoneProgress.IDLE;
  /** When the last load was asked for (zone added or reload requested): the loader starts on that event. */
  public Instant loadRequestedAt;
  /** Where the zone stood when a reload began, so a failed reload returns there (a review in progress stays open). */
  public ZoneProgress progressBeforeLoad;

  /** The latest loaded (unsigned) version: under review, being signed, or the last one handled. */
  public String unsignedVersionId;
  public Long unsignedSerial;
  public Long unsignedByteCount;
  public Long unsignedRecordCount;
  /** Digest of the unsigned version's content: what a decision at the unsigned gate is about. */
  public String unsignedDigest;
  public Instant loadedAt;
  public List<String> loadWarnings = new ArrayList<>();
  public ReviewStatus unsignedReviewStatus;
  /**
   * Who decided on the unsigned version ({@code ZoneVersionReviewed.reviewer}): under four-eyes, another person
   * approves its signed version.
   */
  public String unsignedReviewer;

  /** The latest signed version of {@link #unsignedVersionId} (a re-signing has an id of its own). */
  public String signedVersionId;
  public Long signedSerial;
  /** Digest of the signed version's content: what a decision at the signed gate is about. */
  public String signedDigest;
  public SigningReport signingReport;
  public ReviewStatus signedReviewStatus;
  /** Why the signed version was made: a loaded version, or a re-signing of one. */
  public SigningCause signedCause;
  /** The unsigned version the signed version was made from. */
  public String signedFromVersionId;
  /** When the signed version's first signature expires (its refresh time plus the remain time); null if unknown. */
  public Instant signedExpiresAt;

  public LastPublished lastPublished;
  /** The unsigned version the last published version was made from; null before a publication this gateway saw. */
  public String publishedFromVersionId;
  /**
   * Per publisher instance, the version it last announced it serves, in the order of the instances' names: every
   * publisher replica serves every zone and announces what it serves itself. Only announcements that name their
   * instance are here.
   */
  public List<Served> servedBy = new ArrayList<>();
  public ZoneError error;
  public Long dnskeyTtl;
  public List<KeyInfo> keys = new ArrayList<>();
  /** The key rolls in progress, as the key manager last announced them. */
  public List<RollInfo> rolls = new ArrayList<>();
  /** The DS RRset last requested of the parent and its hook's outcome; null until the key manager requested one. */
  public DsSubmission dsSubmission;
  /**
   * Events about this zone that a service could not handle and set aside on its dead-letter topic since the zone
   * last published a version, oldest first, at most {@link #SET_ASIDE_KEPT}: what held the zone up, in its status.
   */
  public List<SetAsideEvent> setAside = new ArrayList<>();

  /**
   * The operator's keyset commands the key manager has not answered yet, oldest first, at most {@link #SET_ASIDE_KEPT}:
   * its KeySetChanged (cause: the command's eventId) or its dead letter (causationId: the same) names the command it
   * answers in history.
   */
  public List<KeysetCommand> keysetCommands = new ArrayList<>();

  /**
   * The hard halt in force, or null (issue 13 item 2): a rejection under {@code on-reject = "halt"} or the operator's
   * {@code cascade zone halt}. A failed signing halts too, but is known from {@link #progress} ({@link
   * ZoneHalts#current}). While a halt is set the gates decide nothing by themselves and start no hook, so nothing new
   * is published for the zone; the published version stays served.
   */
  public Halt halt;

  /**
   * A hard halt: its cause, the reason given (the rejection's note, the operator's words), who caused it (the
   * reviewer: operator, hook; or the operator), since when, and the version it stopped (null for the operator's halt).
   */
  public record Halt(
      HaltCause cause, String reason, String by, Instant since, String versionId, Long serial, String digest) {}

  /** versionId for which the unsigned gate already emitted its own approval (review off), so it emits once. */
  public String unsignedGateApprovedVersion;
  /** Same for the signed gate. */
  public String signedGateApprovedVersion;

  /** versionId for which the unsigned gate's review hook was started (review script), so it starts once. */
  public String unsignedHookVersion;
  /** Same for the signed gate. */
  public String signedHookVersion;

  /** Whether the zone is added and not removed: the API shows only such zones. */
  public boolean registered() {
    return addedAt != null && removedAt == null;
  }

  /** A fact that occurred at {@code at} and is held until the zone's ZoneAdded is applied. */
  public record HeldFact(ZoneFact fact, Instant at) {}

  /**
   * One DNSSEC key of the zone, public information only (private keys never leave the key manager unwrapped).
   *
   * @param use what the key does in the zone, as its rolls set it; null in key sets announced before key rolls, where
   *     every key does all its role's jobs
   * @param publicKey Base64 of the DNSKEY public key field, for {@code cascade keyset get}; null in states projected
   *     before it was kept
   */
  public record KeyInfo(
      int keyTag, String role, int algorithm, int flags, String reference, Instant createdAt, Instant expiresAt,
      KeyUse use, String publicKey) {}

  /**
   * What a key does in the zone (KeySetChanged's {@code use}, RFC 7583 §3.1).
   *
   * @param published in the zone's DNSKEY RRset
   * @param signsKeys signs the DNSKEY RRset
   * @param signsZone signs every other RRset
   * @param atParent its DS is to be at the parent
   */
  public record KeyUse(boolean published, boolean signsKeys, boolean signsZone, boolean atParent) {}

  /**
   * A key roll in progress, as announced (KeySetChanged's {@code rolls}).
   *
   * @param rollType dnssec-core's {@code RollType} name
   * @param newKeys tags of the keys it brings in
   * @param oldKeys tags of the keys it takes out
   * @param since when its stage began
   * @param ttlSeconds in the cache-expiry stage, the TTL reported with the propagation
   */
  public record RollInfo(
      String rollType, List<Integer> newKeys, List<Integer> oldKeys, int phase, String stage, Instant since,
      long ttlSeconds) {

    /** The roll's variant as the reference's commands name it: ksk, zsk, csk or algorithm. */
    public String variant() {
      return RollType.valueOf(rollType).variant().word();
    }

    /** The step the roll waits for next, as the operator gives it. */
    public String nextStep() {
      return roll().nextStep();
    }

    /** What the roll waits for at {@code now}, in the reference's wording. */
    public String waitingFor(Instant now) {
      return roll().waitingFor(now);
    }

    /** The roll as dnssec-core's state machine has it, which words its steps; its keys do not matter here. */
    private KeyRoll roll() {
      return new KeyRoll(RollType.valueOf(rollType), List.of(), List.of(), phase, KeyRoll.Stage.valueOf(stage), since,
          Duration.ofSeconds(ttlSeconds));
    }
  }

  /**
   * The DS RRset the key manager last asked the parent to hold (issue 14 item 6), until the DS is seen there.
   *
   * @param parent the parent zone, where it goes
   * @param ds the whole DS RRset, zone-file text, empty when the zone asks for its DS to be removed
   * @param add records to add, against the request before
   * @param remove records to remove, against the request before
   * @param hook whether the policy's hook submits it; if not, the operator does
   * @param hookOutcome what the hook made of it: "exited 0", "timed out after 60 s and was killed", ...; null while
   *     it runs or when there is no hook
   * @param hookOutput the hook's last output
   */
  public record DsSubmission(
      String requestId, String parent, List<String> ds, List<String> add, List<String> remove, String cause,
      Instant requestedAt, boolean hook, Integer hookExitCode, String hookOutcome, String hookOutput,
      Instant hookCompletedAt) {}

  /**
   * The signer's statistics for the last signing run (the reference's {@code signing_report}); {@code
   * reusedRrsigCount} counts the RRSIGs an incremental signing carried over (0 in states stored before it existed).
   */
  public record SigningReport(
      long unsignedRrCount, long denialRrCount, long rrsigCount, long reusedRrsigCount, Instant startedAt,
      Instant finishedAt, int threads) {}

  /** The version served on the publication server. */
  /** The last published version; {@code signaturesExpireAt}: when its first signature expires, null if unknown. */
  public record LastPublished(
      String versionId, long loadedSerial, long signedSerial, Instant timestamp, long recordCount,
      Instant signaturesExpireAt) {}

  /** What publisher {@code instance} serves: the version it last announced, announced at {@code at}. */
  public record Served(String instance, String versionId, long signedSerial, Instant at) {}

  /** An event a service set aside ({@link ZoneFact.SetAside}), and when. */
  public record SetAsideEvent(
      String service, String topic, int partition, long offset, String eventType, String reason, int attempts,
      Instant at) {}

  /** A keyset command given at {@code at}, as the operator worded it, by its event's id. */
  public record KeysetCommand(String eventId, String command, Instant at) {}

  /** The failure of the last operation; file and line are set for zone-file errors. */
  public record ZoneError(String message, String file, Integer line, Instant at) {}

  /** The last transfer from the zone's primary that brought a version: AXFR or IXFR, its serial, when. */
  public TransferIn lastTransferIn;
  /**
   * The kind of the failure of the last refresh from the primary (refused, timeout, ..., expired: dnssec-core
   * TransferFailure.Cause), null once a version loaded again: what an alert on an expired zone looks at (issue 11).
   */
  public String transferFailureCause;

  /** A transfer in: {@code kind} is AXFR or IXFR. */
  public record TransferIn(String kind, long serial, Instant at) {}
}
