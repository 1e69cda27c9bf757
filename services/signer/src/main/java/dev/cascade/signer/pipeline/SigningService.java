package dev.cascade.signer.pipeline;

import dev.cascade.content.BackgroundSnapshots;
import dev.cascade.content.ContentManifests;
import dev.cascade.content.ContentReaders;
import dev.cascade.content.ContentWriter;
import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.progress.Phase;
import dev.cascade.dnssec.progress.PhaseProgress;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.verify.VerifiedSignatures;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.SigningStats;
import dev.cascade.events.v1.ZoneSigningFailed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.service.kafka.HeldZones;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.messaging.StepProgressEmitter;
import dev.cascade.service.tracing.ZoneSpans;
import dev.cascade.signer.config.SignerConfig;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.KeySetException;
import dev.cascade.signer.domain.KeySetUnwrapper;
import dev.cascade.signer.domain.LaterVersion;
import dev.cascade.signer.domain.PreviousSigned;
import dev.cascade.signer.domain.RefreshSchedule;
import dev.cascade.signer.domain.ResignTiming;
import dev.cascade.signer.domain.SignedHead;
import dev.cascade.signer.domain.SigningCause;
import dev.cascade.signer.domain.SigningOutcome;
import dev.cascade.signer.domain.SigningReadiness;
import dev.cascade.signer.domain.PhaseScope;
import dev.cascade.signer.domain.UnsignedManifest;
import dev.cascade.signer.domain.VersionSigner;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.domain.ZonePolicy;
import dev.cascade.signer.persistence.SignerStore.ApprovalState;
import dev.cascade.signer.persistence.SignerStore;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
import java.util.function.Supplier;
import java.util.Locale;
import io.opentelemetry.api.trace.Tracer;

/**
 * Signs approved versions once policy, key set and manifest are all known, on the calling worker thread (inside the
 * trace context of the event that completed the inputs), incrementally from the zone's last signed version where it
 * can be read. Re-signs the last signed version when its signatures are due ({@link SignatureRefreshTimer}) or its key
 * set changed; a re-signing is a new signed version with a fresh versionId that names its unsigned version and its
 * trigger, and goes through the signed review gate and publication like any other. A re-signing waits while a newer
 * version of the zone is on its way to being signed, whose signing makes it moot, unless due signatures would
 * otherwise come close to expiring ({@link ResignTiming}).
 *
 * <p>Work is serialised per zone: the approval, the key set and the manifest arrive on different channels, and two
 * of them may complete the inputs of the same version at the same moment, and a re-signing must not interleave
 * with a signing. With the status in PostgreSQL this makes signing idempotent per (zone, versionId). Every failure
 * becomes a ZoneSigningFailed event; nothing thrown here stops a consumer. A fact is recorded only after its
 * transaction committed ({@link SignedVersionEmitter}); a fenced one throws {@code FencedWriteException} past the
 * records, and the event is left to the instance that now holds the zone.
 *
 * <p>Created at start ({@code @Startup}), so a missing or malformed key-encryption key, or a PKCS#11 token
 * ({@code cascade.pkcs11.*}) that does not open, stops the service at once instead of failing every signing later.
 */
@Startup
@ApplicationScoped
public class SigningService {

  private static final Logger LOG = Logger.getLogger(SigningService.class);
  /** The span of one signing, parent of its {@code sign}, {@code verify} and {@code write} spans. */
  private static final String SPAN = "sign version";

