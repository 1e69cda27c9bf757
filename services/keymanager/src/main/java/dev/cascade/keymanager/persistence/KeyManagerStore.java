package dev.cascade.keymanager.persistence;

import static dev.cascade.service.database.BlockingSessions.inSession;
import static dev.cascade.service.database.BlockingSessions.inTransaction;

import dev.cascade.service.database.BlockingSessions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads and writes the key manager's tables with Hibernate Reactive. The methods block, as the signer's store does:
 * every caller runs on a worker thread (the blocking registry consumer, the start-up restore, the blocking HTTP
 * endpoint, tests), and each call runs its own session or transaction on a Vert.x context with
 * {@link BlockingSessions}, which refuses to block an event loop. No session stays open across
 * calls, so a caller can put slow work (key generation, a Kafka transaction) between them.
 */
@ApplicationScoped
public class KeyManagerStore {


  /** Whether the event with this id was already handled. */
  public boolean alreadyProcessed(String eventId) {
    return inSession(() -> ProcessedEvent.<ProcessedEvent>findById(eventId).map(found -> found != null));
  }

  /** Every key that left its key set and is not removed yet, oldest retirement first. */
  public List<StoredZoneKey> retiredKeys() {
    return inSession(() -> StoredZoneKey.<StoredZoneKey>list(
        "retiredAt is not null and removedAt is null order by retiredAt"));
  }

  /** Records {@code id} removed at {@code at}: no private key left, not even wrapped. */
  public void removed(UUID id, Instant at) {
    inTransaction(() -> StoredZoneKey.update("wrappedPrivateKey = ?1, removedAt = ?2 where id = ?3", new byte[0], at,
        id).replaceWithVoid());
  }

  /** Every key of {@code zone}, active and retired, oldest first. */
  public List<StoredZoneKey> keysOf(String zone) {
    return inSession(() -> StoredZoneKey.<StoredZoneKey>list("zone = ?1 order by createdAt, role", zone));
  }

  /** The keys in {@code zone}'s current key set, oldest first, SEP keys before zone signing keys. */
  public List<StoredZoneKey> activeKeysOf(String zone) {
    return inSession(
        () -> StoredZoneKey.<StoredZoneKey>list("zone = ?1 and retiredAt is null order by createdAt, flags desc", zone));
  }

  /** Every zone's current key set: the active keys of all zones, by zone, oldest first. */
  public List<StoredZoneKey> activeKeys() {
    return inSession(
        () -> StoredZoneKey.<StoredZoneKey>list("retiredAt is null order by zone, createdAt, flags desc"));
  }

  /** The zones with a key set: those with active keys. */
  public List<String> zonesWithKeys() {
    return inSession(() -> Panache.getSession().chain(session -> session.createQuery(
        "select distinct zone from StoredZoneKey where retiredAt is null order by zone", String.class)
        .getResultList()));
  }

  /** The rolls in progress of {@code zone}, by variant. */
  public List<StoredKeyRoll> rollsOf(String zone) {
    return inSession(() -> StoredKeyRoll.<StoredKeyRoll>list("zone = ?1 order by variant", zone));
  }

  /** The key settings of {@code zone}'s policy ({@link StoredZonePolicy}); null if no ZoneAdded of it was seen. */
  public StoredZonePolicy policyOf(String zone) {
    return inSession(() -> StoredZonePolicy.<StoredZonePolicy>findById(zone));
  }

  /** Records zones' policies, each replacing the zone's earlier one, in one transaction. */
  public void savePolicies(List<StoredZonePolicy> policies) {
    inTransaction(() -> {
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (StoredZonePolicy policy : policies) {
        chain = chain.chain(() -> Panache.getSession().chain(session -> session.merge(policy))).replaceWithVoid();
      }
      return chain;
    });
  }

  /** The DS RRset last requested of {@code zone}'s parent; null if none was. */
  public StoredDsRequest dsRequestOf(String zone) {
    return inSession(() -> StoredDsRequest.<StoredDsRequest>findById(zone));
  }

  /** Records the DS RRset requested of a zone's parent, replacing the zone's earlier one. */
  public void saveDsRequest(StoredDsRequest request) {
    inTransaction(() -> Panache.getSession().chain(session -> session.merge(request)).replaceWithVoid());
  }

