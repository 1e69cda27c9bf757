package dev.cascade.signer.persistence;

import static dev.cascade.service.database.BlockingSessions.inSession;
import static dev.cascade.service.database.BlockingSessions.inTransaction;

import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.LaterVersion;
import dev.cascade.signer.domain.SignedHead;
import dev.cascade.signer.domain.SigningStatus;
import dev.cascade.signer.domain.UnsignedManifest;
import dev.cascade.signer.domain.WrappedKey;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.domain.ZonePolicy;
import dev.cascade.service.database.BlockingSessions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The signer's tables in PostgreSQL schema {@code signer}, written with Hibernate Reactive (tables created and updated
 * by Hibernate at start). The methods block: every caller runs on a worker thread (blocking consumers, tests), and
 * each call runs its session on a Vert.x context with {@link BlockingSessions}, which refuses to block an event loop.
 *
 * <p>These tables are a projection of the topics the signer consumes plus its own outcomes; the key set keeps the
 * private keys only in their wrapped form. Each row has a single writer (one consumer channel, or the signing of a
 * zone under the per-zone lock of SigningService), so a find-then-write in one transaction does not race.
 */
@ApplicationScoped
public class SignerStore {


  // ----------------------------------------------------------------------------------------------- policy

  /**
   * Keeps the policy snapshot of a ZoneAdded event, replacing the zone's previous one.
   *
   * @param updatedAt when the event occurred, so that a rebuild from it writes the same row
   */
  public void savePolicy(String zone, ZonePolicy policy, String eventId, Instant updatedAt) {
    SigningPolicy signing = policy.signing();
    StoredZonePolicy row = new StoredZonePolicy();
    row.zone = zone;
    row.serialPolicy = policy.serialPolicy().name();
    row.denial = signing.denial().name();
    row.nsec3OptOut = signing.optOut();
    row.nsec3Iterations = signing.nsec3Iterations();
    row.nsec3Salt = HexFormat.of().formatHex(signing.nsec3Salt());
    row.inceptionOffsetSeconds = signing.inceptionOffset().toSeconds();
    row.lifetimeSeconds = signing.lifetime().toSeconds();
    row.remainTimeSeconds = signing.remainTime().toSeconds();
    row.refreshIntervalSeconds = signing.refreshInterval().toSeconds();
    row.eventId = eventId;
    row.updatedAt = updatedAt;
    inTransaction(() -> merge(row));
  }

  public Optional<ZonePolicy> findPolicy(String zone) {
    StoredZonePolicy row = inSession(() -> StoredZonePolicy.findById(zone));
    return Optional.ofNullable(row)
        .map(
            r ->
                new ZonePolicy(
                    SerialPolicy.valueOf(r.serialPolicy),
                    new SigningPolicy(
                        SigningPolicy.Denial.valueOf(r.denial),
                        r.nsec3OptOut,
                        r.nsec3Iterations,
                        HexFormat.of().parseHex(r.nsec3Salt),
                        Duration.ofSeconds(r.inceptionOffsetSeconds),
                        Duration.ofSeconds(r.lifetimeSeconds),
                        Duration.ofSeconds(r.remainTimeSeconds),
                        Duration.ofSeconds(r.refreshIntervalSeconds))));
  }

  /**
   * Forgets a removed zone: its policy and its pending approvals, and retires its last signed version (no refresh
   * due). The last signed serial stays, so a zone that is added again never goes back in serial (RFC 1982 arithmetic
   * would make secondaries ignore it).
   */
  public void forgetZone(String zone) {
    inTransaction(
        () ->
            StoredZonePolicy.delete("zone = ?1", zone)
                .chain(
                    () ->
                        StoredSigning.delete("zone = ?1 and status = ?2", zone, SigningStatus.PENDING.name()))
                .chain(() -> LastSignedSerial.update("refreshDueAt = null where zone = ?1", zone))
                .replaceWithVoid());
  }

  // ---------------------------------------------------------------------------------------------- key set

