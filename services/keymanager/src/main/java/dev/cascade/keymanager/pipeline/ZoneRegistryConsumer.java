package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.RollPosition;
import dev.cascade.dnssec.roll.RollStepException;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.keymanager.domain.ExistingKey;
import dev.cascade.keymanager.domain.HsmKeys;
import dev.cascade.keymanager.domain.KeyPolicy;
import dev.cascade.keymanager.domain.KeySetGenerator;
import dev.cascade.keymanager.domain.KeySetImporter;
import dev.cascade.keymanager.domain.KeySetPlan;
import dev.cascade.keymanager.domain.KeySetPlanner;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.KeySetRows;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.keymanager.persistence.StoredZonePolicy;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.messaging.EventHandling;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Keeps each zone's keys in step with the zone registry.
 *
 * <p>ZoneAdded: generate the policy's key set if the zone has none (or take the keys the operator imported, {@link
 * KeySetImporter}, or bring back its retired keys after a remove and re-add, see {@link KeySetPlanner}), store it and
 * announce it as KeySetChanged. ZoneRemoved: announce the empty key set, then retire the zone's keys, keeping the rows,
 * since an operator may still need a removed zone's keys; the topic alone thus tells which keys are retired ({@link
 * KeySetRestore}). ZoneReloadRequested with a policy (policy reload, zone set-policy): keep its key settings, which
 * the {@link RollTimer} acts on (a new algorithm or {@code use-csk} starts a roll, see {@link
 * dev.cascade.keymanager.domain.RollDriver}), and announce the key set again when what it carries besides the keys
 * changed (DNSKEY TTL, CDS and CDNSKEY); without a policy, nothing to do.
 *
 * <p>Exactly-once (issue 9): the handler runs on a worker thread ({@code @Blocking}, one record at a time) through
 * {@link EventHandling#exactlyOnce}. Each KeySetChanged goes out in a Kafka transaction fenced by the consumer group
 * membership the registry event was consumed under, with that event's offset ({@link KeySetEmitter}), so an instance
 * whose partitions moved to another replica announces nothing; once the handler is done a last transaction moves the
 * group's offset past the event. An unexpected error is tried again with backoff, and a record that still fails (or
 * cannot be decoded) is set aside on the keymanager's dead-letter topic together with that offset, so one bad record
 * does not stall the partition.
 *
 * <p>What a crash or a fence leaves behind, and why nothing is generated twice:
 *
 * <ul>
 *   <li>Generated (or reactivated) keys are stored before their announcement, active and marked as made for this
 *       event. When the announcement then does not happen (a crash, or the transaction fenced), the event is
 *       delivered again, to this instance or to the partition's new owner, which finds those keys and announces them
 *       ({@link KeySetPlan.AnnounceActive}) instead of generating others. A new KSK would break the chain of trust
 *       from the parent's DS (RFC 4035 §5).
 *   <li>The event is marked processed (and a removed zone's keys retired) only after the transaction committed. A
 *       crash between the two leaves an announcement on the topic that the tables do not reflect; at the next start
 *       {@link KeySetRestore} records it, before any registry event is handled, so the event delivered again is
 *       skipped as processed. An instance that takes the partition over in that moment without restarting announces
 *       the same keys a second time (AnnounceActive): a duplicate with the same keys, never new keys.
 * </ul>
 *
 * <p>Nothing here logs key material: only zone names, key tags, roles and algorithms.
 */
@ApplicationScoped
public class ZoneRegistryConsumer {

  private static final Logger LOG = Logger.getLogger(ZoneRegistryConsumer.class);
  /** The DNSKEY TTL announced with an empty key set: there is no DNSKEY RRset for it to apply to. */
  private static final long NO_KEYS_TTL = 0;

  private final KeySetEmitter emitter;
  private final KekRotation rotation;
  private final KeyManagerStore state;
  private final KeyWrap keyWrap;
  private final EventHandling handling;
  private final KeySetLock lock;
  private final KeySetGenerator generator;
  private final KeyRows keyRows;
  private final HsmKeys hsmKeys;

  public ZoneRegistryConsumer(
      KeySetEmitter emitter, KekRotation rotation, KeyManagerStore state, KeyWrap keyWrap, EventHandling handling,
      KeySetLock lock, KeySetGenerator generator, KeyRows keyRows, HsmKeys hsmKeys) {
    this.hsmKeys = hsmKeys;
    this.generator = generator;
    this.keyRows = keyRows;
    this.emitter = emitter;
    this.rotation = rotation;
    this.state = state;
    this.keyWrap = keyWrap;
    this.handling = handling;
    this.lock = lock;
  }

  /**
   * Waits for {@link KeySetRestore} and then {@link KekRotation}, then handles the event once (class comment), holding
   * the {@link KeySetLock} against the roll timer.
   */
  @Incoming(Channels.ZONE_REGISTRY)
  @Blocking
  public CompletionStage<Void> onZoneRegistryFact(Message<ZoneRegistryFact> message) {
    rotation.await();
    return handling.exactlyOnce(message, () -> lock.run(() -> handle(message.getPayload())));
  }

  /**
   * Handles one registry event unless it was handled before (Kafka delivers at least once). Its facts answer the
   * event the calling thread handles ({@link dev.cascade.service.messaging.FactTransactions#within}).
   *
   * @throws FencedWriteException when the announcement was fenced: nothing was announced, nothing marked processed
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
      onZoneAdded(zone, added, eventId);
    } else if (what instanceof ZoneRemoved) {
      // Milliseconds, the precision of the announcement, whose time a restore gives the retired keys.
      Instant retiredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      emitter.keySetChanged(zone, NO_KEYS_TTL, List.of(), List.of(), eventId, retiredAt);
      int retired = state.retireAll(zone, retiredAt, eventId);
      LOG.infof("zone %s removed: %d key(s) retired and kept", zone, retired);
    } else if (what instanceof ZoneReloadRequested reload && reload.getPolicy() != null) {
      onPolicyChanged(zone, reload.getPolicy(), eventId);
    } else {
      // A plain reload changes the content, not the keys.
      state.markProcessed(eventId);
    }
  }

  private void onPolicyChanged(String zone, PolicySnapshot snapshot, String eventId) {
    StoredZonePolicy stored = ZonePolicies.stored(zone, snapshot);
    KeyPolicy policy;
    try {
      policy = stored.keyPolicy();
    } catch (RuntimeException e) {
      LOG.errorf("zone %s: keeps its key settings, policy %s is unusable: %s", zone, snapshot.getName(),
          e.getMessage());
      state.markProcessed(eventId);
      return;
    }
    StoredZonePolicy before = state.policyOf(zone);
    state.savePolicies(List.of(stored));
    LOG.infof("zone %s: key settings of policy %s in effect", zone, snapshot.getName());
    List<StoredZoneKey> keys = state.activeKeysOf(zone);
    boolean carriedChanged = before == null || before.dnskeyTtlSeconds != stored.dnskeyTtlSeconds
        || !before.cdsPublication.equals(stored.cdsPublication) || !before.dsAlgorithm.equals(stored.dsAlgorithm);
    if (!keys.isEmpty() && carriedChanged) {
      emitter.keySetChanged(zone, policy.dnskeyTtl(), keys, state.rollsOf(zone), eventId, Instant.now());
    }
    state.markProcessed(eventId);
  }

  private void onZoneAdded(String zone, ZoneAdded added, String eventId) {
    PolicySnapshot snapshot = added.getPolicy();
    StoredZonePolicy stored = ZonePolicies.stored(zone, snapshot);
    KeyPolicy policy;
    try {
      policy = stored.keyPolicy();
    } catch (RuntimeException e) {
      LOG.errorf("zone %s: no keys generated, policy %s is unusable: %s", zone, snapshot.getName(), e.getMessage());
      state.markProcessed(eventId);
      return;
    }
    // The roll timer's policy for the zone; KeySetRestore records it again from the registry topic.
    state.savePolicies(List.of(stored));
    List<StoredZoneKey> keys = state.keysOf(zone);
    // A removed key (auto-remove) has no private key left to bring back; its tag still counts below.
    KeySetPlan plan = KeySetPlanner.plan(
        existing(keys.stream().filter(key -> key.removedAt == null).toList()), policy, eventId, Instant.now());
    if (plan instanceof KeySetPlan.KeepQuiet) {
      LOG.infof("zone %s already has its keys, nothing to announce", zone);
      state.markProcessed(eventId);
      return;
    }
    if (plan instanceof KeySetPlan.AnnounceActive) {
      LOG.infof("zone %s: announcing the key set again (earlier handling of %s did not finish)", zone, eventId);
    } else if (!added.getImportedKeys().isEmpty()) {
      // Imported keys win over retired ones a re-added zone could get back: the operator named the keys to use.
      Set<Integer> tagsInUse = keys.stream().map(k -> k.keyTag).collect(Collectors.toSet());
      KeySetState imported;
      List<StoredZoneKey> rows;
      try {
        rows = new ArrayList<>();
        Map<String, RollPosition> positions = new HashMap<>();
        for (KeySetImporter.Member m : importKeys(zone, policy, added, tagsInUse)) {
          StoredZoneKey row = active(keyRows.row(zone, UUID.randomUUID(), m.key(), policy.dnskeyTtl(), eventId,
              m.privateKeyUri()));
          rows.add(row);
          if (m.rollPosition() != null) {
            positions.put(row.id.toString(), m.rollPosition());
          }
        }
        imported = takeOver(policy, rows, positions);
      } catch (KeySetImporter.ImportRefusedException e) {
        // review-gateway refuses what it can check before the event; what is left (a key tag of a retired key, a key
        // wrapped under a KEK this keymanager does not hold) ends here: no keys rather than keys the operator did not
        // ask for, and the reason in the log.
        LOG.errorf("zone %s: imported keys refused, no keys: %s", zone, e.getMessage());
        state.markProcessed(eventId);
        return;
      }
      state.insert(KeySetRows.rows(imported, rows), KeySetRows.rolls(zone, imported));
    } else if (plan instanceof KeySetPlan.Reactivate reactivate) {
      LOG.infof("zone %s added again: reactivating %d retired key(s)", zone, reactivate.keyIds().size());
      state.reactivate(reactivate.keyIds(), eventId, policy.dnskeyTtl());
    } else {
      Set<Integer> tagsInUse = keys.stream().map(k -> k.keyTag).collect(Collectors.toSet());
      // Key generation is CPU-bound (RSA can take seconds), which is fine on this worker thread.
      List<StoredZoneKey> generated = generate(zone, policy, tagsInUse, eventId);
      KeySetState first = firstSigning(zone, policy, generated);
      state.insert(KeySetRows.rows(first, generated), KeySetRows.rolls(zone, first));
      generated.forEach(k -> LOG.infof(
          "zone %s: generated %s key tag %d algorithm %d", zone, k.role, k.keyTag, k.algorithm));
    }
    emitter.keySetChanged(
        zone, policy.dnskeyTtl(), state.activeKeysOf(zone), state.rollsOf(zone), eventId, Instant.now());
    state.markProcessed(eventId);
  }

  /** Blocking: the imported keys, and generated keys for the roles they leave out. */
  private List<KeySetImporter.Member> importKeys(String zone, KeyPolicy policy, ZoneAdded added,
      Set<Integer> tagsInUse) throws KeySetImporter.ImportRefusedException {
    List<KeySetImporter.Request> requests = added.getImportedKeys().stream()
        .map(k -> new KeySetImporter.Request(k.getRole(), k.getFile(), k.getDnskey(),
            k.getWrappedPrivateKey() == null ? null : bytes(k.getWrappedPrivateKey()), k.getPrivateKeyUri(),
            position(k.getRollPosition())))
        .toList();
    KeySetImporter importer = new KeySetImporter(generator, keyWrap, hsmKeys, Clock.systemUTC());
    List<KeySetImporter.Member> members = importer.importKeys(origin(zone), policy, requests, tagsInUse);
    members.forEach(m -> LOG.infof("zone %s: %s %s key tag %d algorithm %d%s", zone,
        m.imported() ? "imported" : "generated", m.key().role(), m.key().key().keyTag(), m.key().key().algorithm(),
        m.rollPosition() == null ? "" : ", the " + m.rollPosition().part() + " key of a roll taken over"));
    return members;
  }

  private static RollPosition position(dev.cascade.events.v1.RollPosition p) {
    return p == null ? null
        : new RollPosition(p.getPart(), p.getPublished(), p.getSignsKeys(), p.getSignsZone(), p.getAtParent());
  }

  /**
   * The imported key set: every key doing all its role's jobs, but for the keys of a roll another key manager began
   * ({@code cascade migrate opendnssec}), which is taken over at the phase they are in, the policy's roll type tried
   * first ({@link KeySetState#takeOver}).
   *
   * @param positions the place of each key of the roll, by key id
   * @throws KeySetImporter.ImportRefusedException if the roll cannot be taken over
   */
  private static KeySetState takeOver(KeyPolicy policy, List<StoredZoneKey> rows, Map<String, RollPosition> positions)
      throws KeySetImporter.ImportRefusedException {
    try {
      // Milliseconds, the precision KeySetChanged carries.
      return KeySetState.takeOver(KeySetRows.state(rows, List.of()).keys(), positions, variant -> switch (variant) {
        case KSK -> policy.rolls().kskRollType();
        case ZSK -> policy.rolls().zskRollType();
        case CSK, ALGORITHM -> null;
      }, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    } catch (RollStepException | IllegalArgumentException e) {
      throw new KeySetImporter.ImportRefusedException(e.getMessage(), e);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return b;
  }

  private static Name origin(String zone) {
    try {
      return Name.fromString(zone);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid zone name " + zone, e);
    }
  }

  /**
   * Blocking: generates the key set, in the policy's PKCS#11 token or in software ({@link KeyRows} keeps each private
   * key where it belongs); the keys do nothing yet.
   */
  private List<StoredZoneKey> generate(String zone, KeyPolicy policy, Set<Integer> tagsInUse, String eventId) {
    return generator.generate(origin(zone), policy, tagsInUse).stream()
        .map(k -> keyRows.row(zone, UUID.randomUUID(), k, policy.dnskeyTtl(), eventId))
        .toList();
  }

  /**
   * A new zone's first key set: its generated ZSK doing all its jobs at once, and its KSK (or CSK) published and
   * signing at once but its DS left to the roll that brings it in ({@link RollType#KSK_INITIAL}, {@link
   * RollType#CSK_INITIAL}), which adds it once the signed zone has propagated and no cache holds its unsigned answers
   * any more. Imported keys and keys brought back do all their jobs at once instead: their DS may be at the parent
   * already.
   */
  private static KeySetState firstSigning(String zone, KeyPolicy policy, List<StoredZoneKey> keys) {
    List<StoredZoneKey> zsks =
        keys.stream().filter(key -> key.role == SigningRole.ZSK).map(ZoneRegistryConsumer::active).toList();
    List<StoredZoneKey> entryPoints = keys.stream().filter(key -> key.role != SigningRole.ZSK).toList();
    RollType type = policy.useCsk() ? RollType.CSK_INITIAL : RollType.KSK_INITIAL;
    try {
      // Milliseconds, the precision KeySetChanged carries.
      return KeySetRows.state(zsks, List.of()).start(type, KeySetRows.state(entryPoints, List.of()).keys(),
          Instant.now().truncatedTo(ChronoUnit.MILLIS));
    } catch (RollStepException e) {
      // A new KSK beside new ZSKs, or a CSK alone: what a first roll asks.
      throw new IllegalStateException("zone " + zone + ": " + e.getMessage(), e);
    }
  }

  private static StoredZoneKey active(StoredZoneKey row) {
    row.activeInItsRole();
    return row;
  }

  private static List<ExistingKey> existing(List<StoredZoneKey> keys) {
    return keys.stream()
        .map(k -> new ExistingKey(k.id, k.keyTag, k.algorithm, k.role, k.expiresAt, k.retiredAt != null, k.activatedBy))
        .toList();
  }
}
