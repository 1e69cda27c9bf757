package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.keymanager.domain.ExistingKey;
import dev.cascade.keymanager.domain.KeyPolicy;
import dev.cascade.keymanager.domain.KeySetGenerator;
import dev.cascade.keymanager.domain.KeySetPlan;
import dev.cascade.keymanager.domain.KeySetPlanner;
import dev.cascade.keymanager.domain.NewKey;
import dev.cascade.keymanager.persistence.KeyManagerState;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.messaging.EventHandling;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Keeps each zone's keys in step with the zone registry.
 *
 * <p>ZoneAdded: generate the policy's key set if the zone has none (or bring back its retired keys after a remove and
 * re-add, see {@link KeySetPlanner}), store it and announce it as KeySetChanged. ZoneRemoved: retire the zone's keys,
 * keeping the rows, since an operator may still need a removed zone's keys, and announce the empty key set, so the
 * topic alone tells which keys are retired ({@link KeySetRestore}). ZoneReloadRequested: nothing to do.
 *
 * <p>No registry event is handled before {@link KeySetRestore} has brought the tables up to the key-sets topic. Each
 * record goes through {@link EventHandling}: an unexpected error is tried again with backoff, and a record that still
 * fails (or cannot be decoded) is set aside on the keymanager's dead-letter topic, so one bad record does not stall
 * the partition. Events already handled are skipped; the processed mark is written only after the announcement
 * is acknowledged, so a crash in between repeats the announcement rather than losing it. Nothing here logs key
 * material: only zone names, key tags, roles and algorithms.
 */
@ApplicationScoped
public class ZoneRegistryConsumer {

  private static final Logger LOG = Logger.getLogger(ZoneRegistryConsumer.class);
  /** The DNSKEY TTL announced with an empty key set: there is no DNSKEY RRset for it to apply to. */
  private static final long NO_KEYS_TTL = 0;

  private final KeySetEmitter emitter;
  private final KeySetRestore restore;
  private final KeyManagerState state;
  private final KeyWrap keyWrap;
  private final Vertx vertx;
  private final EventHandling handling;
  private final KeySetGenerator generator = KeySetGenerator.standard();

  public ZoneRegistryConsumer(
      KeySetEmitter emitter,
      KeySetRestore restore,
      KeyManagerState state,
      KeyWrap keyWrap,
      Vertx vertx,
      EventHandling handling) {
    this.emitter = emitter;
    this.restore = restore;
    this.state = state;
    this.keyWrap = keyWrap;
    this.vertx = vertx;
    this.handling = handling;
  }

  @Incoming(Channels.ZONE_REGISTRY)
  public Uni<Void> onZoneRegistryFact(
      ZoneRegistryFact fact, IncomingKafkaRecordMetadata<String, ZoneRegistryFact> origin) {
    return handling.reactiveOnce(origin.getRecord(), restore.restored(), state::alreadyProcessed,
        eventId -> dispatch(fact, eventId));
  }

  private Uni<Void> dispatch(ZoneRegistryFact fact, String eventId) {
    String zone = ZoneApex.canonical(fact.getZone());
    Object what = fact.getFact();
    if (what instanceof ZoneAdded added) {
      return onZoneAdded(zone, added.getPolicy(), eventId);
    }
    if (what instanceof ZoneRemoved) {
      // Milliseconds, the precision of the announcement, whose time a rebuild gives the retired keys.
      Instant retiredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      return state
          .retireAll(zone, retiredAt)
          .invoke(count -> LOG.infof("zone %s removed: %d key(s) retired and kept", zone, count))
          .chain(() -> emitter.keySetChanged(zone, NO_KEYS_TTL, List.of(), eventId, retiredAt))
          .chain(() -> state.markProcessed(eventId));
    }
    // ZoneReloadRequested changes the content, not the keys.
    return state.markProcessed(eventId);
  }

