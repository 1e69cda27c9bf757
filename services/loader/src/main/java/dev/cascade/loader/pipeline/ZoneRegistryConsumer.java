package dev.cascade.loader.pipeline;

import dev.cascade.content.BackgroundSnapshots;
import dev.cascade.content.ContentManifests;
import dev.cascade.content.ContentWriter;
import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.progress.Phase;
import dev.cascade.dnssec.progress.PhaseProgress;
import dev.cascade.dnssec.reload.ZoneReload;
import dev.cascade.dnssec.xfr.PrimarySource;
import dev.cascade.dnssec.xfr.RefreshTimers;
import dev.cascade.dnssec.xfr.TransferFailure;
import dev.cascade.dnssec.xfr.ZoneTransferClient;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.loader.domain.LoadOutcome;
import dev.cascade.loader.domain.PrimaryTsig;
import dev.cascade.loader.domain.TransferredZone;
import dev.cascade.loader.domain.ZoneLoader;
import dev.cascade.loader.persistence.LoaderStore;
import dev.cascade.loader.persistence.TransferState;
import dev.cascade.service.ZoneSourceDirectories;
import dev.cascade.service.tsig.TsigKeyring;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.messaging.EventHandling;
import dev.cascade.service.messaging.StepProgressEmitter;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import dev.cascade.service.tracing.ZoneSpans;
import io.opentelemetry.api.trace.Tracer;

/**
 * Turns zone registry facts into unsigned versions.
 *
 * <p>ZoneAdded and ZoneReloadRequested read the source file; a file whose digest equals the last loaded one yields
 * nothing, a new one is written to {@code cascade.unsigned-content.v1} (as its difference from the zone's previous
 * version when that is small, see {@link ContentManifests#wholeVersionDue}) and announced as ZoneVersionLoaded, a bad
 * one is announced as ZoneLoadFailed. ZoneRemoved forgets the zone.
 *
 * <p>Exactly-once (issue 9): the handler runs on a worker thread ({@code @Blocking}, one record at a time) through
 * {@link EventHandling#exactlyOnce}, once {@link LoaderRebuild} (and before it {@link UnsignedVersionRestore}) has
 * brought the tables up to the log. Each ZoneVersionLoaded or ZoneLoadFailed goes out in a Kafka transaction fenced by
 * the consumer group membership the registry event was consumed under, with that event's offset ({@link
 * UnsignedVersionEmitter}), so an instance whose partitions moved to another replica announces nothing; once the
 * handler is done a last transaction moves the group's offset past the event. An unexpected error is tried again with
 * backoff, and a record that still fails (or cannot be decoded) is set aside on the loader's dead-letter topic together
 * with that offset, because one poisoned record must not stall the partition and with it every other zone on it.
 *
 * <p>What a crash or a fence leaves behind, and why no version is announced twice:
 *
 * <ul>
 *   <li>The content chunks are written before the transaction, outside it (content-addressed by the manifest, which
 *       names its chunks' own offsets). When the announcement then does not happen (a crash, or the transaction
 *       fenced), the event is delivered again, to this instance or to the partition's new owner, which loads the file
 *       again as the same version ({@link #versionId}, derived from the event) and writes its chunks again; the first
 *       ones are named by no announced manifest and never read.
 *   <li>The version and the processed mark are recorded only after the transaction committed. A crash between the
 *       two leaves an announcement on the topic that the tables do not reflect; at the next start {@link
 *       UnsignedVersionRestore} records it, before any registry event is handled, so the event delivered again is
 *       skipped as processed. An instance that takes the partition over in that moment without restarting announces
 *       the version again: the same versionId, never a second version.
 * </ul>
 */
@ApplicationScoped
public class ZoneRegistryConsumer {

  private static final Logger LOG = Logger.getLogger(ZoneRegistryConsumer.class);

  private final UnsignedVersionEmitter emitter;
  private final LoaderMetrics metrics;
  private final LoaderRebuild rebuild;
  private final StepProgressEmitter progress;
  private final LoaderStore state;
  private final ContentWriter contentWriter;
  private final BackgroundSnapshots snapshots;
  private final EventHandling handling;
  private final ZoneLoader zoneLoader;
  /**
   * Per zone, the last version this process loaded and announced, compactly: the next version goes out as its
   * difference from it. Set only once the version's announcement is committed and recorded, so a version fenced or
   * left to be handled again is never the base of a difference. After a restart the map is empty, and each zone's next
   * version goes out whole.
   */
  private final Map<String, LastLoaded> lastLoaded = new ConcurrentHashMap<>();

