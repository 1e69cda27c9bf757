package dev.cascade.publisher.pipeline;

import dev.cascade.dnssec.progress.Phase;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.verify.SignatureExpiry;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.publisher.dns.DnsListeners;
import dev.cascade.publisher.dns.Notifier;
import dev.cascade.publisher.domain.ContentRef;
import dev.cascade.publisher.domain.InvalidZoneException;
import dev.cascade.publisher.domain.PublicationFailures.Failure;
import dev.cascade.publisher.domain.PublicationFailures;
import dev.cascade.publisher.domain.ServedZones;
import dev.cascade.publisher.domain.SignedVersion;
import dev.cascade.publisher.domain.ZoneSnapshot;
import dev.cascade.publisher.persistence.PublisherStore.Approval;
import dev.cascade.publisher.persistence.PublisherStore;
import dev.cascade.publisher.persistence.SignedZoneFiles;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.messaging.FactTransactions;
import dev.cascade.service.messaging.StepProgressEmitter;
import dev.cascade.service.messaging.TransactionsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Serial;
import org.xbill.DNS.TextParseException;
import io.opentelemetry.api.trace.Tracer;
import dev.cascade.service.tracing.ZoneSpans;

/**
 * What the publisher does with each fact, on the consumer's worker thread: put review versions on the review
 * servers, and publish approved signed versions. A version is swapped in only after it was read and checked in full;
 * whatever fails, the version served before stays served, and the failure is logged with zone and version.
 *
 * <p>A publication is announced exactly once per instance (issue 9): its ZoneVersionPublished goes out in a Kafka
 * transaction of this instance ({@link FactTransactions}), fenced by the consumer group membership of the event being
 * handled, under an eventId derived from that event and this instance, so an announcement made again for the same
 * event (after a crash) is the same fact to every reader that dedupes on eventIds.
 */
@ApplicationScoped
public class PublicationService {

  private static final Logger LOG = Logger.getLogger(PublicationService.class);

  private final DnsListeners listeners;
  private final PublisherStore store;
  private final ContentLoader loader;
  private final FactTransactions transactions;
  private final String instance;
  private final StepProgressEmitter progress;
  private final PublicationFailures failures;
  private final RemainTimes remainTimes;
  private final Notifier notifier;
  private final SignedZoneFiles files;
  private final Clock clock;
  private final PublisherMetrics metrics;
  private final Map<String, ReentrantLock> zoneLocks = new ConcurrentHashMap<>();

  /** The {@code publish version} span, in the version's trace. */
  private final Tracer tracer;

