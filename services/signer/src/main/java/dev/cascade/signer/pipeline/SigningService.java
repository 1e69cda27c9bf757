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
import dev.cascade.signer.domain.SigningOutcome;
import dev.cascade.signer.domain.SigningReadiness;
import dev.cascade.signer.domain.VersionSigner;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.persistence.SignerStore;
import dev.cascade.signer.persistence.SignerStore.ApprovalState;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Signs approved versions once policy, key set and manifest are all known, on the calling worker thread (inside the
 * trace context of the event that completed the inputs).
 *
 * <p>Work is serialised per zone: the approval, the key set and the manifest arrive on different channels, and two
 * of them may complete the inputs of the same version at the same moment. With the status in PostgreSQL this makes
 * signing idempotent per (zone, versionId). Every failure becomes a ZoneSigningFailed event; nothing thrown here
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
    String zone = approval.zone();
    String versionId = approval.versionId();
    List<SigningKey> keys;
    try {
      keys = keysOf(inputs.keySet());
    } catch (KeySetException e) {
      fail(approval, "key set " + inputs.keySet().eventId() + ": " + e.getMessage());
      return;
    }
    List<Record> unsigned;
    try (ContentReader reader = new ContentReader(consumerConfig)) {
      unsigned = reader.readAll(EventMapping.location(inputs.manifest().content()), zone, versionId);
    } catch (Exception e) {
      fail(approval, "cannot read unsigned content: " + describe(e));
      return;
    }
    Name origin;
    try {
      origin = Name.fromString(zone, Name.root);
    } catch (Exception e) {
      fail(approval, "zone name " + zone + " is invalid: " + describe(e));
      return;
    }
    int threads = Runtime.getRuntime().availableProcessors();
    LOG.infof("zone %s version %s: signing %d records with %d keys on %d threads",
        zone, versionId, unsigned.size(), keys.size(), threads);
    SigningOutcome outcome =
        new VersionSigner(clock, threads)
            .sign(
                origin,
                inputs.manifest().unsignedSerial(),
                unsigned,
                keys,
                inputs.keySet().dnskeyTtl(),
                inputs.policy(),
                store.lastSignedSerial(zone));
    if (outcome instanceof SigningOutcome.Failed failed) {
      fail(approval, failed.reason());
      return;
    }
    SigningOutcome.Signed signed = (SigningOutcome.Signed) outcome;
    ContentLocation location;
    try {
      location = writer().write(Topics.SIGNED_CONTENT, zone, versionId, signed.records());
    } catch (Exception e) {
      fail(approval, "cannot write signed content: " + describe(e));
      return;
    }
    ZoneVersionSigned fact =
        ZoneVersionSigned.newBuilder()
            .setVersionId(versionId)
            .setUnsignedSerial(inputs.manifest().unsignedSerial())
            .setSignedSerial(signed.signedSerial())
            .setContent(location)
            .setStats(
                SigningStats.newBuilder()
                    .setUnsignedRrCount(signed.stats().unsignedRrCount())
                    .setDenialRrCount(signed.stats().denialRrCount())
                    .setRrsigCount(signed.stats().rrsigCount())
                    .setStartedAt(signed.startedAt())
                    .setFinishedAt(signed.finishedAt())
                    .setThreads(signed.stats().threads())
                    .build())
            .build();
    emitter.send(envelope(approval, fact));
    store.markSigned(zone, versionId, signed.signedSerial(), location.getDigest());
    LOG.infof("zone %s version %s: signed serial %d, %d records, %d RRSIGs",
        zone, versionId, signed.signedSerial(), signed.records().size(), signed.stats().rrsigCount());
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
    LOG.warnf("zone %s version %s: signing failed: %s", approval.zone(), approval.versionId(), reason);
    ZoneSigningFailed fact =
        ZoneSigningFailed.newBuilder()
            .setVersionId(approval.versionId())
            .setUnsignedSerial(approval.unsignedSerial())
            .setReason(reason)
            .build();
    emitter.send(envelope(approval, fact));
    store.markFailed(approval.versionId(), reason);
  }

  private SignedVersionFact envelope(Approval approval, Object fact) {
    return SignedVersionFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(clock, EventMapping.PRODUCER, approval.eventId()))
        .setZone(approval.zone())
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