  /** Stores newly generated keys, and the rolls that bring them in, in one transaction (all or none). */
  public void insert(List<StoredZoneKey> keys, List<StoredKeyRoll> rolls) {
    inTransaction(() -> rolls.isEmpty() ? StoredZoneKey.persist(keys)
        : StoredZoneKey.persist(keys).chain(() -> StoredKeyRoll.persist(rolls)));
  }

  /**
   * Brings retired keys back into the zone's key set for the ZoneAdded {@code eventId}, doing all their role's jobs:
   * the zone was out of the DNS, so there is nothing to roll from.
   */
  public void reactivate(List<UUID> ids, String eventId, long dnskeyTtl) {
    inTransaction(
        () ->
            StoredZoneKey.<StoredZoneKey>list("id in ?1", ids)
                .invoke(keys -> keys.forEach(key -> {
                  key.retiredAt = null;
                  key.activatedBy = eventId;
                  key.dnskeyTtl = dnskeyTtl;
                  key.activeInItsRole();
                }))
                .replaceWithVoid());
  }

  /**
   * Retires every active key of {@code zone} at {@code retiredAt}, keeping the rows, ends its rolls and marks the
   * ZoneRemoved {@code eventId} processed, in one transaction.
   *
   * @return how many keys were retired
   */
  public int retireAll(String zone, Instant retiredAt, String eventId) {
    return inTransaction(
        () ->
            StoredZoneKey.update("retiredAt = ?1 where zone = ?2 and retiredAt is null", retiredAt, zone)
                .call(() -> StoredKeyRoll.delete("zone = ?1", zone))
                .call(() -> insertProcessed(eventId, retiredAt)));
  }

  /**
   * Records keys wrapped again under another key-encryption key, as a rotation announced them: only their wrapped
   * private keys change, by id, and {@code cause} is marked processed, in one transaction; nothing if it already is.
   *
   * @return whether anything changed
   */
  public boolean rewrapped(String cause, Instant announcedAt, Map<UUID, byte[]> wrapped) {
    return inTransaction(
        () ->
            ProcessedEvent.<ProcessedEvent>findById(cause)
                .chain(
                    processed -> {
                      if (processed != null) {
                        return Uni.createFrom().item(false);
                      }
                      Uni<Void> chain = Uni.createFrom().voidItem();
                      for (Map.Entry<UUID, byte[]> key : wrapped.entrySet()) {
                        chain = chain.chain(() -> StoredZoneKey.update(
                            "wrappedPrivateKey = ?1 where id = ?2", key.getValue(), key.getKey())).replaceWithVoid();
                      }
                      return chain.chain(() -> insertProcessed(cause, announcedAt)).replaceWith(true);
                    }));
  }

  /**
   * Makes {@code zone}'s keys and rolls what an announcement on the key-sets topic said, unless the announcement's
   * cause is already marked processed: the announced keys become the active set, as announced (with their uses), every
   * other active key of the zone is retired at {@code announcedAt} (a roll's old keys after roll-done, or all of a
   * removed zone's), and the announced rolls replace the zone's. The cause is then marked processed, so the event that
   * led to the announcement is never handled again (never generates keys again) when the registry is replayed. The
   * roll timer records its own announcements this way too.
   *
   * @param announced the announced keys, with their ids and {@code retiredAt} null
   * @param rolls the announced rolls
   * @return whether the tables changed
   */
  public boolean restore(
      String zone, String causationId, Instant announcedAt, List<StoredZoneKey> announced, List<StoredKeyRoll> rolls) {
    List<UUID> ids = announced.stream().map(key -> key.id).toList();
    return inTransaction(
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
                      chain = chain.chain(() -> StoredKeyRoll.delete("zone = ?1", zone)).replaceWithVoid();
                      if (!rolls.isEmpty()) {
                        chain = chain.chain(() -> StoredKeyRoll.persist(rolls));
                      }
                      return chain.chain(() -> insertProcessed(causationId, announcedAt)).replaceWith(true);
                    }));
  }

  /** Marks {@code eventId} processed. */
  public void markProcessed(String eventId) {
    inTransaction(() -> insertProcessed(eventId, Instant.now()));
  }

  private static Uni<Void> insertProcessed(String eventId, Instant now) {
    ProcessedEvent processed = new ProcessedEvent();
    processed.eventId = eventId;
    processed.processedAt = now;
    return processed.persist().replaceWithVoid();
  }
}
