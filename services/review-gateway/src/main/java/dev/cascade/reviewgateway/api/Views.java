package dev.cascade.reviewgateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cascade.reviewgateway.domain.Durations;
import dev.cascade.reviewgateway.domain.HaltCause;
import dev.cascade.reviewgateway.domain.KeyImports;
import dev.cascade.reviewgateway.domain.Policy;
import dev.cascade.reviewgateway.domain.PolicyReload;
import dev.cascade.reviewgateway.domain.ReviewStatus;
import dev.cascade.reviewgateway.domain.RollAutomation;
import dev.cascade.reviewgateway.domain.RollCheckBoard;
import dev.cascade.reviewgateway.domain.StepProgress;
import dev.cascade.reviewgateway.domain.ZoneHalts;
import dev.cascade.reviewgateway.domain.ZoneState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The JSON bodies of the operator API. */
public final class Views {

  private Views() {}

  /** {@code POST /zone/add} body. {@code source} is a zone file path; relative paths resolve against the service's cwd. */
  /**
   * {@code POST /zone/add}; {@code keyImports} (optional) are the BIND key files of {@code --import-ksk-file},
   * {@code --import-zsk-file} and {@code --import-csk-file}, their text read by the CLI.
   */
  public record ZoneAddRequest(String name, String source, String policy, List<KeyImports.Request> keyImports) {}

  /** {@code POST /zone/{name}/set-policy} body: the name of the policy the zone takes. */
  public record SetPolicyRequest(String policy) {}

  /** {@code POST /zone/{name}/set-source} body: the zone file the zone loads from now on. */
  public record SetSourceRequest(String source) {}

  /** Answer of the zone commands: the normalised zone name and what happens next. */
  public record ZoneCommandResult(String name, String status) {}

  public record ZoneList(List<String> zones) {}

  /** {@code POST /tsig/add} body: the secret in base64; the algorithm hmac-sha256 if absent. */
  public record TsigAddRequest(String name, String algorithm, String secret) {}

  /** Answer of the TSIG commands: the key's name and what was done. */
  public record TsigCommandResult(String name, String status) {}

  /** One key of {@code GET /tsig/}: its algorithm and who uses it; never its secret. */
  public record TsigKeyInfo(String algorithm, List<String> users) {}

  /** {@code GET /tsig/}: the keys by name (the reference's {@code tsig_key_info}). */
  public record TsigKeyList(Map<String, TsigKeyInfo> keys) {}

  /**
   * {@code GET /zone/{name}/status}: everything {@code cascade zone status} prints (cascade-reference.md §1.4); the
   * fields follow the reference's {@code ZoneStatus} (§3.2) in camelCase.
   */
  public record ZoneStatusView(
      String name,
      String policy,
      String source,
      ReviewModes review,
      String progress,
      boolean halted,
      Instant loadStartedAt,
      LastPublishedView lastPublished,
      UnsignedView unsigned,
      List<String> unsignedReviewAddresses,
      SignedView signed,
      List<String> signedReviewAddresses,
      List<String> publishAddresses,
      ErrorView error,
      Long dnskeyTtl,
      List<KeyView> keys,
      List<RollView> rolls,
      StepProgressView stepProgress,
      List<SetAsideView> setAside,
      List<ServedView> servedBy,
      DsSubmissionView dsSubmission,
      TransferInView lastTransferIn,
      String transferFailureCause,
      HaltView halt) {}

  /**
   * The hard halt the zone is in (issue 13 item 2; cascade-reference.md §1.3), null when it runs: its {@code cause}
   * (loaded-review, signed-review, signing-failed, operator), the reference's {@code mode} (always HardHalt: a soft
   * halt drops the version and halts nothing), the reason, who caused it ({@code by}: the reviewer, the signer or the
   * operator), since when, the serial of the version it stopped (null for the operator's halt), and the commands that
   * recover from it.
   */
  public record HaltView(
      String cause, String mode, String reason, String by, Instant since, Long serial, List<String> recovery) {}

  /** {@code POST /zone/{name}/halt} body: why the operator halts the zone (optional). */
  public record HaltRequest(String reason) {}

  /** The last transfer from the zone's primary that brought a version (issue 10 item 5); null for a zone file. */
  public record TransferInView(String kind, long serial, Instant at) {}