  private final SignerStore store;
  private final SignedVersionEmitter emitter;
  private final SignerMetrics metrics;
  private final StepProgressEmitter progress;
  private final Clock clock;
  private final KeySetUnwrapper unwrapper;
  private final ContentReaders readers;
  private final HeldZones held;
  private final Map<String, Object> producerConfig;
  private final Map<String, ReentrantLock> zoneLocks = new ConcurrentHashMap<>();
  /** Per zone, the postponed re-signing last logged (cause and pending version), so each is logged once. */
  private final Map<String, String> postponementsLogged = new ConcurrentHashMap<>();
  /** Unwrapped keys live only here, in memory, named by the KeySetChanged event id they came from. */
  private final Map<String, UnwrappedKeySet> unwrappedKeys = new ConcurrentHashMap<>();
  /**
   * Per zone, its last signed version, compactly: the base of the next incremental signing and of the difference
   * written for it, so a change does not read the whole zone back from Kafka. Rebuilt from Kafka after a restart.
   */
  private final Map<String, LastSigned> lastSigned = new ConcurrentHashMap<>();
  /** Per zone, the last unsigned version read, so that the next one is read as its difference alone. */
  private final Map<String, LastUnsigned> lastUnsigned = new ConcurrentHashMap<>();

  private final Tracer tracer;
  /** Each signing and each run of the verification gate as a child span, {@code sign} and {@code verify}. */
  private final PhaseScope phases;

  private ContentWriter writer;
  private BackgroundSnapshots snapshots;

  public SigningService(
      SignerStore store,
      SignedVersionEmitter emitter,
      SignerMetrics metrics,
      StepProgressEmitter progress,
      Clock clock,
      SignerConfig config,
      HeldZones held,
      Tracer tracer,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.store = store;
    this.tracer = tracer;
    this.phases =
        new PhaseScope() {
          @Override
          public <T> T run(Phase phase, Supplier<T> work) {
            return ZoneSpans.inSpan(tracer, phase.name().toLowerCase(Locale.ROOT), null, work);
          }
        };
    this.held = held;
    this.emitter = emitter;
    this.metrics = metrics;
    this.progress = progress;
    this.clock = clock;
    this.unwrapper = new KeySetUnwrapper(config.keyWrap(), config.pkcs11().map(Pkcs11Token::open).orElse(null));
    this.readers = new ContentReaders(KafkaSettings.consumer(bootstrapServers, config.registryUrl()));
    this.producerConfig = KafkaSettings.producer(bootstrapServers, config.registryUrl());
  }

  private record UnwrappedKeySet(String eventId, List<SigningKey> keys) {}

  /**
   * The last signed version, the unsigned version it was signed from (null if that could not be read back after a
   * restart), and the signatures the verification gate found valid in it.
   */
  private record LastSigned(
      String signedVersionId, CompactRecords records, CompactRecords unsigned, VerifiedSignatures verified) {}

  /** An unsigned version the signer has read, compactly: a later version written as a difference applies to it. */
  private record LastUnsigned(String versionId, CompactRecords records) {}

  /** Tries every pending approval of {@code zone}: called when its policy or key set has changed. */
  void signPending(String zone) {
    for (ApprovalState pending : store.pendingApprovals(zone)) {
      trySign(pending.approval().versionId());
    }
  }