  /**
   * Replaces the zone's key set with {@code keySet} (one transaction: readers never see half a set).
   *
   * @param updatedAt when its KeySetChanged occurred
   */
  public void saveKeySet(WrappedKeySet keySet, Instant updatedAt) {
    StoredKeySet head = new StoredKeySet();
    head.zone = keySet.zone();
    head.eventId = keySet.eventId();
    head.dnskeyTtl = keySet.dnskeyTtl();
    head.cdsAndCdnskey = String.join("\n", keySet.cdsAndCdnskey());
    head.updatedAt = updatedAt;
    List<StoredZoneKey> keys = new ArrayList<>();
    for (int i = 0; i < keySet.keys().size(); i++) {
      WrappedKey key = keySet.keys().get(i);
      StoredZoneKey row = new StoredZoneKey();
      row.zone = keySet.zone();
      row.position = i;
      row.keyTag = key.keyTag();
      row.algorithm = key.algorithm();
      row.flags = key.flags();
      row.role = key.role();
      row.publicKey = key.publicKey();
      row.wrappedPrivateKey = key.wrappedPrivateKey();
      row.privateKeyUri = key.privateKeyUri();
      if (key.use() != null) {
        row.published = key.use().published();
        row.signsKeys = key.use().signsKeys();
        row.signsZone = key.use().signsZone();
      }
      keys.add(row);
    }
    // The bulk delete runs at once, the inserts at commit: the old (zone, position) keys are gone before they come.
    inTransaction(
        () ->
            merge(head)
                .chain(() -> StoredZoneKey.delete("zone = ?1", keySet.zone()))
                .chain(() -> keys.isEmpty() ? Uni.createFrom().voidItem() : StoredZoneKey.persist(keys)));
  }

  /**
   * Records that the zone's last signed version, signed with key set {@code fromEventId}, is as {@code toEventId}
   * would sign it ({@link WrappedKeySet#signsAs}), so that the new set asks for no re-signing.
   */
  public void carryKeySet(String zone, String fromEventId, String toEventId) {
    inTransaction(() -> LastSignedSerial.update("keySetEventId = ?1 where zone = ?2 and keySetEventId = ?3",
        toEventId, zone, fromEventId).replaceWithVoid());
  }

  /**
   * The zone's latest key set. An empty set, which the key manager announces when it retires a removed zone's keys,
   * is no key set: the zone waits for keys as if none had come.
   */
  public Optional<WrappedKeySet> findKeySet(String zone) {
    return inSession(
        () ->
            StoredKeySet.<StoredKeySet>findById(zone)
                .chain(
                    head ->
                        head == null
                            ? Uni.createFrom().item(Optional.<WrappedKeySet>empty())
                            : StoredZoneKey.<StoredZoneKey>list("zone = ?1 order by position", zone)
                                .map(keys -> keys.isEmpty() ? Optional.empty() : Optional.of(keySet(head, keys)))));
  }

  // ------------------------------------------------------------------------------------------- manifests

  /**
   * Keeps the manifest of a version; a replayed ZoneVersionLoaded changes nothing.
   *
   * @param receivedAt when the loader announced it (its ZoneVersionLoaded's occurredAt): the load order of a zone
   */
  public void saveManifest(UnsignedManifest manifest, Instant receivedAt) {
    StoredManifest row = new StoredManifest();
    row.versionId = manifest.versionId();
    row.zone = manifest.zone();
    row.unsignedSerial = manifest.unsignedSerial();
    row.content = StoredContentRef.of(manifest.content());
    row.traceparent = manifest.traceparent();
    row.receivedAt = receivedAt;
    inTransaction(() -> persistIfAbsent(StoredManifest.<StoredManifest>findById(row.versionId), row));
  }

  public Optional<UnsignedManifest> findManifest(String versionId) {
    StoredManifest row = inSession(() -> StoredManifest.findById(versionId));
    return Optional.ofNullable(row)
        .map(
            r ->
                new UnsignedManifest(
                    r.zone,
                    r.versionId,
                    r.unsignedSerial,
                    r.content.toContentRef(),
                    r.traceparent));
  }

  /**
   * The versions of {@code zone} whose manifest arrived after that of {@code unsignedVersionId} (the unsigned version
   * of the zone's last signed version), oldest first, each with how far it got. The time the loader announced a
   * version is the load order: the loader handles a zone's registry events one after the other, and a replayed
   * manifest keeps its first time. Empty if that manifest is unknown.
   */
  public List<LaterVersion> laterVersions(String zone, String unsignedVersionId) {
    return inSession(
        () ->
            StoredManifest.<StoredManifest>list(
                    "zone = ?1 and receivedAt > (select h.receivedAt from StoredManifest h where h.versionId = ?2)"
                        + " order by receivedAt, versionId",
                    zone,
                    unsignedVersionId)
                .chain(
                    manifests -> {
                      if (manifests.isEmpty()) {
                        return Uni.createFrom().item(List.<LaterVersion>of());
                      }
                      List<String> ids = manifests.stream().map(m -> m.versionId).toList();
                      return StoredSigning.<StoredSigning>list("versionId in ?1", ids)
                          .chain(
                              signings ->
                                  StoredRejection.<StoredRejection>list("versionId in ?1", ids)
                                      .map(rejections -> laterVersions(manifests, signings, rejections)));
                    }));
  }

  // ------------------------------------------------------------------------------------------- approvals

