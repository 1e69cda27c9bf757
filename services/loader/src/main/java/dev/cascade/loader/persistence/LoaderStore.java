package dev.cascade.loader.persistence;

import static dev.cascade.service.database.BlockingSessions.inSession;
import static dev.cascade.service.database.BlockingSessions.inTransaction;

import dev.cascade.dnssec.xfr.RefreshTimers;
import dev.cascade.service.database.BlockingSessions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and writes the loader's tables with Hibernate Reactive. Each write that finishes the handling of an event
 * records the event id in the same transaction, so the state and the "already processed" mark never disagree.
 *
 * <p>The methods block, as the signer's and the key manager's stores do: every caller runs on a worker thread (the
 * blocking registry consumer, the start-up restore and rebuild, tests), and each call runs its own session or
 * transaction on a Vert.x context with {@link BlockingSessions}, which refuses to block an event
 * loop. No session stays open across calls, so a caller can put slow work (parsing a zone file, writing its content,
 * a Kafka transaction) between them.
 */
@ApplicationScoped
public class LoaderStore {


  /** Whether the event with this id was already handled. */
  public boolean alreadyProcessed(String eventId) {
    return inSession(() -> ProcessedEvent.<ProcessedEvent>findById(eventId).map(found -> found != null));
  }

  /** The serial of the last version loaded for {@code zone} from {@code source}, if any. */
  public Optional<Long> lastSerial(String zone, String source) {
    return inSession(() -> LoadedZone.<LoadedZone>findById(zone).map(
        row -> Optional.ofNullable(row).filter(r -> r.source.equals(source)).map(r -> r.serial)));
  }

  /** The digest of the last version loaded for {@code zone}, if any. */
  public Optional<String> lastDigest(String zone) {
    return inSession(
        () -> LoadedZone.<LoadedZone>findById(zone).map(row -> Optional.ofNullable(row).map(r -> r.digest)));
  }

  /**
   * Records a newly published version of {@code zone} and marks {@code eventId} processed.
   *
   * @param loadedAt when the version was announced, as its ZoneVersionLoaded carries it (so a rebuild from that fact
   *     writes the same row)
   */
  public void recordVersion(
      String zone, String source, String digest, String versionId, long serial, Instant loadedAt, String eventId) {
    inTransaction(
        () -> upsertVersion(zone, source, digest, versionId, serial, loadedAt)
            .chain(ignored -> insertProcessed(eventId, Instant.now())));
  }

  /** The ids of every event marked processed: a rebuild compares them with the events on the log. */
  public Set<String> processedEventIds() {
    return inSession(() -> ProcessedEvent.<ProcessedEvent>listAll()
        .map(rows -> rows.stream().map(row -> row.eventId).collect(Collectors.toSet())));
  }

  /**
   * Rebuild: sets {@code zone}'s row to a version a ZoneVersionLoaded recorded, and marks {@code eventId} processed
   * unless it already is (a restore may have marked it), in one transaction.
   */
  public void replayVersion(
      String zone, String source, String digest, String versionId, long serial, Instant loadedAt, String eventId) {
    inTransaction(
        () -> upsertVersion(zone, source, digest, versionId, serial, loadedAt)
            .chain(ignored -> insertProcessedIfAbsent(eventId)));
  }

  /** Rebuild: forgets a removed {@code zone} and marks {@code eventId} processed unless it already is. */
  public void replayRemoval(String zone, String eventId) {
    inTransaction(() -> LoadedZone.deleteById(zone)
        .chain(ignored -> TransferState.deleteById(zone))
        .chain(ignored -> insertProcessedIfAbsent(eventId)));
  }

  /** Rebuild: marks {@code eventId} processed unless it already is (a failed or unchanged load). */
  public void replayProcessed(String eventId) {
    inTransaction(() -> insertProcessedIfAbsent(eventId));
  }

  private static Uni<LoadedZone> upsertVersion(
      String zone, String source, String digest, String versionId, long serial, Instant loadedAt) {
    return LoadedZone.<LoadedZone>findById(zone)
        .chain(
            existing -> {
              LoadedZone row = existing != null ? existing : new LoadedZone();
              row.zone = zone;
              row.source = source;
              row.digest = digest;
              row.versionId = versionId;
              row.serial = serial;
              row.loadedAt = loadedAt;
              return existing != null ? Uni.createFrom().item(row) : row.<LoadedZone>persist();
            });
  }

  /** Forgets {@code zone} (it was removed from the registry) and marks {@code eventId} processed. */
  public void forget(String zone, String eventId) {
    Instant now = Instant.now();
    inTransaction(() -> LoadedZone.deleteById(zone)
        .chain(ignored -> TransferState.deleteById(zone))
        .chain(ignored -> insertProcessed(eventId, now)));
  }

  /** The refresh timers of every zone loaded from a primary. */
  public List<TransferState> transferStates() {
    return inSession(() -> TransferState.<TransferState>listAll());
  }

  /** The refresh timers of {@code zone}, if it is loaded from a primary. */
  public Optional<TransferState> transferState(String zone) {
    return inSession(() -> TransferState.<TransferState>findById(zone).map(Optional::ofNullable));
  }

  /**
   * Sets {@code zone}'s timers and source; {@code failure} is the failure last reported (null after a success). An
   * ask for a refresh is left as it is: a NOTIFY that came while the refresh ran asks for one more (RFC 1996 §4.4).
   */
  public void saveTransferState(String zone, String source, RefreshTimers timers, String failure) {
    inTransaction(() -> TransferState.<TransferState>findById(zone).chain(existing -> {
      TransferState row = existing != null ? existing : new TransferState();
      row.zone = zone;
      row.source = source;
      row.setTimers(timers);
      row.lastFailure = failure;
      return existing != null ? Uni.createFrom().voidItem() : row.persist().replaceWithVoid();
    }));
  }

  /**
   * Asks for a refresh of {@code zone} at once (a NOTIFY, RFC 1996 §4.7); several asks before the refresh starts are
   * one (§4.4). False when the zone is not loaded from a primary.
   */
  public boolean askRefresh(String zone) {
    return inTransaction(() -> TransferState.<TransferState>findById(zone).map(row -> {
      if (row == null) {
        return false;
      }
      row.refreshAsked = true;
      return true;
    }));
  }

  /** Takes back the ask for a refresh of {@code zone}, at the start of that refresh. */
  public void takeRefreshAsk(String zone) {
    inTransaction(() -> TransferState.<TransferState>findById(zone).map(row -> {
      if (row != null) {
        row.refreshAsked = false;
      }
      return null;
    }));
  }

  /** Forgets {@code zone}'s timers: its source became a zone file. */
  public void forgetTransferState(String zone) {
    inTransaction(() -> TransferState.deleteById(zone).replaceWithVoid());
  }

  /** Marks {@code eventId} processed without other changes (failed or unchanged loads). */
  public void markProcessed(String eventId) {
    Instant now = Instant.now();
    inTransaction(() -> insertProcessed(eventId, now));
  }

  private static Uni<Void> insertProcessedIfAbsent(String eventId) {
    return ProcessedEvent.<ProcessedEvent>findById(eventId)
        .chain(found -> found != null ? Uni.createFrom().voidItem() : insertProcessed(eventId, Instant.now()));
  }

  private static Uni<Void> insertProcessed(String eventId, Instant now) {
    ProcessedEvent processed = new ProcessedEvent();
    processed.eventId = eventId;
    processed.processedAt = now;
    return processed.persist().replaceWithVoid();
  }
}