  /** Forgets the unwrapped keys and the last signed version of a removed zone. */
  void forget(String zone) {
    unwrappedKeys.remove(zone);
    lastSigned.remove(zone);
    lastUnsigned.remove(zone);
    snapshots().forget(zone);
    metrics.forget(zone);
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
        resignIfNeeded(zone);
      } else if (decision instanceof SigningReadiness.Sign sign && !sign(sign)) {
        resignIfNeeded(zone);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Signs an approved version; false if it failed (announced), which may free a re-signing it held back. */
  private boolean sign(SigningReadiness.Sign inputs) {
    Approval approval = inputs.approval();
    UnsignedManifest manifest = inputs.manifest();
    // In the version's own trace, whatever completed its inputs: the approval's trace is one link away.
    return ZoneSpans.continuing(tracer, SPAN, subject(approval.zone(), approval.versionId(), manifest),
        manifest.traceparent(), () -> {
          String reason =
              signVersion(
                  new Job(
                      approval.zone(),
                      approval.versionId(),
                      manifest,
                      inputs.keySet(),
                      inputs.policy(),
                      SigningCause.LOADED,
                      approval.eventId()));
          if (reason != null) {
            fail(approval, reason);
            return false;
          }
          return true;
        });
  }

  private static ZoneSpans.Subject subject(String zone, String signedVersionId, UnsignedManifest manifest) {
    return new ZoneSpans.Subject(zone, signedVersionId, manifest.unsignedSerial());
  }

  /**
   * Re-signs every zone whose last signed version is due for its signatures ({@link RefreshSchedule}), unless
   * {@link ResignTiming} postpones it; called by {@link SignatureRefreshTimer}, so a postponed refresh is looked at
   * again at every check until the zone is idle or the safety valve opens. A zone that fails is logged and does not
   * stop the others. Only zones this instance holds ({@link HeldZones}): the tables are shared by every replica, and
   * the holder of a zone's partition is the one that signs it.
   */
  void refreshDueZones() {
    Instant now = clock.instant();
    for (SignedHead head : store.signedHeadsOfKnownZones()) {
      if (held.holds(head.zone()) && RefreshSchedule.isDue(head.refreshDueAt(), now)) {
        try {
          resignIfNeeded(head.zone());
        } catch (RuntimeException e) {
          LOG.errorf(e, "zone %s: signature refresh failed", head.zone());
        }
      }
    }
  }

  /**
   * Re-signs {@code zone} if its key set changed since its last signed version was made (reference notes §6, Resign
   * with {@code keys_changed}) or that version's signatures are due ({@code sigs_need_refresh}), and no newer version
   * of it is on its way to being signed ({@link ResignTiming}). Called after a new key set was stored and the pending
   * approvals it completed were signed, by the timer, and whenever a newer version leaves the pipeline without being
   * signed (rejected at the unsigned gate, or its signing failed), so a postponed re-signing happens once the zone
   * is idle; a newer version that is signed makes it moot instead (signed with the latest key set, its due RRSIGs
   * re-made), so nothing is re-signed twice.
   */
  void resignIfNeeded(String zone) {
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
      Duration remainTime = policy.get().signing().remainTime();
      ResignTiming.Decision decision =
          ResignTiming.decide(
              head,
              keySet.get().eventId(),
              store.laterVersions(zone, head.unsignedVersionId()),
              remainTime,
              clock.instant());
      if (decision instanceof ResignTiming.Postpone postpone) {
        logPostponed(zone, postpone);
      } else if (decision instanceof ResignTiming.Resign resign) {
        postponementsLogged.remove(zone);
        resign.overriding()
            .ifPresent(
                pending ->
                    LOG.warnf(
                        "zone %s: signatures due since %s and version %s (serial %d) still %s after half the"
                            + " remain time (%s): re-signing now so that no signature expires while it waits",
                        zone, head.refreshDueAt(), pending.versionId(), pending.unsignedSerial(),
                        describe(pending.stage()), remainTime));
        String causationId =
            resign.cause() == SigningCause.KEYS_CHANGED ? keySet.get().eventId() : head.signedEventId();
        resign(head, policy.get(), keySet.get(), resign.cause(), causationId);
      } else {
        postponementsLogged.remove(zone);
      }
    } finally {
      lock.unlock();
    }
  }

  private void logPostponed(String zone, ResignTiming.Postpone postpone) {
    LaterVersion pending = postpone.pending();
    String logged = postpone.cause() + " " + pending.versionId() + " " + pending.stage();
    if (logged.equals(postponementsLogged.put(zone, logged))) {
      return;
    }
    LOG.infof(
        "zone %s: re-signing (%s) postponed: version %s (serial %d) is %s and its signing makes it moot%s",
        zone, postpone.cause(), pending.versionId(), pending.unsignedSerial(), describe(pending.stage()),
        postpone.safetyValveAt().map(at -> "; re-signing anyway from " + at).orElse(""));
  }

  private static String describe(LaterVersion.Stage stage) {
    return stage == LaterVersion.Stage.APPROVED ? "approved, not yet signed" : "awaiting its unsigned review";
  }

