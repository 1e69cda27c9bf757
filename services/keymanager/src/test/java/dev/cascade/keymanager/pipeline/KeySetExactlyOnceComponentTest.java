package dev.cascade.keymanager.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TopicHistory;
import dev.cascade.service.messaging.ConsumedEvent;
import dev.cascade.service.messaging.FactTransactions;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.ConsumerGroups;
import dev.cascade.testinfra.kafka.RegistryFacts;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once key sets (issue 9): every KeySetChanged is written in a Kafka transaction fenced by the registry event
 * it answers, the keymanager's group commits its offset past that event in a transaction, and neither a fenced
 * announcement nor a registry event delivered again leads to a second key set with other keys. Read as a
 * {@code read_committed} consumer reads the topic (the signer, the review-gateway, the restore).
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class KeySetExactlyOnceComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** The keymanager's consumer group (application.properties). */
  private static final String GROUP = "keymanager";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "cascade.registry.url")
  String registryUrl;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String databaseUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String databaseUser;

  @ConfigProperty(name = "quarkus.datasource.password")
  String databasePassword;

  @Inject ZoneRegistryConsumer consumer;
  @Inject FactTransactions transactions;
  @Inject KeySetRestore restore;
  @Inject KeyManagerStore state;

  @Test
  void aZoneAddedIsAnnouncedOnceInATransactionAndTheGroupResumesPastIt() throws Exception {
    String zone = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/once.zone");

    RecordMetadata at = send(added);
    ConsumerGroups.awaitCommittedPast(bootstrap, GROUP, at, TIMEOUT);

    List<KeySetChanged> sets = committedKeySets(zone);
    assertEquals(1, sets.size(), "one key set, seen by a read_committed reader: " + sets);
    assertEquals(eventId(added), sets.get(0).getMetadata().getCausationId());
    assertEquals(2, sets.get(0).getKeys().size());
    assertTrue(state.alreadyProcessed(eventId(added)), "recorded once announced");
    assertEquals(keyTags(sets.get(0)), state.activeKeysOf(zone).stream().map(k -> k.keyTag).sorted().toList());
  }

  /**
   * Zombie fencing (KIP-447): the ZoneAdded handled for a consumer group member the group does not know (an instance
   * paused past its session timeout, whose partitions went to another) cannot commit its key set: a read_committed
   * reader sees nothing and the event is not marked processed. The keys it generated stay stored, made for that event,
   * so the partition's owner, given the same event, announces those keys rather than generating others.
   */
  @Test
  void aFencedAnnouncementIsNotSeenNorRecordedAndTheOwnerAnnouncesTheSameKeys() throws Exception {
    String zone = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/zombie.zone");
    ConsumedEvent evicted = new ConsumedEvent(new TopicPartition(Topics.ZONE_REGISTRY, 0), 0,
        new ConsumerGroupMetadata(GROUP, 1, "keymanager-evicted-member", Optional.empty()));

    FencedWriteException fenced = assertThrows(FencedWriteException.class,
        () -> transactions.within(evicted, () -> consumer.handle(added)));
    assertEquals(FencedWriteException.Fenced.CONSUMED_EVENT, fenced.fenced());
    assertEquals(List.of(), committedKeySets(zone), "nothing announced");
    assertFalse(state.alreadyProcessed(eventId(added)), "nothing recorded as handled");
    List<Integer> generated = state.activeKeysOf(zone).stream().map(k -> k.keyTag).sorted().toList();
    assertEquals(2, generated.size(), "the keys generated before the announcement are kept for the owner");

    RecordMetadata at = send(added);
    ConsumerGroups.awaitCommittedPast(bootstrap, GROUP, at, TIMEOUT);

    List<KeySetChanged> sets = committedKeySets(zone);
    assertEquals(1, sets.size(), "announced once, by the owner: " + sets);
    assertEquals(generated, keyTags(sets.get(0)), "the keys the fenced handling generated, no others");
    assertEquals(2, state.keysOf(zone).size(), "no key generated twice");
    assertTrue(state.alreadyProcessed(eventId(added)));
  }

  /**
   * A crash between the Kafka transaction and the table write, here with the zone's rows lost as well: the key set is
   * on the topic, the tables know nothing of it. The start-up restore records it from the topic, so the ZoneAdded
   * delivered again is skipped as handled: no key generated, nothing announced.
   */
  @Test
  void aZoneAddedDeliveredAgainAfterItsKeySetIsOnTheTopicGeneratesAndAnnouncesNothing() throws Exception {
    String zone = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/redelivered.zone");
    ConsumerGroups.awaitCommittedPast(bootstrap, GROUP, send(added), TIMEOUT);
    KeySetChanged announced = committedKeySets(zone).get(0);

    try (Connection connection = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
        PreparedStatement keys = connection.prepareStatement("delete from keymanager.zone_key where zone = ?");
        PreparedStatement processed =
            connection.prepareStatement("delete from keymanager.processed_event where event_id = ?")) {
      keys.setString(1, zone);
      keys.executeUpdate();
      processed.setString(1, eventId(added));
      processed.executeUpdate();
    }
    assertEquals(List.of(), state.keysOf(zone));

    assertTrue(restore.restore() >= 1, "the key set the tables lack is applied");
    assertTrue(state.alreadyProcessed(eventId(added)));
    List<StoredZoneKey> restored = state.activeKeysOf(zone);
    assertEquals(keyTags(announced), restored.stream().map(k -> k.keyTag).sorted().toList());

    ConsumerGroups.awaitCommittedPast(bootstrap, GROUP, send(added), TIMEOUT);

    assertEquals(List.of(announced.getMetadata().getEventId()),
        committedKeySets(zone).stream().map(set -> set.getMetadata().getEventId()).toList(),
        "nothing announced for the event delivered again");
    assertEquals(restored.stream().map(k -> k.id).sorted().toList(),
        state.keysOf(zone).stream().map(k -> k.id).sorted().toList(), "no key generated");
  }

  private static String uniqueZone() {
    return "eos" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
  }

  private static String eventId(ZoneRegistryFact fact) {
    return fact.getMetadata().getEventId();
  }

  private static List<Integer> keyTags(KeySetChanged set) {
    return set.getKeys().stream().map(ZoneKey::getKeyTag).sorted().toList();
  }

  private RecordMetadata send(ZoneRegistryFact fact) throws Exception {
    try (KafkaProducer<String, ZoneRegistryFact> producer = AvroClients.producer(bootstrap, registryUrl)) {
      return producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, fact.getZone(), fact)).get(30, TimeUnit.SECONDS);
    }
  }

  /** The key sets of {@code zone} a read_committed reader finds on the key-sets topic, in order. */
  private List<KeySetChanged> committedKeySets(String zone) {
    return TopicHistory.<KeySetChanged>read(KafkaSettings.consumer(bootstrap, registryUrl), Topics.KEY_SETS, TIMEOUT)
        .stream()
        .filter(record -> zone.equals(record.key()))
        .map(ConsumerRecord::value)
        .toList();
  }
}