  /**
   * The DS RRset the parent zone {@code parent} is to hold, as last requested (issue 14 item 6), and what the
   * submission hook made of it: what to submit, and where. Null until the key manager requested one.
   */
  public record DsSubmissionView(
      String parent, List<String> ds, List<String> add, List<String> remove, String cause, Instant requestedAt,
      boolean hook, Integer hookExitCode, String hookOutcome, String hookOutput, Instant hookCompletedAt) {}

  /**
   * What publisher {@code instance} serves: the version it last announced, with its signed serial, announced at {@code
   * at}. One per publisher instance that named itself, in the order of their names.
   */
  public record ServedView(String instance, String versionId, long signedSerial, Instant at) {}

  /**
   * An event about the zone that {@code service} could not handle and set aside on its dead-letter topic
   * ({@code cascade.<service>-dead-letters.v1}) since the zone last published; the event itself is still at {@code
   * topic}/{@code partition}/{@code offset}. {@code eventType} is null for a record that could not be decoded.
   */
  public record SetAsideView(
      String service, String topic, int partition, long offset, String eventType, String reason, int attempts,
      Instant at) {}

  /**
   * How far the step the zone is in has got, as its service last reported it (issue 8; the reference's "progress: 9.4
   * KB / 94 KB (10%)", cascade-reference.md §1.4): {@code done} of {@code total} {@code unit} ("records", "bytes") in
   * {@code phase} ("parse", "read", "sign", "verify", "write") of {@code step} ("load", "sign", "publish"). Null when
   * the zone is in no long step or its service has not reported yet (a step reports from its first second on).
   */
  public record StepProgressView(
      String step, String phase, long done, long total, String unit, String versionId, Instant reportedAt) {}

  /**
   * The review mode of each gate, as the policy file spells it ("off", "manual", "script"), and the hook of a script
   * gate (null for the others).
   */
  public record ReviewModes(
      String loaded, String signed, String loadedHook, String signedHook, String loadedOnReject,
      String signedOnReject) {}

  /** {@code signaturesExpireAt}: when the first signature of the published version expires; null if unknown. */
  public record LastPublishedView(
      String versionId, long loadedSerial, long signedSerial, Instant timestamp, long recordCount,
      Instant signaturesExpireAt) {}

  /** The latest loaded version (the reference's {@code unsigned_serial} + {@code receipt_report}). */
  public record UnsignedView(
      String versionId, long serial, Long byteCount, Long recordCount, Instant loadedAt, List<String> warnings,
      String reviewStatus) {}

  /** The latest signed version and the signer's report (the reference's {@code signing_report}). */
  /**
   * The latest signed version; {@code cause}: why it was made, {@code loaded} or a re-signing, {@code keys-changed} or
   * {@code signature-refresh}.
   */
  public record SignedView(
      String versionId, long serial, String reviewStatus, SigningReportView report, String cause) {}

  public record SigningReportView(
      long unsignedRrCount, long denialRrCount, long rrsigCount, long reusedRrsigCount, Instant startedAt,
      Instant finishedAt, int threads) {}

  /** The failure of the last operation; {@code file}/{@code line} point into the zone file when it was a load error. */
  public record ErrorView(String message, String file, Integer line, Instant at) {}

  /** A DNSSEC key of the zone: public facts only. */
  /** One key; {@code use} is what it does in the zone, null where every key does all its role's jobs. */
  public record KeyView(
      int keyTag, String role, int algorithm, int flags, String reference, Instant createdAt, Instant expiresAt,
      ZoneState.KeyUse use) {}

  /**
   * A key roll in progress: its {@code variant} (ksk, zsk, csk, algorithm) and type, the tags of the keys it brings in
   * and takes out, where it is, the step it waits for and what it waits for, in the reference's wording.
   */
  public record RollView(
      String variant, String rollType, List<Integer> newKeys, List<Integer> oldKeys, int phase, String stage,
      String nextStep, String waitingFor, RollCheckView propagationCheck) {}

  /**
   * In a roll's propagation stage, what the key manager's latest check ({@code auto-report}) saw; null if it
   * announced none for the phase.
   *
   * @param expected what must have propagated, one line each: the reference's "Check that the following RRset has
   *     propagated to all name servers:"
   * @param summary what was seen where, or why the roll waits
   */
  public record RollCheckView(
      boolean propagated, long ttlSeconds, String summary, List<String> expected, Instant checkedAt) {}