  /**
   * Re-signs the unsigned version of the zone's last signed version, incrementally from it, as a new signed version
   * with a fresh versionId (so it passes the signed review gate and publication under its own id) and a serial from
   * the serial policy. Runs under the zone lock, after {@link ResignTiming} decided for it.
   */
  private void resign(
      SignedHead head, ZonePolicy policy, WrappedKeySet keySet, SigningCause cause, String causationId) {
    String zone = head.zone();
    Optional<UnsignedManifest> manifest = store.findManifest(head.unsignedVersionId());
    String versionId = resignedVersionId(zone, cause, causationId);
    // A version of its own, in the trace that set it off (a new one for the timer), linked to the version it re-signs.
    String reason =
        manifest.isEmpty()
            ? "the manifest of unsigned version " + head.unsignedVersionId() + " is gone"
            : ZoneSpans.linked(tracer, SPAN, subject(zone, versionId, manifest.get()), manifest.get().traceparent(),
                () -> signVersion(new Job(zone, versionId, manifest.get(), keySet, policy, cause, causationId)));
    if (reason != null) {
      Instant failedAt = emitFailure(
          zone, head.unsignedVersionId(), head.unsignedSerial(), causationId,
          "re-signing (" + cause + ") failed: " + reason);
      // From the time the failure carries, so that a rebuild from it postpones to the same time.
      store.postponeRefresh(zone, RefreshSchedule.retryAt(failedAt, policy.signing()));
    }
  }