  public PublicationService(
      DnsListeners listeners,
      PublisherStore store,
      ContentLoader loader,
      FactTransactions transactions,
      TransactionsConfig instance,
      StepProgressEmitter progress,
      PublicationFailures failures,
      RemainTimes remainTimes,
      Notifier notifier,
      SignedZoneFiles files,
      Clock clock,
      PublisherMetrics metrics,
      Tracer tracer) {
    this.tracer = tracer;
    this.listeners = listeners;
    this.store = store;
    this.loader = loader;
    this.transactions = transactions;
    this.instance = instance.instance();
    this.progress = progress;
    this.failures = failures;
    this.remainTimes = remainTimes;
    this.notifier = notifier;
    this.files = files;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** A loaded version: serve it on the unsigned-review server. */
  void reviewUnsigned(String zone, String versionId, long serial, ContentRef content) {
    serveForReview(listeners.unsignedReview(), "unsigned-review", zone, versionId, serial, content, Progress.NONE);
  }

  /**
   * A signed version: serve it on the signed-review server, and publish it if its approval came first. Reading it is
   * the long part of publishing (the publication shares the records read here), so its progress is reported as the
   * publish step's.
   *
   * @param receivedAt when its ZoneVersionSigned occurred
   */
  void reviewSigned(SignedVersion version, String causationId, Instant receivedAt) {
    serveForReview(
        listeners.signedReview(),
        "signed-review",
        version.zone(),
        version.versionId(),
        version.signedSerial(),
        version.content(),
        progress.start(version.zone(), version.versionId(), causationId).of(Phase.READ));
    if (store.saveSignedVersion(version, receivedAt)) {
      publish(version, store.approval(version.versionId()).orElse(new Approval(causationId, null)));
    }
  }

  /**
   * An approval at the signed gate: publish the version, now or when its signed-version fact arrives.
   *
   * @param approvedAt when the approval occurred
   */
  void approveSigned(String zone, String versionId, Approval approval, Instant approvedAt) {
    Optional<SignedVersion> version = store.approve(zone, versionId, approval, approvedAt);
    if (version.isEmpty()) {
      LOG.infof("zone %s version %s: approved, waiting for its signed-version fact", zone, versionId);
      return;
    }
    publish(version.get(), approval);
  }

  /** A rejection: stop serving that review version (the published version is not touched). */
  void rejectReview(ServedZones server, String serverName, String zone, String versionId) {
    origin(zone)
        .filter(origin -> server.removeVersion(origin, versionId))
        .ifPresent(origin -> LOG.infof("zone %s version %s: rejected, no longer on %s", zone, versionId, serverName));
  }

  ServedZones unsignedReviewServer() {
    return listeners.unsignedReview();
  }

  ServedZones signedReviewServer() {
    return listeners.signedReview();
  }

  /** A removed zone: stop serving it everywhere and forget its publication, so a restart does not bring it back. */
  void removeZone(String zone) {
    origin(zone)
        .ifPresent(
            origin -> {
              listeners.unsignedReview().remove(origin);
              listeners.signedReview().remove(origin);
              listeners.publication().remove(origin);
              listeners.secondaries().forget(origin);
            });
    store.forgetZone(zone);
    failures.forget(zone);
    metrics.forget(zone);
    LOG.infof("zone %s removed: no longer served", zone);
  }

  private void serveForReview(ServedZones server, String serverName, String zone, String versionId, long serial,
      ContentRef content, Progress reading) {
    try {
      Optional<ZoneSnapshot> held = origin(zone).flatMap(server::get);
      server.install(loader.load(zone, versionId, content, serial, held, reading));
      LOG.infof("zone %s version %s: serial %d on %s", zone, versionId, serial, serverName);
    } catch (InvalidZoneException e) {
      fail(zone, versionId, serverName, "invalid_zone", e.getMessage());
    }
  }

  /**
   * Publishes {@code version} for {@code approval}, which is the causation of the announcement. Only the content the
   * approval names is published: a version made again under the same versionId (after a crash of the signer) has
   * other signatures, and so another digest, and nobody reviewed it (issue 9).
   */
  private void publish(SignedVersion version, Approval approval) {
    // In the version's own trace, whatever completed it: the approval's trace is one link away.
    ZoneSpans.continuing(tracer, "publish version",
        new ZoneSpans.Subject(version.zone(), version.versionId(), version.signedSerial()), version.traceparent(),
        () -> {
          publishNow(version, approval);
          return null;
        });
  }

  private void publishNow(SignedVersion version, Approval approval) {
    long start = System.nanoTime();
    String zone = version.zone();
    String causationId = approval.eventId();
    if (approval.contentDigest() != null && !approval.contentDigest().equals(version.content().digest())) {
      fail(zone, version.versionId(), "publication", "not_approved_content",
          "the signed content (digest " + version.content().digest() + ") is not the content approved (digest "
              + approval.contentDigest() + "): not published");
      return;
    }
    ReentrantLock lock = zoneLocks.computeIfAbsent(zone, z -> new ReentrantLock());
    lock.lock();
    try {
      Optional<SignedVersion> current = store.findPublished(zone);
      if (current.isPresent() && current.get().versionId().equals(version.versionId())) {
        // An event delivered again: the publication was stored, but a crash (LargeZoneIT kills the publisher there)
        // or a fence may have come before its transaction, or after it and before the offset moved past the event.
        // Announce it again, as the same fact: the same eventId, and the time the publication was stored at.
        LOG.infof("zone %s version %s: already published, announcing it again", zone, version.versionId());
        Instant publishedAt = store.publishedAt(zone).orElseGet(clock::instant);
        announce(published(version, current.get().content().recordCount(), causationId, publishedAt));
        return;
      }
      if (current.isPresent() && Serial.compare(version.signedSerial(), current.get().signedSerial()) <= 0) {
        // Secondaries only transfer a greater serial (RFC 1982, RFC 1034 §4.3.5): an older one would never spread.
        fail(zone, version.versionId(), "publication", "serial_not_newer",
            "signed serial " + version.signedSerial() + " is not newer than published "
                + current.get().signedSerial());
        return;
      }
      ZoneSnapshot snapshot;
      try {
        snapshot = underReview(zone, version.versionId()).orElse(null);
        if (snapshot == null) {
          snapshot = loader.load(zone, version.versionId(), version.content(), version.signedSerial(),
              origin(zone).flatMap(origin -> listeners.publication().get(origin)),
              progress.start(zone, version.versionId(), causationId).of(Phase.READ));
        }
      } catch (InvalidZoneException e) {
        fail(zone, version.versionId(), "publication", "invalid_zone", e.getMessage());
        return;
      }
      Optional<Instant> earliest = SignatureExpiry.earliest(snapshot.records());
      Optional<String> expiring = expiresTooSoon(zone, earliest);
      if (expiring.isPresent()) {
        fail(zone, version.versionId(), "publication", "signatures_expiring", expiring.get());
        return;
      }
      listeners.publication().install(snapshot);
      notifier.published(snapshot.soa());
      files.published(snapshot);
      ZoneVersionPublished announcement = published(version, snapshot.size(), causationId, clock.instant());
      // Recorded at the time the announcement carries, so that a rebuild from it writes the same row. Recorded before
      // it is announced: a crash or a fence in between leaves the event to be delivered again, which then finds the
      // version published and announces it (above).
      store.savePublished(version, announcement.getMetadata().getOccurredAt());
      announce(announcement);
      metrics.served(zone, version.signedSerial(), announcement.getMetadata().getOccurredAt(), earliest);
      metrics.published(Duration.ofNanos(System.nanoTime() - start), snapshot.size());
      LOG.infof("zone %s version %s: published serial %d (%d records)",
          zone, version.versionId(), version.signedSerial(), snapshot.size());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Why a version whose earliest RRSIG expires at {@code earliestExpiration} must not go out, if that is within the
   * zone's remain time: a secondary that takes it, and every resolver behind that, would hold signatures about to
   * turn bogus (RFC 4035 §5.3.1), and the signer refreshes signatures that fall due only for versions it makes from
   * now on. The expirations are read again from the version (by the caller), not taken from the signer; a zone whose
   * ZoneAdded was not seen is held to its signatures not having expired.
   */
  private Optional<String> expiresTooSoon(String zone, Optional<Instant> earliestExpiration) {
    Duration remain = remainTimes.of(zone).orElse(Duration.ZERO);
    Instant floor = clock.instant().plus(remain);
    return earliestExpiration
        .filter(earliest -> earliest.isBefore(floor))
        .map(earliest -> "a signature expires at " + earliest + ", within the policy's remain time (" + remain
            + ") from now: not published");
  }

  /**
   * Writes {@code announcement} in a transaction fenced by the event being handled.
   *
   * @throws FencedWriteException when this instance or the event was fenced: nothing is announced, and the event is
   *     left to be delivered again
   */
  private void announce(ZoneVersionPublished announcement) {
    transactions.write(Topics.PUBLISHED_VERSIONS, announcement.getZone(), announcement);
  }

  /**
   * The announcement of {@code version} by this instance, for the event {@code causationId}, occurred at {@code at}
   * in the millisecond precision the event carries.
   */
  private ZoneVersionPublished published(SignedVersion version, long recordCount, String causationId, Instant at) {
    Clock millis = Clock.fixed(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    return ZoneVersionPublished.newBuilder()
        .setMetadata(EventMetadataFactory.of(announcementId(version, causationId, instance), millis,
            EventMapping.PRODUCER, causationId))
        .setZone(version.zone())
        .setVersionId(version.versionId())
        .setUnsignedSerial(version.unsignedSerial())
        .setSignedSerial(version.signedSerial())
        .setRecordCount(recordCount)
        .setPublisherInstance(instance)
        .build();
  }

  /**
   * The eventId of the announcement of {@code version} by {@code instance} for the event {@code causationId}: a
   * name-based UUID (RFC 9562 §5.3) rather than a random one, so that announcing it again after a crash gives the
   * same id, and readers that dedupe on eventIds see one fact. Each instance announces what it serves itself, so the
   * instance is part of the name: N publishers make N facts, one per instance.
   */
  static String announcementId(SignedVersion version, String causationId, String instance) {
    String name = "published " + version.zone() + " " + version.versionId() + " " + causationId + " " + instance;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * The version as the signed-review server holds it, read and checked when it arrived: publishing it shares those
   * records instead of reading the zone a second time (and holding it twice).
   */
  private Optional<ZoneSnapshot> underReview(String zone, String versionId) {
    return origin(zone)
        .flatMap(origin -> listeners.signedReview().get(origin))
        .filter(snapshot -> snapshot.versionId().equals(versionId));
  }

  /**
   * @param kind the failure as a short fixed word, the label of {@code cascade_failures_total}
   * @param reason the failure in words, for the operator
   */
  private void fail(String zone, String versionId, String stage, String kind, String reason) {
    LOG.errorf("zone %s version %s: %s failed, the previous version stays served: %s", zone, versionId, stage, reason);
    metrics.failed(stage, kind);
    failures.record(new Failure(zone, versionId, stage, reason, clock.instant()));
  }

  private static Optional<Name> origin(String zone) {
    try {
      return Optional.of(Name.fromString(zone, Name.root));
    } catch (TextParseException e) {
      LOG.warnf("zone name %s is invalid: %s", zone, e.getMessage());
      return Optional.empty();
    }
  }
}
