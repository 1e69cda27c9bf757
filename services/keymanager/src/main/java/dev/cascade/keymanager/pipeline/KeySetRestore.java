package dev.cascade.keymanager.pipeline;

import dev.cascade.events.PolicyFacts;
import dev.cascade.events.Topics;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.events.v1.KeyRollProgress;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.KeyUse;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.StoredKeyRoll;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.keymanager.persistence.StoredZonePolicy;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TopicHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rebuilds the key manager's tables from its own topic, {@code cascade.key-sets.v1}, before any registry event is
 * handled (docs/architecture.md, rule 1: tables are projections of the log).
 *
 * <p>Every key set the key manager decided on is on that topic, private keys wrapped, with the registry event that
 * caused it. Applying the announcements in order restores each zone's keys, retired ones included, and marks their
 * causes processed. So an empty schema gets back the keys the zones are signed with, and a replayed ZoneAdded finds its
 * keys instead of generating new ones: new keys for a zone whose parent holds a DS for the old KSK would break its
 * chain of trust (RFC 4035 §5). Announcements the tables already reflect change nothing, so this runs at every start;
 * it also catches up an announcement that reached Kafka just before a crash kept it from being recorded (the key
 * manager announces in a Kafka transaction, then records, see {@link ZoneRegistryConsumer}). Only committed
 * announcements are read ({@link KafkaSettings#historyConsumer} reads {@code read_committed}): one that a fenced
 * instance aborted was never made, and its cause is handled again by the partition's owner.
 */
@ApplicationScoped
public class KeySetRestore extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(KeySetRestore.class);

  private final KeyManagerStore state;
  private final KeyManagerMetrics metrics;
  private final Map<String, Object> consumerConfig;

  public KeySetRestore(
      KeyManagerStore state,
      KeyManagerMetrics metrics,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    this.state = state;
    this.metrics = metrics;
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, registryUrl);
  }

  @Override
  protected String what() {
    return "key sets";
  }

  /**
   * Applies every announcement on the topic, in order, and records the policy each zone was last added with (from the
   * zone registry topic: the roll timer needs it, and the registry events are not handled again once their
   * announcements are restored); registry events wait for it ({@link #restored()}).
   */
  @Override
  protected int restore() {
    restorePolicies();
    List<ConsumerRecord<String, KeySetChanged>> history =
        TopicHistory.read(consumerConfig, Topics.KEY_SETS, READ_TIMEOUT);
    int changed = 0;
    for (ConsumerRecord<String, KeySetChanged> record : history) {
      KeySetChanged set = record.value();
      if (set == null || set.getMetadata().getCausationId() == null) {
        LOG.errorf("%s offset %d of partition %d %s: its keys cannot be restored", Topics.KEY_SETS, record.offset(),
            record.partition(), set == null ? "cannot be decoded" : "names no cause");
        continue;
      }
      if (apply(set)) {
        changed++;
      }
    }
    return changed;
  }

  /**
   * The last policy of every zone on the registry topic (its ZoneAdded's, or a later ZoneReloadRequested's), recorded
   * as it would have been when handled.
   */
  private void restorePolicies() {
    List<ConsumerRecord<String, ZoneRegistryFact>> registry =
        TopicHistory.read(consumerConfig, Topics.ZONE_REGISTRY, READ_TIMEOUT);
    Map<String, StoredZonePolicy> policies = new LinkedHashMap<>();
    for (ConsumerRecord<String, ZoneRegistryFact> record : registry) {
      // An undecodable record is the registry consumer's to set aside; it has no policy to give.
      if (record.value() != null) {
        String zone = ZoneApex.canonical(record.value().getZone());
        PolicyFacts.of(record.value()).ifPresent(snapshot -> policies.put(zone, ZonePolicies.stored(zone, snapshot)));
      }
    }
    state.savePolicies(List.copyOf(policies.values()));
  }

  private boolean apply(KeySetChanged set) {
    List<StoredZoneKey> keys = set.getKeys().stream().map(key -> stored(set, key)).toList();
    if (KekRotation.isRotation(set.getMetadata().getCausationId())) {
      return state.rewrapped(set.getMetadata().getCausationId(), set.getMetadata().getOccurredAt(),
          keys.stream().collect(Collectors.toMap(key -> key.id, key -> key.wrappedPrivateKey)));
    }
    List<StoredKeyRoll> rolls = set.getRolls().stream().map(roll -> stored(set.getZone(), roll)).toList();
    // Each announcement holds the zone's whole key set, so the last one read leaves the series the zone has now.
    metrics.keySet(set.getZone(), keys, rolls);
    return state.restore(
        set.getZone(), set.getMetadata().getCausationId(), set.getMetadata().getOccurredAt(), keys, rolls);
  }

  /** The row of an announced roll: its keys are named by reference, the rows by id. */
  private static StoredKeyRoll stored(String zone, KeyRollProgress roll) {
    return StoredKeyRoll.of(zone, new KeyRoll(
        RollType.valueOf(roll.getRollType()),
        roll.getNewKeys().stream().map(reference -> StoredZoneKey.idOf(reference).toString()).toList(),
        roll.getOldKeys().stream().map(reference -> StoredZoneKey.idOf(reference).toString()).toList(),
        roll.getPhase(),
        KeyRoll.Stage.valueOf(roll.getStage().name()),
        roll.getSince(),
        Duration.ofSeconds(roll.getTtlSeconds())));
  }

  /**
   * The row a key was announced from: its id is in the reference ({@code db:keymanager/<id>}). A key announced
   * without its use (before key rolls) does all its role's jobs.
   */
  private static StoredZoneKey stored(KeySetChanged set, ZoneKey key) {
    StoredZoneKey row = new StoredZoneKey();
    row.id = StoredZoneKey.idOf(key.getReference());
    row.zone = set.getZone();
    row.keyTag = key.getKeyTag();
    row.algorithm = key.getAlgorithm();
    row.flags = key.getFlags();
    row.role = SigningRole.valueOf(key.getRole().name());
    row.publicKey = key.getPublicKey();
    ByteBuffer wrapped = key.getWrappedPrivateKey().duplicate();
    row.wrappedPrivateKey = new byte[wrapped.remaining()];
    wrapped.get(row.wrappedPrivateKey);
    row.privateKeyUri = key.getPrivateKeyUri();
    row.dnskeyTtl = set.getDnskeyTtl();
    row.createdAt = key.getCreatedAt();
    row.expiresAt = key.getExpiresAt();
    row.activatedBy = set.getMetadata().getCausationId();
    KeyUse use = key.getUse();
    if (use == null) {
      row.activeInItsRole();
    } else {
      row.published = use.getPublished();
      row.signsKeys = use.getSignsKeys();
      row.signsZone = use.getSignsZone();
      row.atParent = use.getAtParent();
    }
    return row;
  }
}
