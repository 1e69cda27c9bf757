package dev.cascade.keymanager.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Reads and writes the key manager's tables. Every operation opens its own session or transaction, so callers on a
 * Vert.x context can chain them around blocking work without holding a session open.
 */
@ApplicationScoped
public class KeyManagerState {

  /** Whether the event with this id was already handled. */
  public Uni<Boolean> alreadyProcessed(String eventId) {
    return Panache.withSession(() -> ProcessedEvent.<ProcessedEvent>findById(eventId).map(found -> found != null));
  }

  /** Every key of {@code zone}, active and retired, oldest first. */
  public Uni<List<StoredZoneKey>> keysOf(String zone) {
    return Panache.withSession(
        () -> StoredZoneKey.<StoredZoneKey>list("zone = ?1 order by createdAt, role", zone));
  }

  /** The keys in {@code zone}'s current key set, oldest first, SEP keys before zone signing keys. */
  public Uni<List<StoredZoneKey>> activeKeysOf(String zone) {
    return Panache.withSession(
        () ->
            StoredZoneKey.<StoredZoneKey>list(
                "zone = ?1 and retiredAt is null order by createdAt, flags desc", zone));
  }

  /** Stores newly generated keys in one transaction (all or none). */
  public Uni<Void> insert(List<StoredZoneKey> keys) {
    return Panache.withTransaction(() -> StoredZoneKey.persist(keys));
  }

  /** Brings retired keys back into the zone's key set for the ZoneAdded {@code eventId}. */
  public Uni<Void> reactivate(List<UUID> ids, String eventId, long dnskeyTtl) {
    return Panache.withTransaction(
        () ->
            StoredZoneKey.update(
                    "retiredAt = null, activatedBy = ?1, dnskeyTtl = ?2 where id in ?3", eventId, dnskeyTtl, ids)
                .replaceWithVoid());
  }

  /** Retires every active key of {@code zone}; the rows are kept. */
  public Uni<Integer> retireAll(String zone, Instant now) {
    return Panache.withTransaction(
        () -> StoredZoneKey.update("retiredAt = ?1 where zone = ?2 and retiredAt is null", now, zone));
  }

  /**
   * Makes {@code zone}'s keys what an announcement on the key-sets topic said, unless the announcement's cause is
   * already marked processed: the announced keys become the active set, as announced, and every other active key of
   * the zone is retired at {@code announcedAt}. The cause is then marked processed, so the event that led to the
   * announcement is never handled again (never generates keys again) when the registry is replayed.
   *
   * @param announced the announced keys, with their ids, {@code activatedBy} the cause and {@code retiredAt} null
   * @return whether the tables changed
   */
  public Uni<Boolean> restore(String zone, String causationId, Instant announcedAt, List<StoredZoneKey> announced) {
    List<UUID> ids = announced.stream().map(key -> key.id).toList();
    return Panache.withTransaction(
        () ->
            ProcessedEvent.<ProcessedEvent>findById(causationId)
                .chain(
                    processed -> {
                      if (processed != null) {
                        return Uni.createFrom().item(false);
                      }
                      Uni<Integer> retired =
                          ids.isEmpty()
                              ? StoredZoneKey.update(
                                  "retiredAt = ?1 where zone = ?2 and retiredAt is null", announcedAt, zone)
                              : StoredZoneKey.update(
                                  "retiredAt = ?1 where zone = ?2 and retiredAt is null and id not in ?3",
                                  announcedAt, zone, ids);
                      Uni<Void> chain = retired.replaceWithVoid();
                      for (StoredZoneKey key : announced) {
                        // merge inserts a key the tables lost and updates one they still hold, by id.
                        chain = chain.chain(() -> Panache.getSession().chain(session -> session.merge(key)))
                            .replaceWithVoid();
                      }
                      return chain.chain(() -> insertProcessed(causationId, announcedAt)).replaceWith(true);
                    }));
  }

  /** Marks {@code eventId} processed. */
  public Uni<Void> markProcessed(String eventId) {
    return Panache.withTransaction(() -> insertProcessed(eventId, Instant.now()));
  }

  private static Uni<Void> insertProcessed(String eventId, Instant now) {
    ProcessedEvent processed = new ProcessedEvent();
    processed.eventId = eventId;
    processed.processedAt = now;
    return processed.persist().replaceWithVoid();
  }
}
