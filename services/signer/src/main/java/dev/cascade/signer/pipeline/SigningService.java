package dev.cascade.signer.pipeline;

import dev.cascade.content.ContentReader;
import dev.cascade.content.ContentWriter;
import dev.cascade.content.KafkaSettings;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.SigningStats;
import dev.cascade.events.v1.ZoneSigningFailed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.signer.config.SignerConfig;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.KeySetException;
import dev.cascade.signer.domain.KeySetUnwrapper;
import dev.cascade.signer.domain.PreviousSigned;
import dev.cascade.signer.domain.RefreshSchedule;
import dev.cascade.signer.domain.SignedHead;
import dev.cascade.signer.domain.SigningCause;
import dev.cascade.signer.domain.SigningOutcome;
import dev.cascade.signer.domain.SigningReadiness;
import dev.cascade.signer.domain.UnsignedManifest;
import dev.cascade.signer.domain.VersionSigner;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.domain.ZonePolicy;
import dev.cascade.signer.persistence.SignerStore;
import dev.cascade.signer.persistence.SignerStore.ApprovalState;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Signs approved versions once policy, key set and manifest are all known, on the calling worker thread (inside the
 * trace context of the event that completed the inputs), incrementally from the zone's last signed version where it
 * can be read. Re-signs the last signed version when its signatures are due ({@link SignatureRefreshTimer}) or its key
 * set changed; a re-signing is a new signed version with a fresh versionId that names its unsigned version and its
 * trigger, and goes through the signed review gate and publication like any other.
 *
 * <p>Work is serialised per zone: the approval, the key set and the manifest arrive on different channels, and two
 * of them may complete the inputs of the same version at the same moment, and a re-signing must not interleave
 * with a signing. With the status in PostgreSQL this makes signing idempotent per (zone, versionId). Every failure
 * becomes a ZoneSigningFailed event; nothing thrown here
 * stops a consumer.
 *
 * <p>Created at start ({@code @Startup}), so a missing or malformed key-encryption key stops the service at once
 * instead of failing every signing later.
 */
@Startup
@ApplicationScoped
public class SigningService {

  private static final Logger LOG = Logger.getLogger(SigningService.class);

  private final SignerStore store;
  private final SignedVersionEmitter emitter;
  private final Clock clock;
  private final KeySetUnwrapper unwrapper;
  private final Map<String, Object> consumerConfig;
  private final Map<String, Object> producerConfig;
  private final Map<String, ReentrantLock> zoneLocks = new ConcurrentHashMap<>();
  /** Unwrapped keys live only here, in memory, named by the KeySetChanged event id they came from. */
  private final Map<String, UnwrappedKeySet> unwrappedKeys = new ConcurrentHashMap<>();

  private ContentWriter writer;

  public SigningService(
      SignerStore store,
      SignedVersionEmitter emitter,
      Clock clock,
      SignerConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.store = store;
    this.emitter = emitter;
    this.clock = clock;
    this.unwrapper = new KeySetUnwrapper(config.keyEncryptionKeyBytes());
    this.consumerConfig = KafkaSettings.consumer(bootstrapServers, config.registryUrl());
    this.producerConfig = KafkaSettings.producer(bootstrapServers, config.registryUrl());
  }

  private record UnwrappedKeySet(String eventId, List<SigningKey> keys) {}

  /** Tries every pending approval of {@code zone}: called when its policy or key set has changed. */
  void signPending(String zone) {
    for (ApprovalState pending : store.pendingApprovals(zone)) {
      trySign(pending.approval().versionId());
    }
  }

  /** Forgets the unwrapped keys of a removed zone. */
  void forgetKeys(String zone) {
    unwrappedKeys.remove(zone);
  }

  /** Signs {@code versionId} if it is approved, not yet handled and all its inputs are there. */
  void trySign(String versionId) {
    Optional<ApprovalState> found = store.findApproval(versionId);
    if (found.isEmpty()) {
      return;
    }
    String zone = found.get().approval().zone();
    ReentrantLock lock = zoneLocks.computeIfAbsent(zone, z -> new ReentrantLock());
    lock.lock();
    try {
      // Read again under the lock: another channel may have finished (or a ZoneRemoved dropped) it meanwhile.
      Optional<ApprovalState> current = store.findApproval(versionId);
      if (current.isEmpty()) {
        return;
      }
      ApprovalState state = current.get();
      SigningReadiness.Decision decision =
          SigningReadiness.assess(
              state.approval(),
              state.status(),
              store.findPolicy(zone),
              store.findKeySet(zone),
              store.findManifest(versionId));
      if (decision instanceof SigningReadiness.Wait wait) {
        LOG.infof("zone %s version %s: approved, waiting for %s", zone, versionId, String.join(", ", wait.missing()));
      } else if (decision instanceof SigningReadiness.Refuse refuse) {
        fail(state.approval(), refuse.reason());
      } else if (decision instanceof SigningReadiness.Sign sign) {
        sign(sign);
      }
    } finally {
      lock.unlock();
    }
  }