  private Uni<Void> onZoneAdded(String zone, PolicySnapshot snapshot, String eventId) {
    KeyPolicy policy;
    try {
      policy =
          KeyPolicy.of(
              snapshot.getAlgorithm(),
              snapshot.getUseCsk(),
              snapshot.getKskValiditySeconds(),
              snapshot.getZskValiditySeconds(),
              snapshot.getDnskeyTtlSeconds());
    } catch (RuntimeException e) {
      LOG.errorf("zone %s: no keys generated, policy %s is unusable: %s", zone, snapshot.getName(), e.getMessage());
      return state.markProcessed(eventId);
    }
    return state
        .keysOf(zone)
        .chain(
            keys -> {
              KeySetPlan plan = KeySetPlanner.plan(existing(keys), policy, eventId, Instant.now());
              if (plan instanceof KeySetPlan.KeepQuiet) {
                LOG.infof("zone %s already has its keys, nothing to announce", zone);
                return state.markProcessed(eventId);
              }
              if (plan instanceof KeySetPlan.AnnounceActive) {
                LOG.infof("zone %s: announcing the key set again (earlier handling of %s did not finish)", zone, eventId);
                return announce(zone, policy, eventId);
              }
              if (plan instanceof KeySetPlan.Reactivate reactivate) {
                LOG.infof("zone %s added again: reactivating %d retired key(s)", zone, reactivate.keyIds().size());
                return state
                    .reactivate(reactivate.keyIds(), eventId, policy.dnskeyTtl())
                    .chain(() -> announce(zone, policy, eventId));
              }
              Set<Integer> tagsInUse = keys.stream().map(k -> k.keyTag).collect(Collectors.toSet());
              // Key generation is CPU-bound (RSA can take seconds): worker thread, then back on this record's context.
              return vertx
                  .executeBlocking(Uni.createFrom().item(() -> generate(zone, policy, tagsInUse, eventId)))
                  .call(state::insert)
                  .invoke(stored -> stored.forEach(k -> LOG.infof(
                      "zone %s: generated %s key tag %d algorithm %d", zone, k.role, k.keyTag, k.algorithm)))
                  .chain(() -> announce(zone, policy, eventId));
            });
  }

  private Uni<Void> announce(String zone, KeyPolicy policy, String eventId) {
    return state
        .activeKeysOf(zone)
        .chain(keys -> emitter.keySetChanged(zone, policy.dnskeyTtl(), keys, eventId, Instant.now()))
        .chain(() -> state.markProcessed(eventId));
  }

  /** Blocking: generates the key set and wraps each private key under the key-encryption key. */
  private List<StoredZoneKey> generate(String zone, KeyPolicy policy, Set<Integer> tagsInUse, String eventId) {
    Name origin;
    try {
      origin = Name.fromString(zone);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid zone name " + zone, e);
    }
    return generator.generate(origin, policy, tagsInUse).stream().map(k -> stored(zone, k, policy, eventId)).toList();
  }

  private StoredZoneKey stored(String zone, NewKey key, KeyPolicy policy, String eventId) {
    StoredZoneKey row = new StoredZoneKey();
    row.id = UUID.randomUUID();
    row.zone = zone;
    row.keyTag = key.key().keyTag();
    row.algorithm = key.key().dnskey().getAlgorithm();
    row.flags = key.key().dnskey().getFlags();
    row.role = key.role();
    row.publicKey = Base64.getEncoder().encodeToString(key.key().dnskey().getKey());
    row.wrappedPrivateKey = keyWrap.wrap(key.key().privateKey());
    row.dnskeyTtl = policy.dnskeyTtl();
    row.createdAt = key.createdAt();
    row.expiresAt = key.expiresAt();
    row.activatedBy = eventId;
    return row;
  }

  private static List<ExistingKey> existing(List<StoredZoneKey> keys) {
    return keys.stream()
        .map(k -> new ExistingKey(k.id, k.keyTag, k.algorithm, k.role, k.expiresAt, k.retiredAt != null, k.activatedBy))
        .toList();
  }
}
