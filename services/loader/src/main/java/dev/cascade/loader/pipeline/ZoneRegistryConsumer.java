package dev.cascade.loader.pipeline;

import dev.cascade.content.ContentManifests;
import dev.cascade.content.ContentWriter;
import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.progress.Phase;
import dev.cascade.dnssec.progress.PhaseProgress;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.loader.domain.LoadOutcome;
import dev.cascade.loader.domain.ZoneLoader;
import dev.cascade.loader.persistence.LoaderState;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.messaging.EventHandling;
import dev.cascade.service.messaging.StepProgressEmitter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns zone registry facts into unsigned versions.
 *
 * <p>ZoneAdded and ZoneReloadRequested read the source file on a worker thread; a file whose digest equals the last
 * loaded one yields nothing, a new one is written to {@code cascade.unsigned-content.v1} (as its difference from the
 * zone's previous version when that is small, see {@link ContentManifests#wholeVersionDue}) and announced as
 * ZoneVersionLoaded, a bad one is announced as ZoneLoadFailed. ZoneRemoved forgets the zone.
 *
 * <p>Each record goes through {@link EventHandling}: an unexpected error is tried again with backoff, and a record
 * that still fails (or cannot be decoded) is set aside on the loader's dead-letter topic, because one poisoned record
 * must not stall the partition and with it every other zone on it. Events already handled (same eventId) are
 * skipped, since Kafka delivers at least once. The processed mark is written only after the outgoing event is
 * acknowledged, and no event is handled before {@link UnsignedVersionRestore} has recorded what a crash in between
 * left unrecorded, so the event is neither lost nor announced twice, nor before {@link LoaderRebuild} has rebuilt
 * the tables from the events the loader's consumer group consumed before (an emptied schema).
 */
@ApplicationScoped
public class ZoneRegistryConsumer {

  private static final Logger LOG = Logger.getLogger(ZoneRegistryConsumer.class);

  private final UnsignedVersionEmitter emitter;
  private final LoaderRebuild rebuild;
  private final StepProgressEmitter progress;
  private final LoaderState state;
  private final ContentWriter contentWriter;
  private final Vertx vertx;
  private final EventHandling handling;
  private final ZoneLoader zoneLoader;
  /**
   * Per zone, the last version this process loaded and announced, compactly: the next version goes out as its
   * difference from it. After a restart the map is empty, and each zone's next version goes out whole.
   */
  private final Map<String, LastLoaded> lastLoaded = new ConcurrentHashMap<>();

  private record LastLoaded(String versionId, ContentLocation location, CompactRecords records) {}

  public ZoneRegistryConsumer(
      UnsignedVersionEmitter emitter,
      LoaderRebuild rebuild,
      StepProgressEmitter progress,
      LoaderState state,
      ContentWriter contentWriter,
      Vertx vertx,
      EventHandling handling,
      @ConfigProperty(name = "cascade.loader.max-zone-bytes") long maxZoneBytes) {
    this.zoneLoader = new ZoneLoader(maxZoneBytes);
    this.emitter = emitter;
    this.rebuild = rebuild;
    this.progress = progress;
    this.state = state;
    this.contentWriter = contentWriter;
    this.vertx = vertx;
    this.handling = handling;
  }

  @Incoming(Channels.ZONE_REGISTRY)
  public Uni<Void> onZoneRegistryFact(
      ZoneRegistryFact fact, IncomingKafkaRecordMetadata<String, ZoneRegistryFact> origin) {
    return handling.reactiveOnce(origin.getRecord(), rebuild.restored(), state::alreadyProcessed,
        eventId -> dispatch(fact, eventId));
  }

  private Uni<Void> dispatch(ZoneRegistryFact fact, String eventId) {
    String zone = ZoneApex.canonical(fact.getZone());
    Object what = fact.getFact();
    if (what instanceof ZoneAdded added) {
      return load(zone, added.getSource(), eventId);
    }
    if (what instanceof ZoneReloadRequested reload) {
      return load(zone, reload.getSource(), eventId);
    }
    if (what instanceof ZoneRemoved) {
      LOG.infof("zone %s removed, forgetting its last loaded version", zone);
      lastLoaded.remove(zone);
      return state.forget(zone, eventId);
    }
    LOG.warnf("ignoring unknown zone registry fact %s for zone %s", what == null ? null : what.getClass(), zone);
    return state.markProcessed(eventId);
  }

  private Uni<Void> load(String zone, String source, String eventId) {
    return state
        .lastDigest(zone)
        // Parsing and the content write block; executeBlocking runs them on a worker thread and resumes on this
        // record's Vert.x context, which Hibernate Reactive needs and which carries the trace of the incoming record.
        .chain(lastDigest ->
            vertx.executeBlocking(Uni.createFrom().item(() -> readAndWrite(zone, source, lastDigest, eventId))))
        .chain(result -> finish(zone, source, eventId, result));
  }

  /**
   * Blocking: parses the file and, for a new version, writes its content chunks, reporting progress as it goes. The
   * versionId is known before the file is read ({@link #versionId}), so the progress of a long load names the version
   * it makes; a file that fails or turns out unchanged leaves it unused.
   */
  private LoadResult readAndWrite(String zone, String source, Optional<String> lastDigest, String eventId) {
    String versionId = versionId(zone, eventId);
    PhaseProgress reported = progress.start(zone, versionId, eventId);
    LoadOutcome outcome = zoneLoader.load(zone, source, lastDigest, reported.of(Phase.PARSE));
    if (!(outcome instanceof LoadOutcome.Loaded loaded)) {
      return new LoadResult(outcome, null);
    }
    try {
      CompactRecords compact = loaded.records();
      LastLoaded last = lastLoaded.get(zone);
      CompactDiff diff = last == null ? null : CompactDiff.between(last.records(), compact);
      ContentLocation location =
          diff == null || ContentManifests.wholeVersionDue(last.location(), diff.size(), compact.size())
              ? contentWriter.write(Topics.UNSIGNED_CONTENT, zone, versionId, compact, reported.of(Phase.WRITE))
              : contentWriter.write(
                  Topics.UNSIGNED_CONTENT,
                  zone,
                  versionId,
                  new ContentWriter.Difference(last.versionId(), last.location(), diff),
                  compact,
                  reported.of(Phase.WRITE));
      return new LoadResult(outcome, new LastLoaded(versionId, location, compact));
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not write the content of zone %s version %s", zone, versionId);
      return new LoadResult(
          new LoadOutcome.Failed(source, null, null, "could not write the zone content to Kafka: " + e),
          null);
    }
  }

  private Uni<Void> finish(String zone, String source, String eventId, LoadResult result) {
    if (result.outcome() instanceof LoadOutcome.Unchanged unchanged) {
      LOG.infof("zone %s unchanged, no new version (serial %d)", zone, unchanged.serial());
      return state.markProcessed(eventId);
    }
    if (result.outcome() instanceof LoadOutcome.Failed failed) {
      LOG.warnf("zone %s could not be loaded from %s: %s", zone, source, describe(failed));
      return emitter.loadFailed(zone, failed, eventId).chain(() -> state.markProcessed(eventId));
    }
    LoadOutcome.Loaded loaded = (LoadOutcome.Loaded) result.outcome();
    LOG.infof(
        "zone %s serial %d loaded as version %s (%d records)",
        zone,
        loaded.zone().serial(),
        result.version().versionId(),
        result.version().location().getRecordCount());
    return emitter
        .versionLoaded(zone, source, result.version().versionId(), loaded.zone(), result.version().location(), eventId)
        .chain(
            announcedAt ->
                state.recordVersion(
                    zone, source, loaded.digest(), result.version().versionId(), loaded.zone().serial(), announcedAt,
                    eventId))
        .invoke(() -> lastLoaded.put(zone, result.version()));
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

  /** What the worker thread hands back: the outcome, plus for a new version its id, content location and records. */
  private record LoadResult(LoadOutcome outcome, LastLoaded version) {}
}