  private record LastLoaded(String versionId, ContentLocation location, CompactRecords records) {}

  /**
   * Per zone, what the last successful read of its file left (its text cut into blocks, and its records), so that
   * the next read parses only what changed in the text ({@link ZoneReload}). Set after every read that gave records,
   * announced or not: it is a fact about the file's text, not about a version. Empty after a restart, when the first
   * read of each zone is a full parse.
   */
  private final Map<String, ZoneReload.Baseline> lastRead = new ConcurrentHashMap<>();

  /**
   * Per zone loaded from a primary, the records of its last transfer as received, with its serial and source: the
   * base an IXFR's differences apply to. Empty after a restart, when the last loaded version read back from the
   * content topic is the base instead ({@link UnsignedVersionRestore#transferBase}).
   */
  private final Map<String, Transfer> lastTransferred = new ConcurrentHashMap<>();

  private record Transfer(String source, List<Record> records, long serial) {}

  private final UnsignedVersionRestore restored;
  private final Map<String, Object> refreshLocks = new ConcurrentHashMap<>();
  private final ZoneTransferClient transfers;
  private final Clock clock;
  private final TsigKeyring tsigKeys;
  private final Duration firstRetry;
  /** The {@code parse} and {@code write} spans of a load, in the trace of the request that asked for it. */
  private final Tracer tracer;

  public ZoneRegistryConsumer(
      UnsignedVersionEmitter emitter,
      LoaderMetrics metrics,
      LoaderRebuild rebuild,
      UnsignedVersionRestore restored,
      StepProgressEmitter progress,
      LoaderStore state,
      ContentWriter contentWriter,
      BackgroundSnapshots snapshots,
      EventHandling handling,
      Clock clock,
      TsigKeyring tsigKeys,
      Tracer tracer,
      @ConfigProperty(name = "cascade.loader.max-zone-bytes") long maxZoneBytes,
      @ConfigProperty(name = "cascade.zone-source-dirs") String zoneSourceDirectories,
      @ConfigProperty(name = "cascade.loader.transfer-timeout") Duration transferTimeout,
      @ConfigProperty(name = "cascade.loader.first-retry") Duration firstRetry) {
    this.transfers = new ZoneTransferClient(transferTimeout);
    this.tracer = tracer;
    this.clock = clock;
    this.tsigKeys = tsigKeys;
    this.firstRetry = firstRetry;
    this.zoneLoader = new ZoneLoader(maxZoneBytes, ZoneSourceDirectories.of(zoneSourceDirectories));
    this.emitter = emitter;
    this.metrics = metrics;
    this.rebuild = rebuild;
    this.restored = restored;
    this.progress = progress;
    this.state = state;
    this.contentWriter = contentWriter;
    this.snapshots = snapshots;
    this.handling = handling;
  }

  /** Waits for {@link LoaderRebuild}, then handles the event once (class comment). */
  @Incoming(Channels.ZONE_REGISTRY)
  @Blocking
  public CompletionStage<Void> onZoneRegistryFact(Message<ZoneRegistryFact> message) {
    rebuild.await();
    return handling.exactlyOnce(message, () -> handle(message.getPayload()));
  }

  /**
   * Handles one registry event unless it was handled before (Kafka delivers at least once). Its facts answer the
   * event the calling thread handles ({@link dev.cascade.service.messaging.FactTransactions#within}).
   *
   * @throws FencedWriteException when the announcement was fenced: nothing was announced, nothing recorded
   */
  void handle(ZoneRegistryFact fact) {
    String eventId = fact.getMetadata().getEventId();
    String zone = ZoneApex.canonical(fact.getZone());
    if (state.alreadyProcessed(eventId)) {
      LOG.debugf("zone %s: event %s already processed, skipped", zone, eventId);
      return;
    }
    Object what = fact.getFact();
    if (what instanceof ZoneAdded added) {
      load(zone, added.getSource(), eventId);
    } else if (what instanceof ZoneReloadRequested reload) {
      // On a zone loaded from a primary, zone reload is a full transfer (cascade-reference.md §1.2).
      load(zone, reload.getSource(), eventId);
    } else if (what instanceof ZoneRemoved) {
      LOG.infof("zone %s removed, forgetting its last loaded version", zone);
      lastLoaded.remove(zone);
      lastRead.remove(zone);
      lastTransferred.remove(zone);
      snapshots.forget(zone);
      metrics.forget(zone);
      state.forget(zone, eventId);
    } else {
      LOG.warnf("ignoring unknown zone registry fact %s for zone %s", what == null ? null : what.getClass(), zone);
      state.markProcessed(eventId);
    }
  }