  /**
   * The versionId of a re-signing, derived from what caused it (a name-based UUID, RFC 9562 §5.3) rather than drawn
   * at random: a re-signing tried again for the same cause (after it failed, or after a crash before its fact went
   * out) makes the same version, never a second one beside it (issue 9, deterministic ids). A cause is used once: a
   * new key set's event, or the signed version whose signatures fell due, which the re-signing then replaces.
   */
  static String resignedVersionId(String zone, SigningCause cause, String causationId) {
    return UUID.nameUUIDFromBytes((zone + " " + cause + " " + causationId).getBytes(StandardCharsets.UTF_8))
        .toString();
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
   * the signed content, announces it and makes it the zone's last signed version, reporting the progress of each
   * long phase under the signed version's id. Returns null on success, else why there is no signed version; the
   * caller reports that.
   */
  private String signVersion(Job job) {
    String zone = job.zone();
    PhaseProgress reported = progress.start(zone, job.signedVersionId(), job.causationId());
    List<SigningKey> keys;
    List<Record> cdsAndCdnskey;
    try {
      keys = keysOf(job.keySet());
      cdsAndCdnskey = KeySetUnwrapper.cdsAndCdnskey(job.keySet());
    } catch (KeySetException e) {
      return "key set " + job.keySet().eventId() + ": " + e.getMessage();
    }
    UnsignedManifest manifest = job.manifest();
    // The previous version first: after a restart it reads back the unsigned version behind it, which the new
    // unsigned version is then read onto when it was written as its difference.
    Optional<SignedHead> head = store.findSignedHead(zone);
    PreviousSigned previous = previous(zone, head);
    CompactRecords unsigned;
    try {
      unsigned = readUnsigned(zone, manifest, reported.of(Phase.READ));
    } catch (Exception e) {
      return "cannot read unsigned content: " + describe(e);
    }
    Name origin;
    try {
      origin = Name.fromString(zone, Name.root);
    } catch (Exception e) {
      return "zone name " + zone + " is invalid: " + describe(e);
    }
    int threads = Runtime.getRuntime().availableProcessors();
    LOG.infof("zone %s version %s (%s): signing %d records with %d keys, up to %d threads",
        zone, job.signedVersionId(), job.cause(), unsigned.size(), keys.size(), threads);
    SigningOutcome outcome =
        new VersionSigner(clock, threads, verifiedSignatures(zone), reported, phases)
            .sign(
                origin,
                manifest.unsignedSerial(),
                unsigned,
                keys,
                job.keySet().dnskeyTtl(),
                cdsAndCdnskey,
                job.policy(),
                store.lastSignedSerial(zone),
                previous);
    if (outcome instanceof SigningOutcome.Failed failed) {
      return failed.reason();
    }
    SigningOutcome.Signed signed = (SigningOutcome.Signed) outcome;
    if (!signed.incremental()) {
      LOG.infof("zone %s version %s: signed in full: %s", zone, job.signedVersionId(), signed.fullSigningReason());
    } else if (signed.change() == null) {
      LOG.infof("zone %s version %s: signed by a pass over the zone: %s", zone, job.signedVersionId(),
          signed.passReason());
    }
    ContentLocation location;
    try {
      location = ZoneSpans.inSpan(tracer, "write", null,
          () -> write(zone, job.signedVersionId(), signed, head, reported.of(Phase.WRITE)));
    } catch (Exception e) {
      return "cannot write signed content: " + describe(e);
    }
    boolean resigned = !job.signedVersionId().equals(manifest.versionId());
    // The precision the fact carries it in, so the head recorded here and one rebuilt from the fact are the same.
    Instant refreshDueAt = signed.refreshDueAt().truncatedTo(ChronoUnit.MILLIS);
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
            .setKeySetEventId(job.keySet().eventId())
            .setRefreshDueAt(refreshDueAt)
            .build();
    SignedVersionFact event = envelope(zone, job.causationId(), fact);
    emitter.send(event);
    metrics.signed(zone, signed, event.getMetadata().getOccurredAt());
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
            refreshDueAt),
        event.getMetadata().getOccurredAt());
    lastSigned.put(zone, new LastSigned(job.signedVersionId(), signed.records(), unsigned, signed.verified()));
    snapshots().announced(zone, job.signedVersionId(), signed.records(), location);
    LOG.infof("zone %s version %s: signed serial %d, %d records, %d RRSIGs (%d reused), refresh due at %s, written %s",
        zone, job.signedVersionId(), signed.signedSerial(), signed.records().size(), signed.stats().rrsigCount(),
        signed.stats().reusedRrsigCount(), signed.refreshDueAt(),
        location.getBase() == null ? "whole" : "as its difference from version " + location.getBase());
    return null;
  }

  /**
   * The signatures the verification gate found valid when it last passed a version of the zone: safe to hand to the
   * next run whatever version that was, as each is remembered by the exact data and signature it verified.
   */
  private VerifiedSignatures verifiedSignatures(String zone) {
    LastSigned last = lastSigned.get(zone);
    return last == null ? VerifiedSignatures.none() : last.verified();
  }

  /**
   * Writes the signed version: as its difference from the zone's last signed version (read from its whole copy when
   * {@link BackgroundSnapshots} has written one) when that is at hand and the difference is small ({@link
   * ContentManifests#wholeVersionDue}), else whole. A version signed as a change from that version brings its
   * difference; otherwise it is computed. {@code progress} is told the records written.
   */
  private ContentLocation write(
      String zone, String versionId, SigningOutcome.Signed signed, Optional<SignedHead> head, Progress progress) {
    CompactRecords records = signed.records();
    LastSigned base = head.map(h -> lastSigned.get(zone))
        .filter(last -> last.signedVersionId().equals(head.get().signedVersionId()))
        .orElse(null);
    if (base != null) {
      ContentLocation baseLocation =
          snapshots().baseOf(zone, base.signedVersionId(), EventMapping.location(head.get().content()));
      CompactDiff diff = signed.change() != null ? signed.change() : CompactDiff.between(base.records(), records);
      if (!ContentManifests.wholeVersionDue(baseLocation, diff.size(), records.size())) {
        ContentWriter.Difference difference =
            new ContentWriter.Difference(base.signedVersionId(), baseLocation, diff);
        return writer().write(Topics.SIGNED_CONTENT, zone, versionId, difference, records, progress);
      }
    }
    return writer().write(Topics.SIGNED_CONTENT, zone, versionId, records, progress);
  }

  /**
   * The unsigned version to sign: when it was written as its difference from the unsigned version read last, only the
   * difference is read and applied; otherwise the version is read whole, or rebuilt from its chain, telling
   * {@code progress} the records read.
   */
  private CompactRecords readUnsigned(String zone, UnsignedManifest manifest, Progress progress) {
    ContentLocation where = EventMapping.location(manifest.content());
    LastUnsigned last = lastUnsigned.get(zone);
    CompactRecords records = readers.read(reader -> last != null && last.versionId().equals(where.getBase())
        ? reader.readOnto(last.records(), where, zone, manifest.versionId())
        : reader.readCompact(where, zone, manifest.versionId(), progress));
    lastUnsigned.put(zone, new LastUnsigned(manifest.versionId(), records));
    return records;
  }

  /**
   * The zone's last signed version, the base of an incremental signing, with the unsigned version it was made from:
   * held in memory since it was signed, or read back from Kafka once after a restart.
   */
  private PreviousSigned previous(String zone, Optional<SignedHead> head) {
    if (head.isEmpty()) {
      return new PreviousSigned.None();
    }
    LastSigned held = lastSigned.get(zone);
    if (held != null && held.signedVersionId().equals(head.get().signedVersionId())) {
      return new PreviousSigned.Available(held.records(), held.unsigned());
    }
    CompactRecords records;
    try {
      records = readers.read(
          reader -> reader.readCompact(EventMapping.location(head.get().content()), zone, head.get().signedVersionId()));
    } catch (Exception e) {
      return new PreviousSigned.Unreadable(
          "version " + head.get().signedVersionId() + " at " + head.get().content().topic() + ": " + describe(e));
    }
    CompactRecords unsigned = store.findManifest(head.get().unsignedVersionId())
        .map(manifest -> readUnsignedOrNull(zone, manifest))
        .orElse(null);
    lastSigned.put(zone, new LastSigned(head.get().signedVersionId(), records, unsigned, VerifiedSignatures.none()));
    return new PreviousSigned.Available(records, unsigned);
  }

  /**
   * The unsigned version behind the last signed one, read back after a restart; null if it cannot be read, which
   * only costs the next signing a pass over the whole zone.
   */
  private CompactRecords readUnsignedOrNull(String zone, UnsignedManifest manifest) {
    try {
      return readUnsigned(zone, manifest, Progress.NONE);
    } catch (Exception e) {
      LOG.infof("zone %s: the unsigned version %s behind the last signed one cannot be read back (%s); the next"
          + " version is signed by a pass over the whole zone", zone, manifest.versionId(), describe(e));
      return null;
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
    Instant failedAt =
        emitFailure(approval.zone(), approval.versionId(), approval.unsignedSerial(), approval.eventId(), reason);
    store.markFailed(approval.versionId(), reason, failedAt);
  }

  /** Announces that {@code versionId} (an unsigned version) could not be signed; returns when the failure occurred. */
  private Instant emitFailure(String zone, String versionId, long unsignedSerial, String causationId, String reason) {
    LOG.warnf("zone %s version %s: signing failed: %s", zone, versionId, reason);
    ZoneSigningFailed fact =
        ZoneSigningFailed.newBuilder()
            .setVersionId(versionId)
            .setUnsignedSerial(unsignedSerial)
            .setReason(reason)
            .build();
    SignedVersionFact event = envelope(zone, causationId, fact);
    emitter.send(event);
    metrics.failed(zone, reason, event.getMetadata().getOccurredAt());
    return event.getMetadata().getOccurredAt();
  }

  /**
   * The fact in its envelope, its occurredAt in the millisecond precision the event carries: the times the signer
   * records from it are then those a rebuild reads back.
   */
  private SignedVersionFact envelope(String zone, String causationId, Object fact) {
    Clock millis = Clock.fixed(clock.instant().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    return SignedVersionFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(millis, EventMapping.PRODUCER, causationId))
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

  private synchronized BackgroundSnapshots snapshots() {
    if (snapshots == null) {
      snapshots = new BackgroundSnapshots(
          new ContentWriter(producerConfig), Topics.SIGNED_CONTENT, BackgroundSnapshots.DELAY);
    }
    return snapshots;
  }

  @PreDestroy
  synchronized void close() {
    readers.close();
    if (writer != null) {
      writer.close();
      writer = null;
    }
    if (snapshots != null) {
      snapshots.close();
      snapshots = null;
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