  private void sign(SigningReadiness.Sign inputs) {
    Approval approval = inputs.approval();
    String reason =
        signVersion(
            new Job(
                approval.zone(),
                approval.versionId(),
                inputs.manifest(),
                inputs.keySet(),
                inputs.policy(),
                SigningCause.LOADED,
                approval.eventId()));
    if (reason != null) {
      fail(approval, reason);
    }
  }

  /**
   * Re-signs every zone whose last signed version is due for its signatures ({@link RefreshSchedule}); called by
   * {@link SignatureRefreshTimer}. A zone that fails is logged and does not stop the others.
   */
  void refreshDueZones() {
    Instant now = clock.instant();
    for (SignedHead head : store.signedHeadsOfKnownZones()) {
      if (RefreshSchedule.isDue(head.refreshDueAt(), now)) {
        try {
          resign(head.zone(), SigningCause.SIGNATURE_REFRESH, head.signedEventId());
        } catch (RuntimeException e) {
          LOG.errorf(e, "zone %s: signature refresh failed", head.zone());
        }
      }
    }
  }

  /**
   * Re-signs {@code zone} if its last signed version was made with a key set other than {@code keySetEventId}
   * (reference notes §6, Resign with {@code keys_changed}); called after a new key set was stored and the pending
   * approvals it completed were signed.
   */
  void resignForNewKeys(String zone, String keySetEventId) {
    Optional<SignedHead> head = store.findSignedHead(zone);
    if (head.isPresent() && !head.get().retired() && head.get().signedWithOtherKeySet(keySetEventId)) {
      resign(zone, SigningCause.KEYS_CHANGED, keySetEventId);
    }
  }

