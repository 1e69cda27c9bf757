package dev.cascade.publisher.pipeline;

import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.verify.SignatureExpiry;
import dev.cascade.publisher.dns.DnsListeners;
import dev.cascade.publisher.dns.Notifier;
import dev.cascade.publisher.domain.InvalidZoneException;
import dev.cascade.publisher.domain.PublicationFailures;
import dev.cascade.publisher.domain.PublicationFailures.Failure;
import dev.cascade.publisher.domain.SignedVersion;
import dev.cascade.publisher.domain.ZoneSnapshot;
import dev.cascade.publisher.persistence.PublisherStore;
import dev.cascade.publisher.persistence.SignedZoneFiles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * After a restart, reads every published version back from Kafka (the content location stored in PostgreSQL) and
 * serves it again, so the publication server does not lose zones with the process. Runs on its own thread; a version
 * published meanwhile by a consumer is newer and wins (the restore only fills zones that have nothing served yet).
 */
@ApplicationScoped
public class PublishedVersionRestore {

  private static final Logger LOG = Logger.getLogger(PublishedVersionRestore.class);

  private final PublisherStore store;
  private final ContentLoader loader;
  private final DnsListeners listeners;
  private final PublicationFailures failures;
  private final Notifier notifier;
  private final SignedZoneFiles files;
  private final Clock clock;
  /** Pause between attempts to reach the database at start; no official reference. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final PublisherMetrics metrics;

  private volatile boolean done;

  public PublishedVersionRestore(
      PublisherStore store,
      ContentLoader loader,
      DnsListeners listeners,
      PublicationFailures failures,
      Notifier notifier,
      SignedZoneFiles files,
      Clock clock,
      PublisherMetrics metrics) {
    this.store = store;
    this.loader = loader;
    this.listeners = listeners;
    this.failures = failures;
    this.notifier = notifier;
    this.files = files;
    this.clock = clock;
    this.metrics = metrics;
  }

  void onStart(@Observes StartupEvent event) {
    Thread thread = new Thread(this::restore, "publisher-restore");
    thread.setDaemon(true);
    thread.start();
  }

  /** True once every published version was restored or found unreadable (readiness waits for it). */
  public boolean done() {
    return done;
  }

  /** Serves every published version again; package-private for the restart test. */
  void restore() {
    for (SignedVersion version : listPublished()) {
      try {
        ZoneSnapshot snapshot = loader.load(version.zone(), version.versionId(), version.content(),
            version.signedSerial(), Optional.empty(), Progress.NONE);
        if (listeners.publication().installIfAbsent(snapshot)) {
          // As BIND and Knot do at start: secondaries that missed a NOTIFY while this instance was down catch up now.
          notifier.published(snapshot.soa());
          files.published(snapshot);
          metrics.served(version.zone(), version.signedSerial(),
              store.publishedAt(version.zone()).orElseGet(clock::instant),
              SignatureExpiry.earliest(snapshot.records()));
          LOG.infof("zone %s version %s: restored serial %d on publication",
              version.zone(), version.versionId(), version.signedSerial());
        }
      } catch (InvalidZoneException | RuntimeException e) {
        LOG.errorf("zone %s version %s: cannot restore the published version: %s",
            version.zone(), version.versionId(), e.getMessage());
        failures.record(new Failure(version.zone(), version.versionId(), "restore", e.getMessage(), clock.instant()));
      }
    }
    done = true;
  }

  /** The published versions; waits for the database rather than starting with an empty publication server. */
  private List<SignedVersion> listPublished() {
    while (true) {
      try {
        return store.allPublished();
      } catch (RuntimeException e) {
        LOG.warnf("cannot list the published versions yet, retrying in %d s: %s", RETRY.toSeconds(), e.getMessage());
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return List.of();
        }
      }
    }
  }
}
