package dev.cascade.loader.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads and writes the loader's tables. Each write that finishes the handling of an event records the event id in
 * the same transaction, so the state and the "already processed" mark never disagree.
 */
@ApplicationScoped
public class LoaderState {

  /** Whether the event with this id was already handled. */
  public Uni<Boolean> alreadyProcessed(String eventId) {
    return Panache.withSession(() -> ProcessedEvent.<ProcessedEvent>findById(eventId).map(found -> found != null));
  }

  /** The digest of the last version loaded for {@code zone}, if any. */
  public Uni<Optional<String>> lastDigest(String zone) {
    return Panache.withSession(
        () -> LoadedZone.<LoadedZone>findById(zone).map(row -> Optional.ofNullable(row).map(r -> r.digest)));
  }

  /** Records a newly published version of {@code zone} and marks {@code eventId} processed. */
  public Uni<Void> recordVersion(
      String zone, String source, String digest, String versionId, long serial, String eventId) {
    Instant now = Instant.now();
    return Panache.withTransaction(
        () ->
            LoadedZone.<LoadedZone>findById(zone)
                .chain(
                    existing -> {
                      LoadedZone row = existing != null ? existing : new LoadedZone();
                      row.zone = zone;
                      row.source = source;
                      row.digest = digest;
                      row.versionId = versionId;
                      row.serial = serial;
                      row.loadedAt = now;
                      return existing != null ? Uni.createFrom().item(row) : row.<LoadedZone>persist();
                    })
                .chain(ignored -> insertProcessed(eventId, now)));
  }

  /** Forgets {@code zone} (it was removed from the registry) and marks {@code eventId} processed. */
  public Uni<Void> forget(String zone, String eventId) {
    Instant now = Instant.now();
    return Panache.withTransaction(
        () -> LoadedZone.deleteById(zone).chain(ignored -> insertProcessed(eventId, now)));
  }

  /** Marks {@code eventId} processed without other changes (failed or unchanged loads). */
  public Uni<Void> markProcessed(String eventId) {
    Instant now = Instant.now();
    return Panache.withTransaction(() -> insertProcessed(eventId, now));
  }

  private static Uni<Void> insertProcessed(String eventId, Instant now) {
    ProcessedEvent processed = new ProcessedEvent();
    processed.eventId = eventId;
    processed.processedAt = now;
    return processed.persist().replaceWithVoid();
  }
}