  /**
   * Re-signs the unsigned version of the zone's last signed version, incrementally from it, as a new signed version
   * with a fresh versionId (so it passes the signed review gate and publication under its own id) and a serial from
   * the serial policy. Under the zone lock the reason is checked again: another signing may have made it moot.
   */
  private void resign(String zone, SigningCause cause, String causationId) {
    ReentrantLock lock = zoneLocks.computeIfAbsent(zone, z -> new ReentrantLock());
    lock.lock();
    try {
      Optional<SignedHead> found = store.findSignedHead(zone);
      Optional<ZonePolicy> policy = store.findPolicy(zone);
      Optional<WrappedKeySet> keySet = store.findKeySet(zone);
      if (found.isEmpty() || policy.isEmpty() || keySet.isEmpty()) {
        return;
      }
      SignedHead head = found.get();
      if (head.retired()) {
        return;
      }
      boolean stillNeeded =
          cause == SigningCause.KEYS_CHANGED
              ? head.signedWithOtherKeySet(keySet.get().eventId())
              : RefreshSchedule.isDue(head.refreshDueAt(), clock.instant());
      if (!stillNeeded) {
        return;
      }
      Optional<UnsignedManifest> manifest = store.findManifest(head.unsignedVersionId());
      String reason =
          manifest.isEmpty()
              ? "the manifest of unsigned version " + head.unsignedVersionId() + " is gone"
              : signVersion(
                  new Job(
                      zone,
                      UUID.randomUUID().toString(),
                      manifest.get(),
                      keySet.get(),
                      policy.get(),
                      cause,
                      causationId));
      if (reason != null) {
        emitFailure(
            zone, head.unsignedVersionId(), head.unsignedSerial(), causationId,
            "re-signing (" + cause + ") failed: " + reason);
        store.postponeRefresh(zone, RefreshSchedule.retryAt(clock.instant(), policy.get().signing()));
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * One signing to do.
   *
   * @param zone the apex
   * @param signedVersionId the versionId of the signed version to make
   * @param manifest the unsigned version to sign
   * @param keySet the key set to sign with
   * @param policy the zone's policy
   * @param cause why the zone is signed
   * @param causationId the event that caused the signing
   */
  private record Job(
      String zone,
      String signedVersionId,
      UnsignedManifest manifest,
      WrappedKeySet keySet,
      ZonePolicy policy,
      SigningCause cause,
      String causationId) {}

  /**
   * Signs the job's unsigned version (incrementally from the zone's last signed version if that can be read), writes
   * the signed content, announces it and makes it the zone's last signed version. Returns null on success, else why
   * there is no signed version; the caller reports that.
   */
  private String signVersion(Job job) {
    String zone = job.zone();
    List<SigningKey> keys;
    try {
      keys = keysOf(job.keySet());
    } catch (KeySetException e) {
      return "key set " + job.keySet().eventId() + ": " + e.getMessage();
    }
    UnsignedManifest manifest = job.manifest();
    List<Record> unsigned;
    try (ContentReader reader = new ContentReader(consumerConfig)) {
      unsigned = reader.readAll(EventMapping.location(manifest.content()), zone, manifest.versionId());
    } catch (Exception e) {
      return "cannot read unsigned content: " + describe(e);
    }
    Name origin;
    try {
      origin = Name.fromString(zone, Name.root);
    } catch (Exception e) {
      return "zone name " + zone + " is invalid: " + describe(e);
    }
    PreviousSigned previous = previous(zone);
    int threads = Runtime.getRuntime().availableProcessors();
    LOG.infof("zone %s version %s (%s): signing %d records with %d keys on %d threads",
        zone, job.signedVersionId(), job.cause(), unsigned.size(), keys.size(), threads);
    SigningOutcome outcome =
        new VersionSigner(clock, threads)
            .sign(
                origin,
                manifest.unsignedSerial(),
                unsigned,
                keys,
                job.keySet().dnskeyTtl(),
                job.policy(),
                store.lastSignedSerial(zone),
                previous);
    if (outcome instanceof SigningOutcome.Failed failed) {
      return failed.reason();
    }
    SigningOutcome.Signed signed = (SigningOutcome.Signed) outcome;
    if (!signed.incremental()) {
      LOG.infof("zone %s version %s: signed in full: %s", zone, job.signedVersionId(), signed.fullSigningReason());
    }
    ContentLocation location;
    try {
      location = writer().write(Topics.SIGNED_CONTENT, zone, job.signedVersionId(), signed.records());
    } catch (Exception e) {
      return "cannot write signed content: " + describe(e);
    }
    boolean resigned = !job.signedVersionId().equals(manifest.versionId());
    ZoneVersionSigned fact =
        ZoneVersionSigned.newBuilder()
            .setVersionId(job.signedVersionId())
            .setUnsignedSerial(manifest.unsignedSerial())
            .setSignedSerial(signed.signedSerial())
            .setContent(location)
            .setStats(
                SigningStats.newBuilder()
                    .setUnsignedRrCount(signed.stats().unsignedRrCount())
                    .setDenialRrCount(signed.stats().denialRrCount())
                    .setRrsigCount(signed.stats().rrsigCount())
                    .setReusedRrsigCount(signed.stats().reusedRrsigCount())
                    .setStartedAt(signed.startedAt())
                    .setFinishedAt(signed.finishedAt())
                    .setThreads(signed.stats().threads())
                    .build())
            .setTrigger(EventMapping.trigger(job.cause()))
            .setUnsignedVersionId(resigned ? manifest.versionId() : null)
            .build();
    SignedVersionFact event = envelope(zone, job.causationId(), fact);
    emitter.send(event);
    store.markSigned(
        new SignedHead(
            zone,
            job.signedVersionId(),
            manifest.versionId(),
            manifest.unsignedSerial(),
            signed.signedSerial(),
            EventMapping.ref(location),
            job.keySet().eventId(),
            event.getMetadata().getEventId(),
            signed.refreshDueAt()));
    LOG.infof("zone %s version %s: signed serial %d, %d records, %d RRSIGs (%d reused), refresh due at %s",
        zone, job.signedVersionId(), signed.signedSerial(), signed.records().size(), signed.stats().rrsigCount(),
        signed.stats().reusedRrsigCount(), signed.refreshDueAt());
    return null;
  }

  /** Reads the zone's last signed version back, the base of an incremental signing. */
  private PreviousSigned previous(String zone) {
    Optional<SignedHead> head = store.findSignedHead(zone);
    if (head.isEmpty()) {
      return new PreviousSigned.None();
    }
    try (ContentReader reader = new ContentReader(consumerConfig)) {
      return new PreviousSigned.Available(
          reader.readAll(EventMapping.location(head.get().content()), zone, head.get().signedVersionId()));
    } catch (Exception e) {
      return new PreviousSigned.Unreadable(
          "version " + head.get().signedVersionId() + " at " + head.get().content().topic() + ": " + describe(e));
    }
  }

  private List<SigningKey> keysOf(WrappedKeySet keySet) throws KeySetException {
    UnwrappedKeySet cached = unwrappedKeys.get(keySet.zone());
    if (cached != null && cached.eventId().equals(keySet.eventId())) {
      return cached.keys();
    }
    List<SigningKey> keys = unwrapper.unwrap(keySet);
    unwrappedKeys.put(keySet.zone(), new UnwrappedKeySet(keySet.eventId(), keys));
    return keys;
  }

  private void fail(Approval approval, String reason) {
    emitFailure(approval.zone(), approval.versionId(), approval.unsignedSerial(), approval.eventId(), reason);
    store.markFailed(approval.versionId(), reason);
  }

  /** Announces that {@code versionId} (an unsigned version) could not be signed. */
  private void emitFailure(String zone, String versionId, long unsignedSerial, String causationId, String reason) {
    LOG.warnf("zone %s version %s: signing failed: %s", zone, versionId, reason);
    ZoneSigningFailed fact =
        ZoneSigningFailed.newBuilder()
            .setVersionId(versionId)
            .setUnsignedSerial(unsignedSerial)
            .setReason(reason)
            .build();
    emitter.send(envelope(zone, causationId, fact));
  }

  private SignedVersionFact envelope(String zone, String causationId, Object fact) {
    return SignedVersionFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(clock, EventMapping.PRODUCER, causationId))
        .setZone(zone)
        .setFact(fact)
        .build();
  }

  private synchronized ContentWriter writer() {
    if (writer == null) {
      writer = new ContentWriter(producerConfig);
    }
    return writer;
  }

  @PreDestroy
  synchronized void close() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