  /**
   * Parses the file and, for a new version, writes its content chunks, reporting progress as it goes, then announces
   * the outcome and records it. The versionId is known before the file is read ({@link #versionId}), so the progress
   * of a long load names the version it makes; a file that fails or turns out unchanged leaves it unused.
   */
  private void load(String zone, String source, String eventId) {
    metrics.started(zone);
    if (PrimarySource.isPrimary(source)) {
      refresh(zone, source, eventId, true);
      return;
    }
    lastTransferred.remove(zone);
    if (state.transferState(zone).isPresent()) {
      state.forgetTransferState(zone);
    }
    String versionId = versionId(zone, eventId);
    PhaseProgress reported = progress.start(zone, versionId, eventId);
    // The version's serial is known once it is parsed; its versionId names it from the start.
    LoadOutcome outcome = ZoneSpans.inSpanTelling(tracer, "parse", new ZoneSpans.Subject(zone, versionId, null),
        span -> {
          LoadOutcome parsed =
              zoneLoader.load(zone, source, state.lastDigest(zone), lastRead.get(zone), reported.of(Phase.PARSE));
          // An event handled again (delivered once more after a rebalance) finds its file unchanged: the same
          // versionId, in the same trace, and the serial it read.
          if (parsed instanceof LoadOutcome.Loaded read) {
            ZoneSpans.tag(span, new ZoneSpans.Subject(zone, versionId, read.zone().serial()));
          } else if (parsed instanceof LoadOutcome.Unchanged unchanged) {
            ZoneSpans.tag(span, new ZoneSpans.Subject(zone, versionId, unchanged.serial()));
          }
          return parsed;
        });
    if (outcome instanceof LoadOutcome.Unchanged unchanged) {
      lastRead.put(zone, unchanged.zone().baseline());
      LOG.infof("zone %s: %s", zone, unchanged.zone().how());
      LOG.infof("zone %s unchanged, no new version (serial %d)", zone, unchanged.serial());
      state.markProcessed(eventId);
      return;
    }
    if (!(outcome instanceof LoadOutcome.Loaded loaded)) {
      announceFailure(zone, source, eventId, (LoadOutcome.Failed) outcome, LoaderMetrics.ZONE_FILE);
      return;
    }
    lastRead.put(zone, loaded.zone().baseline());
    LOG.infof("zone %s: %s", zone, loaded.zone().how());
    LastLoaded version;
    try {
      version = write(zone, versionId, loaded, reported);
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not write the content of zone %s version %s", zone, versionId);
      announceFailure(zone, source, eventId,
          new LoadOutcome.Failed(source, null, null, "could not write the zone content to Kafka: " + e),
          LoaderMetrics.WRITE);
      return;
    }
    announce(zone, source, eventId, loaded, version, null);
  }