  public record HistoryView(String zone, List<HistoryItem> history) {}

  /** {@code POST /key/{zone}/roll}; {@code ttl} only for {@code propagationN-complete}: seconds or a duration. */
  public record RollStepRequest(String variant, String step, String ttl) {}

  /** {@code POST /key/{zone}/remove}: the key by reference or unique tag; {@code continue} is {@code --continue}. */
  public record KeyRemovalRequest(
      String key, boolean force, @JsonProperty("continue") boolean continueRoll) {}

  /** {@code GET /key/{zone}/{type}}: the records in zone-file text. */
  public record RecordsView(String zone, String type, String records) {}

  /** {@code GET /status/keys}: every zone's keys, zones by name. */
  public record KeysStatus(List<ZoneKeysView> zones) {}

  /** One zone's keys, as {@code cascade status keys} lists them. */
  public record ZoneKeysView(String zone, List<KeyStatusView> keys) {}

  /**
   * One key: its tag, role and algorithm, what it does ({@code uses}: published, signs-keys, signs-zone, at-parent),
   * the roll it is in and that roll's next step (null when in none), and when its validity ends (null: none set).
   */
  public record KeyStatusView(
      String reference, int keyTag, String role, int algorithm, List<String> uses, String roll, Instant expiresAt) {}

  public record HistoryItem(Instant when, Long serial, String event) {}

  /** {@code GET /status}: halted zones and where the publisher serves what (the reference's {@code ServerStatusResult}). */
  public record ServerStatus(
      int zones,
      List<HaltedZone> haltedZones,
      List<String> unsignedReviewAddresses,
      List<String> signedReviewAddresses,
      List<String> publishAddresses) {}

  /**
   * A halted zone in {@code GET /status}: its status, the reason, and the rest of its {@link HaltView} (the reference
   * lists name and reason).
   */
  public record HaltedZone(
      String zone, String progress, String reason, String cause, String by, Instant since, List<String> recovery) {}

  /** {@code zone} as {@code GET /status} lists it if it is halted; empty if it is not. */
  static Optional<HaltedZone> halted(ZoneState zone) {
    return ZoneHalts.current(zone).map(h -> new HaltedZone(zone.name, ZoneHalts.label(zone), h.reason(),
        causeWord(h.cause()), h.by(), h.since(), ZoneHalts.recovery(zone.name, h.cause())));
  }

  private static HaltView halt(ZoneState s) {
    return ZoneHalts.current(s).map(h -> new HaltView(causeWord(h.cause()), "HardHalt", h.reason(), h.by(),
        h.since(), h.serial(), ZoneHalts.recovery(s.name, h.cause()))).orElse(null);
  }