  /**
   * Records an approval as PENDING unless the version already has one (a replayed approval changes nothing).
   *
   * @param approvedAt when the review event occurred
   */
  public void recordApproval(Approval approval, Instant approvedAt) {
    StoredSigning row = new StoredSigning();
    row.versionId = approval.versionId();
    row.zone = approval.zone();
    row.unsignedSerial = approval.unsignedSerial();
    row.approvalEventId = approval.eventId();
    row.approvedDigest = approval.contentDigest();
    row.status = SigningStatus.PENDING.name();
    row.approvedAt = approvedAt;
    inTransaction(() -> persistIfAbsent(StoredSigning.<StoredSigning>findById(row.versionId), row));
  }

  /** Records a rejection at the unsigned gate (at the time its event occurred); a replayed one changes nothing. */
  public void recordRejection(String zone, String versionId, long unsignedSerial, String eventId, Instant rejectedAt) {
    StoredRejection row = new StoredRejection();
    row.versionId = versionId;
    row.zone = zone;
    row.unsignedSerial = unsignedSerial;
    row.eventId = eventId;
    row.rejectedAt = rejectedAt;
    inTransaction(() -> persistIfAbsent(StoredRejection.<StoredRejection>findById(versionId), row));
  }

  /** The approval of a version and where it stands, if the version was approved. */
  public Optional<ApprovalState> findApproval(String versionId) {
    StoredSigning row = inSession(() -> StoredSigning.findById(versionId));
    return Optional.ofNullable(row).map(SignerStore::state);
  }

  /** Approvals of a zone still waiting for policy, key set or manifest, oldest first. */
  public List<ApprovalState> pendingApprovals(String zone) {
    List<StoredSigning> rows =
        inSession(
            () ->
                StoredSigning.list(
                    "zone = ?1 and status = ?2 order by approvedAt", zone, SigningStatus.PENDING.name()));
    return rows.stream().map(SignerStore::state).toList();
  }

  /**
   * Makes {@code head} the zone's last signed version (its serial the last signed serial) and, when it was signed
   * for an approval, marks that approval SIGNED, in one transaction. A re-signing has a fresh versionId with no
   * approval row, so only the zone's head changes.
   *
   * @param finishedAt when the version was announced (its ZoneVersionSigned's occurredAt)
   */
  public void markSigned(SignedHead head, Instant finishedAt) {
    LastSignedSerial last = new LastSignedSerial();
    last.zone = head.zone();
    last.lastSignedSerial = head.signedSerial();
    last.versionId = head.signedVersionId();
    last.unsignedVersionId = head.unsignedVersionId();
    last.unsignedSerial = head.unsignedSerial();
    last.content = StoredContentRef.of(head.content());
    last.keySetEventId = head.keySetEventId();
    last.signedEventId = head.signedEventId();
    last.refreshDueAt = head.refreshDueAt();
    inTransaction(
        () ->
            StoredSigning.update(
                    "status = ?1, signedSerial = ?2, signedDigest = ?3, finishedAt = ?4 where versionId = ?5",
                    SigningStatus.SIGNED.name(),
                    head.signedSerial(),
                    head.content().digest(),
                    finishedAt,
                    head.signedVersionId())
                .chain(() -> merge(last)));
  }

  /** The zone's last signed version, if it has one recorded with its content location. */
  public Optional<SignedHead> findSignedHead(String zone) {
    LastSignedSerial row = inSession(() -> LastSignedSerial.findById(zone));
    return Optional.ofNullable(row).filter(r -> r.content != null).map(SignerStore::head);
  }

  /** The last signed versions that are not retired, of zones that have a policy, by zone. */
  public List<SignedHead> signedHeadsOfKnownZones() {
    List<LastSignedSerial> rows =
        inSession(
            () ->
                LastSignedSerial.list(
                    "content.topic is not null and refreshDueAt is not null"
                        + " and zone in (select p.zone from StoredZonePolicy p) order by zone"));
    return rows.stream().map(SignerStore::head).toList();
  }

  /** Moves the zone's next signature refresh to {@code refreshDueAt} (after a refresh that failed). */
  public void postponeRefresh(String zone, Instant refreshDueAt) {
    inTransaction(
        () -> LastSignedSerial.update("refreshDueAt = ?1 where zone = ?2", refreshDueAt, zone).replaceWithVoid());
  }

  /** Marks an approval FAILED, at the time its ZoneSigningFailed occurred. */
  public void markFailed(String versionId, String reason, Instant finishedAt) {
    inTransaction(
        () ->
            StoredSigning.update(
                    "status = ?1, reason = ?2, finishedAt = ?3 where versionId = ?4",
                    SigningStatus.FAILED.name(),
                    reason,
                    finishedAt,
                    versionId)
                .replaceWithVoid());
  }

  public OptionalLong lastSignedSerial(String zone) {
    LastSignedSerial row = inSession(() -> LastSignedSerial.findById(zone));
    return row == null ? OptionalLong.empty() : OptionalLong.of(row.lastSignedSerial);
  }