  /**
   * Refreshes {@code zone} from its primary (dnssec-core {@link ZoneTransferClient}): an SOA query, then a transfer
   * when the primary's serial is newer, or always a full one (AXFR) when {@code full}; a new version is written and
   * announced as a zone file's is, a failure announced with its cause when it differs from the last one reported (a
   * primary down for a day must not fill the history with one line per RETRY), and the SOA timers set for the next
   * refresh. Past EXPIRE without a successful refresh the failure is reported as expired; the last version stays.
   *
   * <p>One refresh of a zone at a time: the registry handler and the {@link RefreshTimer} may both reach here.
   *
   * @param eventId the registry event being handled, or null for a refresh of the timer or a NOTIFY, whose facts
   *     then name a cause of their own
   */
  void refresh(String zone, String source, String eventId, boolean full) {
    synchronized (refreshLocks.computeIfAbsent(zone, z -> new Object())) {
      metrics.started(zone);
      String causationId = eventId != null ? eventId : "refresh-" + UUID.randomUUID();
      Instant now = clock.instant();
      Optional<TransferState> row = state.transferState(zone).filter(r -> r.source.equals(source));
      RefreshTimers timers = row.map(TransferState::timers).orElse(RefreshTimers.initial(now));
      String reported = row.map(r -> r.lastFailure).orElse(null);
      ZoneTransferClient.Outcome outcome;
      try {
        PrimarySource primary = PrimarySource.parse(source);
        TSIG tsig;
        try {
          tsig = PrimaryTsig.of(primary, tsigKeys);
        } catch (IllegalArgumentException e) {
          throw new RefusedSource(new TransferFailure(TransferFailure.Cause.TSIG, e.getMessage()));
        }
        Transfer held = lastTransferred.get(zone);
        if (held != null && !held.source().equals(source)) {
          held = null;
        }
        long heldSerial = held != null ? held.serial() : state.lastSerial(zone, source).orElse(-1L);
        if (held == null && heldSerial >= 0 && !full) {
          held = restored.transferBase(zone, source, heldSerial)
              .map(records -> new Transfer(source, records, heldSerial)).orElse(null);
        }
        outcome = transfers.refresh(Name.fromString(zone), primary.address(), held == null ? null : held.records(),
            heldSerial, full, tsig);
      } catch (RefusedSource e) {
        outcome = new ZoneTransferClient.Failed(e.failure);
      } catch (IllegalArgumentException | TextParseException e) {
        outcome = new ZoneTransferClient.Failed(
            new TransferFailure(TransferFailure.Cause.MALFORMED, "the source is not usable: " + e.getMessage()));
      }
      if (outcome instanceof ZoneTransferClient.Failed failed) {
        RefreshTimers next = timers.failed(now, firstRetry);
        TransferFailure failure = failed.failure();
        metrics.expired(zone, next.expired(now));
        if (next.expired(now)) {
          failure = new TransferFailure(TransferFailure.Cause.EXPIRED, "no successful refresh since "
              + next.lastSuccess() + " and SOA EXPIRE (" + next.expire().toSeconds() + " s) has passed; the last"
              + " version stays served; last failure: " + failed.failure());
        }
        LOG.warnf("zone %s: refresh from %s failed (%s); next try at %s", zone, source, failure, next.nextRefresh());
        String text = failure.toString();
        // Always when the operator asked (zone add, reload, set-source): status shows the load until a fact ends it.
        if (eventId != null || !text.equals(reported)) {
          emitter.transferFailed(zone, source, failure, causationId);
        }
        state.saveTransferState(zone, source, next, text);
        markProcessed(eventId);
        return;
      }
      metrics.expired(zone, false);
      if (outcome instanceof ZoneTransferClient.Current current) {
        LOG.infof("zone %s: serial %d at %s is current", zone, current.soa().getSerial(), source);
        state.saveTransferState(zone, source, timers.succeeded(now, current.soa()), null);
        markProcessed(eventId);
        return;
      }
      ZoneTransferClient.Transferred transferred = (ZoneTransferClient.Transferred) outcome;
      lastTransferred.put(zone, new Transfer(source, transferred.records(), transferred.soa().getSerial()));
      announceTransferred(zone, source, causationId, eventId, transferred);
      state.saveTransferState(zone, source, timers.succeeded(now, transferred.soa()), null);
    }
  }

  private void announceTransferred(String zone, String source, String causationId, String eventId,
      ZoneTransferClient.Transferred transferred) {
    LoadOutcome outcome;
    try {
      outcome = TransferredZone.outcome(Name.fromString(zone), source, transferred, state.lastDigest(zone));
    } catch (TextParseException e) {
      outcome = new LoadOutcome.Failed(source, null, null, e.getMessage());
    }
    if (outcome instanceof LoadOutcome.Unchanged unchanged) {
      LOG.infof("zone %s: %s gave the records of the last version", zone, unchanged.zone().how());
      markProcessed(eventId);
      return;
    }
    if (outcome instanceof LoadOutcome.Failed failed) {
      emitter.transferFailed(zone, source,
          new TransferFailure(TransferFailure.Cause.MALFORMED, failed.reason()), causationId);
      markProcessed(eventId);
      return;
    }
    LoadOutcome.Loaded loaded = (LoadOutcome.Loaded) outcome;
    String versionId = versionId(zone, causationId);
    PhaseProgress reported = progress.start(zone, versionId, causationId);
    LOG.infof("zone %s: %s", zone, loaded.zone().how());
    LastLoaded version;
    try {
      version = write(zone, versionId, loaded, reported);
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not write the content of zone %s version %s", zone, versionId);
      emitter.transferFailed(zone, source, new TransferFailure(TransferFailure.Cause.MALFORMED,
          "could not write the zone content to Kafka: " + e), causationId);
      markProcessed(eventId);
      return;
    }
    announce(zone, source, causationId, loaded, version, transferred.kind());
  }

