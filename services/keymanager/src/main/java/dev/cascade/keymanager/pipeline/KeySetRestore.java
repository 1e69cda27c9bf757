package dev.cascade.keymanager.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.keymanager.persistence.KeyManagerState;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TopicHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

  private final KeyManagerState state;
  private final Map<String, Object> consumerConfig;

  public KeySetRestore(
      KeyManagerState state,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    this.state = state;
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, registryUrl);
  }

  @Override
  protected String what() {
    return "key sets";
  }

  /** Applies every announcement on the topic, in order; registry events wait for it ({@link #restored()}). */
  @Override
  protected int restore() {
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

  private boolean apply(KeySetChanged set) {
    List<StoredZoneKey> keys = set.getKeys().stream().map(key -> stored(set, key)).toList();
    if (KekRotation.isRotation(set.getMetadata().getCausationId())) {
      return state.rewrapped(set.getMetadata().getCausationId(), set.getMetadata().getOccurredAt(),
          keys.stream().collect(Collectors.toMap(key -> key.id, key -> key.wrappedPrivateKey)));
    }
    return state.restore(set.getZone(), set.getMetadata().getCausationId(), set.getMetadata().getOccurredAt(), keys);
  }

  /** The row a key was announced from: its id is in the reference ({@code db:keymanager/<id>}). */
  private static StoredZoneKey stored(KeySetChanged set, ZoneKey key) {
    StoredZoneKey row = new StoredZoneKey();
    row.id = UUID.fromString(key.getReference().substring(key.getReference().lastIndexOf('/') + 1));
    row.zone = set.getZone();
    row.keyTag = key.getKeyTag();
    row.algorithm = key.getAlgorithm();
    row.flags = key.getFlags();
    row.role = SigningRole.valueOf(key.getRole().name());
    row.publicKey = key.getPublicKey();
    ByteBuffer wrapped = key.getWrappedPrivateKey().duplicate();
    row.wrappedPrivateKey = new byte[wrapped.remaining()];
    wrapped.get(row.wrappedPrivateKey);
    row.dnskeyTtl = set.getDnskeyTtl();
    row.createdAt = key.getCreatedAt();
    row.expiresAt = key.getExpiresAt();
    row.activatedBy = set.getMetadata().getCausationId();
    return row;
  }
}