  /**
   * What the tables hold of the facts that are never deleted, by key: a rebuild compares it with the log to tell
   * whether the tables lack anything.
   *
   * @param manifests the versionIds of the manifests kept
   * @param rejections the versionIds rejected at the unsigned gate
   * @param keySetZones the zones with a key set
   * @param signedZones the zones with a last signed version
   * @param policyZones the zones with a policy
   */
  public record Held(
      Set<String> manifests,
      Set<String> rejections,
      Set<String> keySetZones,
      Set<String> signedZones,
      Set<String> policyZones) {}

  public Held held() {
    return inSession(() -> ids("select m.versionId from StoredManifest m")
        .chain(manifests -> ids("select r.versionId from StoredRejection r")
            .chain(rejections -> ids("select k.zone from StoredKeySet k")
                .chain(keySets -> ids("select s.zone from LastSignedSerial s")
                    .chain(signed -> ids("select p.zone from StoredZonePolicy p")
                        .map(policies -> new Held(manifests, rejections, keySets, signed, policies)))))));
  }

  private static Uni<Set<String>> ids(String query) {
    return Panache.getSession()
        .chain(session -> session.createSelectionQuery(query, String.class).getResultList())
        .map(Set::copyOf);
  }

  // ----------------------------------------------------------------------------------------------- helpers

  /**
   * An approval and its status.
   *
   * @param approval the approval as received
   * @param status where signing stands
   */
  public record ApprovalState(Approval approval, SigningStatus status) {}

  private static ApprovalState state(StoredSigning row) {
    return new ApprovalState(
        new Approval(row.zone, row.versionId, row.unsignedSerial, row.approvalEventId, row.approvedDigest),
        SigningStatus.valueOf(row.status));
  }

  /** Where each manifest's version stands: its signing status if approved, else rejected, else awaiting review. */
  private static List<LaterVersion> laterVersions(
      List<StoredManifest> manifests, List<StoredSigning> signings, List<StoredRejection> rejections) {
    Map<String, StoredSigning> signingById =
        signings.stream().collect(Collectors.toMap(r -> r.versionId, Function.identity()));
    Map<String, StoredRejection> rejectionById =
        rejections.stream().collect(Collectors.toMap(r -> r.versionId, Function.identity()));
    List<LaterVersion> out = new ArrayList<>(manifests.size());
    for (StoredManifest m : manifests) {
      StoredSigning signing = signingById.get(m.versionId);
      LaterVersion.Stage stage;
      if (signing != null) {
        stage =
            switch (SigningStatus.valueOf(signing.status)) {
              case PENDING -> LaterVersion.Stage.APPROVED;
              case SIGNED -> LaterVersion.Stage.SIGNED;
              case FAILED -> LaterVersion.Stage.FAILED;
            };
      } else if (rejectionById.containsKey(m.versionId)) {
        stage = LaterVersion.Stage.REJECTED;
      } else {
        stage = LaterVersion.Stage.AWAITING_REVIEW;
      }
      out.add(new LaterVersion(m.versionId, m.unsignedSerial, stage));
    }
    return out;
  }

  private static SignedHead head(LastSignedSerial r) {
    return new SignedHead(
        r.zone,
        r.versionId,
        r.unsignedVersionId,
        r.unsignedSerial,
        r.lastSignedSerial,
        r.content.toContentRef(),
        r.keySetEventId,
        r.signedEventId,
        r.refreshDueAt);
  }

  private static WrappedKeySet keySet(StoredKeySet head, List<StoredZoneKey> keys) {
    return new WrappedKeySet(
        head.zone,
        head.eventId,
        head.dnskeyTtl,
        keys.stream()
            .map(k -> new WrappedKey(k.keyTag, k.algorithm, k.flags, k.role, k.publicKey, k.wrappedPrivateKey,
                use(k), k.privateKeyUri))
            .toList(),
        head.cdsAndCdnskey.isEmpty() ? List.of() : List.of(head.cdsAndCdnskey.split("\n")));
  }

  /** The stored key's use; null for a key stored without one (the migration V3 constraint keeps the three together). */
  private static KeyUse use(StoredZoneKey key) {
    return key.published == null ? null : new KeyUse(key.published, key.signsKeys, key.signsZone);
  }

  /** Inserts {@code row}, or updates the row with the same id (a select, then an insert or update at commit). */
  private static Uni<Void> merge(Object row) {
    return Panache.getSession().chain(session -> session.merge(row)).replaceWithVoid();
  }

  /** Inserts {@code row} unless {@code existing} found a row with its id. */
  private static <T extends PanacheEntityBase> Uni<Void> persistIfAbsent(Uni<T> existing, T row) {
    return existing.chain(found -> found != null ? Uni.createFrom().voidItem() : row.persist().replaceWithVoid());
  }
}