  private void markProcessed(String eventId) {
    if (eventId != null) {
      state.markProcessed(eventId);
    }
  }

  /** A source the loader refuses to use before asking the primary anything. */
  private static final class RefusedSource extends Exception {
    private final TransferFailure failure;

    RefusedSource(TransferFailure failure) {
      super(failure.reason(), null, false, false);
      this.failure = failure;
    }
  }

  /**
   * Writes a new version's content chunks, whole or as its difference from the last loaded version (read from its
   * whole copy when {@link BackgroundSnapshots} has written one).
   */
  private LastLoaded write(String zone, String versionId, LoadOutcome.Loaded loaded, PhaseProgress reported) {
    return ZoneSpans.inSpan(tracer, "write", new ZoneSpans.Subject(zone, versionId, loaded.zone().serial()),
        () -> writeContent(zone, versionId, loaded, reported));
  }

  private LastLoaded writeContent(String zone, String versionId, LoadOutcome.Loaded loaded, PhaseProgress reported) {
    CompactRecords compact = loaded.records();
    LastLoaded last = lastLoaded.get(zone);
    CompactDiff diff = last == null ? null : loaded.zone().differenceFrom(last.records());
    ContentLocation base = last == null ? null : snapshots.baseOf(zone, last.versionId(), last.location());
    ContentLocation location =
        diff == null || ContentManifests.wholeVersionDue(base, diff.size(), compact.size())
            ? contentWriter.write(Topics.UNSIGNED_CONTENT, zone, versionId, compact, reported.of(Phase.WRITE))
            : contentWriter.write(
                Topics.UNSIGNED_CONTENT,
                zone,
                versionId,
                new ContentWriter.Difference(last.versionId(), base, diff),
                compact,
                reported.of(Phase.WRITE));
    return new LastLoaded(versionId, location, compact);
  }

  /** @param kind the failure as {@link LoaderMetrics} counts it */
  private void announceFailure(String zone, String source, String eventId, LoadOutcome.Failed failed, String kind) {
    LOG.warnf("zone %s could not be loaded from %s: %s", zone, source, describe(failed));
    emitter.loadFailed(zone, failed, eventId, kind);
    state.markProcessed(eventId);
  }

  /** Announces a written version, then records it: the map last, once the version is both committed and recorded. */
  private void announce(String zone, String source, String eventId, LoadOutcome.Loaded loaded, LastLoaded version,
      String transfer) {
    LOG.infof("zone %s serial %d loaded as version %s (%d records)", zone, loaded.zone().serial(),
        version.versionId(), version.location().getRecordCount());
    Instant announcedAt =
        emitter.versionLoaded(zone, source, version.versionId(), loaded.zone(), version.location(), transfer, eventId);
    state.recordVersion(
        zone, source, loaded.digest(), version.versionId(), loaded.zone().serial(), announcedAt, eventId);
    lastLoaded.put(zone, version);
    snapshots.announced(zone, version.versionId(), version.records(), version.location());
  }

  /**
   * The versionId of the version a registry event loads, derived from that event (a name-based UUID, RFC 9562 §5.3)
   * rather than drawn at random: the event handled again after a crash loads the same version, never a second one
   * (issue 9, deterministic ids).
   */
  static String versionId(String zone, String eventId) {
    return UUID.nameUUIDFromBytes((zone + " " + eventId).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String describe(LoadOutcome.Failed failed) {
    if (failed.file() == null) {
      return failed.reason();
    }
    return failed.file() + (failed.line() == null ? "" : ":" + failed.line()) + ": " + failed.reason();
  }
}