  private static String causeWord(HaltCause cause) {
    return cause.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public record PolicyList(List<String> policies, List<String> errors) {}

  /** {@code POST /policy/reload}: each policy and how it changed, the warnings, and the zones that got new settings. */
  public record PolicyReloadView(List<PolicyChange> changes, List<String> warnings, List<String> zonesUpdated) {}

  /** One policy in a reload: {@code change} is added, removed, updated or unchanged. */
  public record PolicyChange(String name, String change) {}

  static PolicyReloadView policyReload(PolicyReload.Outcome outcome) {
    return new PolicyReloadView(
        outcome.changes().entrySet().stream().map(e -> new PolicyChange(e.getKey(), e.getValue().word())).toList(),
        outcome.warnings(), outcome.updates().stream().map(PolicyReload.ZoneUpdate::zone).toList());
  }

  /**
   * {@code GET /policy/{name}}: every setting with durations in policy-file notation, plus the zones using it; the
   * hooks of script gates and the PKCS#11 token are null when there are none; {@code autoRemove} is {@code never} or
   * {@code after <auto-remove-delay>}.
   */
  public record PolicyView(
      String name,
      String unsignedReview,
      String signedReview,
      String unsignedReviewHook,
      String signedReviewHook,
      String unsignedOnReject,
      String signedOnReject,
      boolean approveReSigning,
      boolean fourEyes,
      String algorithm,
      String hsmServerId,
      boolean useCsk,
      String kskValidity,
      String zskValidity,
      String cskValidity,
      String kskRollType,
      String zskRollType,
      AutomationView automation,
      String autoRemove,
      String dnskeyTtl,
      String serialPolicy,
      String signatureInceptionOffset,
      String signatureLifetime,
      String signatureRemainTime,
      String signatureRefreshInterval,
      String denial,
      boolean nsec3OptOut,
      int nsec3Iterations,
      String nsec3Salt,
      List<String> publicationNameservers,
      List<String> parentNameservers,
      List<String> zones) {}

  /** The {@code <variant>.auto-*} switches of a policy, by roll variant. */
  public record AutomationView(RollAutomation ksk, RollAutomation zsk, RollAutomation csk, RollAutomation algorithm) {}

  static PolicyView policy(Policy p, List<String> zones) {
    return new PolicyView(p.name(), p.unsignedReview().word(), p.signedReview().word(), p.reviews().unsignedHook(),
        p.reviews().signedHook(), onReject(p.reviews().unsignedHaltOnReject()),
        onReject(p.reviews().signedHaltOnReject()), p.reviews().approveReSigning(), p.reviews().fourEyes(),
        p.algorithm(), p.hsmServerId(), p.useCsk(),
        validity(p.kskValidity()), validity(p.zskValidity()), validity(p.cskValidity()),
        p.keyRolls().kskRollType().word(), p.keyRolls().zskRollType().word(),
        new AutomationView(p.keyRolls().ksk(), p.keyRolls().zsk(), p.keyRolls().csk(), p.keyRolls().algorithm()),
        p.keyRolls().autoRemove() ? "after " + Durations.format(p.keyRolls().autoRemoveDelay()) : "never",
        Durations.format(p.dnskeyTtl()),
        p.serialPolicy().word(), Durations.format(p.signatureInceptionOffset()),
        Durations.format(p.signatureLifetime()), Durations.format(p.signatureRemainTime()),
        Durations.format(p.signatureRefreshInterval()), p.denial().word(), p.nsec3OptOut(), p.nsec3Iterations(),
        p.nsec3Salt(), p.keyRolls().checks().publicationNameservers(), p.keyRolls().checks().parentNameservers(),
        zones);
  }

  /** A key validity in policy-file notation: {@code "forever"} for none. */
  private static String validity(Duration validity) {
    return validity.isZero() ? "forever" : Durations.format(validity);
  }

  static ZoneStatusView status(ZoneState s, StepProgress progress, List<String> unsignedAddrs,
      List<String> signedAddrs, List<String> publishAddrs, Instant now, RollCheckBoard checks) {
    LastPublishedView published = s.lastPublished == null ? null : new LastPublishedView(
        s.lastPublished.versionId(), s.lastPublished.loadedSerial(), s.lastPublished.signedSerial(),
        s.lastPublished.timestamp(), s.lastPublished.recordCount(), s.lastPublished.signaturesExpireAt());
    UnsignedView unsigned = s.unsignedVersionId == null ? null : new UnsignedView(s.unsignedVersionId,
        s.unsignedSerial, s.unsignedByteCount, s.unsignedRecordCount, s.loadedAt, s.loadWarnings,
        word(s.unsignedReviewStatus));
    SigningReportView report = s.signingReport == null ? null : new SigningReportView(
        s.signingReport.unsignedRrCount(), s.signingReport.denialRrCount(), s.signingReport.rrsigCount(),
        s.signingReport.reusedRrsigCount(), s.signingReport.startedAt(), s.signingReport.finishedAt(), s.signingReport.threads());
    SignedView signed = s.signedVersionId == null ? null
        : new SignedView(s.signedVersionId, s.signedSerial, word(s.signedReviewStatus), report,
            s.signedCause == null ? null : s.signedCause.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    ErrorView error = s.error == null ? null
        : new ErrorView(s.error.message(), s.error.file(), s.error.line(), s.error.at());
    List<KeyView> keys = s.keys.stream().map(k -> new KeyView(k.keyTag(), k.role(), k.algorithm(), k.flags(),
        k.reference(), k.createdAt(), k.expiresAt(), k.use())).toList();
    List<RollView> rolls = s.rolls.stream().map(r -> new RollView(r.variant(), r.rollType(), r.newKeys(), r.oldKeys(),
        r.phase(), r.stage().toLowerCase(Locale.ROOT), r.nextStep(), r.waitingFor(now),
        r.stage().equals("PROPAGATION") ? checks.latest(s.name, r.variant(), r.phase())
            .map(c -> new RollCheckView(c.propagated(), c.ttlSeconds(), c.summary(), c.expected(), c.checkedAt()))
            .orElse(null) : null)).toList();
    List<SetAsideView> setAside = s.setAside.stream().map(a -> new SetAsideView(a.service(), a.topic(),
        a.partition(), a.offset(), a.eventType(), a.reason(), a.attempts(), a.at())).toList();
    List<ServedView> servedBy = s.servedBy.stream()
        .map(served -> new ServedView(served.instance(), served.versionId(), served.signedSerial(), served.at()))
        .toList();
    StepProgressView stepProgress = progress == null ? null : new StepProgressView(progress.step().word(),
        progress.phase(), progress.done(), progress.total(), progress.unit(), progress.versionId(),
        progress.reportedAt());
    return new ZoneStatusView(s.name, s.policy.name(), s.source,
        new ReviewModes(s.policy.unsignedReview().word(), s.policy.signedReview().word(),
            s.policy.reviews().unsignedHook(), s.policy.reviews().signedHook(),
            onReject(s.policy.reviews().unsignedHaltOnReject()), onReject(s.policy.reviews().signedHaltOnReject())),
        s.progress.label(), ZoneHalts.current(s).isPresent(), s.loadRequestedAt, published, unsigned, unsignedAddrs,
        signed, signedAddrs,
        publishAddrs, error, s.dnskeyTtl, keys, rolls, stepProgress, setAside, servedBy, dsSubmission(s.dsSubmission),
        s.lastTransferIn == null ? null
            : new TransferInView(s.lastTransferIn.kind(), s.lastTransferIn.serial(), s.lastTransferIn.at()),
        s.transferFailureCause, halt(s));
  }

  /** A gate's {@code on-reject}, as the policy file spells it. */
  static String onReject(boolean halt) {
    return halt ? "halt" : "discard";
  }

  private static DsSubmissionView dsSubmission(ZoneState.DsSubmission d) {
    return d == null ? null : new DsSubmissionView(d.parent(), d.ds(), d.add(), d.remove(), d.cause(),
        d.requestedAt(), d.hook(), d.hookExitCode(), d.hookOutcome(), d.hookOutput(), d.hookCompletedAt());
  }

  /** {@code GET /status/keys} of {@code zones}. */
  static KeysStatus keys(List<ZoneState> zones) {
    return new KeysStatus(zones.stream().filter(ZoneState::registered)
        .sorted(Comparator.comparing((ZoneState z) -> z.name))
        .map(z -> new ZoneKeysView(z.name, z.keys.stream().map(k -> keyStatus(z, k)).toList())).toList());
  }

  private static KeyStatusView keyStatus(ZoneState zone, ZoneState.KeyInfo key) {
    List<String> uses = new ArrayList<>();
    ZoneState.KeyUse use = key.use();
    if (use == null || use.published()) {
      uses.add("published");
    }
    if (use == null ? !key.role().equals("ZSK") : use.signsKeys()) {
      uses.add("signs-keys");
    }
    if (use == null ? !key.role().equals("KSK") : use.signsZone()) {
      uses.add("signs-zone");
    }
    if (use == null ? !key.role().equals("ZSK") : use.atParent()) {
      uses.add("at-parent");
    }
    String roll = zone.rolls.stream()
        .filter(r -> r.newKeys().contains(key.keyTag()) || r.oldKeys().contains(key.keyTag()))
        .map(r -> (r.newKeys().contains(key.keyTag()) ? "new" : "old") + " key of the " + r.variant()
            + " roll, next step " + r.nextStep())
        .findFirst().orElse(null);
    return new KeyStatusView(key.reference(), key.keyTag(), key.role(), key.algorithm(), uses, roll,
        key.expiresAt());
  }

  private static String word(ReviewStatus status) {
    return status == null ? null : status.name().toLowerCase(Locale.ROOT);
  }
}
