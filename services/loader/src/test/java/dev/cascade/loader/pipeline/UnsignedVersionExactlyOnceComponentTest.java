package dev.cascade.loader.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.content.ContentReader;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.loader.persistence.LoaderStore;
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
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.xbill.DNS.Record;

/**
 * Exactly-once unsigned versions (issue 9): every ZoneVersionLoaded is written in a Kafka transaction fenced by the
 * registry event it answers, the loader's group commits its offset past that event in a transaction, and neither a
 * fenced announcement nor a registry event delivered again leads to a second version. Read as a {@code read_committed}
 * consumer reads the topic (the signer, the publisher, the review-gateway, the restore).
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class UnsignedVersionExactlyOnceComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** The loader's consumer group (application.properties). */
  private static final String GROUP = "loader";

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
  @Inject UnsignedVersionRestore restore;
  @Inject LoaderStore state;

  @Test
  void aZoneAddedIsAnnouncedOnceInATransactionAndTheGroupResumesPastIt() throws Exception {
    String zone = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, zoneFile(zone, 2026120701).toString());

    RecordMetadata at = send(added);
    ConsumerGroups.awaitCommittedPast(bootstrap, GROUP, at, TIMEOUT);

    List<UnsignedVersionFact> facts = committedFacts(zone);
    assertEquals(1, facts.size(), "one fact, seen by a read_committed reader: " + facts);
    assertEquals(eventId(added), facts.get(0).getMetadata().getCausationId());
    ZoneVersionLoaded loaded = assertInstanceOf(ZoneVersionLoaded.class, facts.get(0).getFact());
    assertEquals(2026120701L, loaded.getSerial());
    assertTrue(state.alreadyProcessed(eventId(added)), "recorded once announced");
    assertEquals(Optional.of(loaded.getContent().getDigest()), state.lastDigest(zone));
  }

  /**
   * Zombie fencing (KIP-447): the ZoneAdded handled for a consumer group member the group does not know (an instance
   * paused past its session timeout, whose partitions went to another) cannot commit its version: a read_committed
   * reader sees nothing and nothing is recorded. Its content chunks are written already, outside the transaction; the
   * partition's owner, given the same event, loads the file again as the same version and writes its chunks again,
   * and the version it announces reads back whole.
   */
  @Test
  void aFencedAnnouncementIsNotSeenNorRecordedAndTheOwnerAnnouncesTheSameVersionOnce() throws Exception {
    String zone = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, zoneFile(zone, 2026120702).toString());
    ConsumedEvent evicted = new ConsumedEvent(new TopicPartition(Topics.ZONE_REGISTRY, 0), 0,
        new ConsumerGroupMetadata(GROUP, 1, "loader-evicted-member", Optional.empty()));

    FencedWriteException fenced = assertThrows(FencedWriteException.class,
        () -> transactions.within(evicted, () -> consumer.handle(added)));
    assertEquals(FencedWriteException.Fenced.CONSUMED_EVENT, fenced.fenced());
    assertEquals(List.of(), committedFacts(zone), "nothing announced");
    assertFalse(state.alreadyProcessed(eventId(added)), "nothing recorded as handled");
    assertEquals(Optional.empty(), state.lastDigest(zone), "no version recorded");

    RecordMetadata at = send(added);
    ConsumerGroups.awaitCommittedPast(bootstrap, GROUP, at, TIMEOUT);

    List<UnsignedVersionFact> facts = committedFacts(zone);
    assertEquals(1, facts.size(), "announced once, by the owner: " + facts);
    ZoneVersionLoaded loaded = assertInstanceOf(ZoneVersionLoaded.class, facts.get(0).getFact());
    assertEquals(ZoneRegistryConsumer.versionId(zone, eventId(added)), loaded.getVersionId(),
        "the version the fenced handling made, derived from the event");
    assertTrue(state.alreadyProcessed(eventId(added)));
    try (ContentReader reader = new ContentReader(KafkaSettings.consumer(bootstrap, registryUrl))) {
      List<Record> records = reader.readCompact(loaded.getContent(), zone, loaded.getVersionId()).toRecords();
      assertEquals(loaded.getContent().getRecordCount(), records.size(),
          "the announced manifest names its own chunks, not those the fenced handling wrote");
    }
  }

  /**
   * A crash between the Kafka transaction and the table write: the version is on the topic, the tables know nothing
   * of it. The start-up restore records it from the topic, so the ZoneAdded delivered again is skipped as handled:
   * nothing loaded, nothing announced.
   */
  @Test
  void aZoneAddedDeliveredAgainAfterItsVersionIsOnTheTopicAnnouncesNothing() throws Exception {
    String zone = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, zoneFile(zone, 2026120703).toString());
    ConsumerGroups.awaitCommittedPast(bootstrap, GROUP, send(added), TIMEOUT);
    UnsignedVersionFact announced = committedFacts(zone).get(0);
    String digest = assertInstanceOf(ZoneVersionLoaded.class, announced.getFact()).getContent().getDigest();

    try (Connection connection = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
        PreparedStatement version = connection.prepareStatement("delete from loader.loaded_zone where zone = ?");
        PreparedStatement processed =
            connection.prepareStatement("delete from loader.processed_event where event_id = ?")) {
      version.setString(1, zone);
      version.executeUpdate();
      processed.setString(1, eventId(added));
      processed.executeUpdate();
    }
    assertEquals(Optional.empty(), state.lastDigest(zone));

    assertTrue(restore.restore() >= 1, "the version the tables lack is recorded");
    assertTrue(state.alreadyProcessed(eventId(added)));
    assertEquals(Optional.of(digest), state.lastDigest(zone));

    ConsumerGroups.awaitCommittedPast(bootstrap, GROUP, send(added), TIMEOUT);

    assertEquals(List.of(announced.getMetadata().getEventId()),
        committedFacts(zone).stream().map(fact -> fact.getMetadata().getEventId()).toList(),
        "nothing announced for the event delivered again");
  }

  private static String uniqueZone() {
    return "eos" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
  }

  private static Path zoneFile(String zone, long serial) throws Exception {
    String text = String.join("\n", "$ORIGIN " + zone, "$TTL 3600",
        "@ IN SOA ns1 hostmaster " + serial + " 7200 3600 1209600 3600", "@ IN NS ns1", "ns1 IN A 192.0.2.1",
        "www IN A 192.0.2.10", "");
    return Files.writeString(Files.createTempDirectory("loader-eos").resolve("zone"), text);
  }

  private static String eventId(ZoneRegistryFact fact) {
    return fact.getMetadata().getEventId();
  }

  private RecordMetadata send(ZoneRegistryFact fact) throws Exception {
    try (KafkaProducer<String, ZoneRegistryFact> producer = AvroClients.producer(bootstrap, registryUrl)) {
      return producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, fact.getZone(), fact)).get(30, TimeUnit.SECONDS);
    }
  }

  /** The facts about {@code zone} a read_committed reader finds on the unsigned-versions topic, in order. */
  private List<UnsignedVersionFact> committedFacts(String zone) {
    return TopicHistory.<UnsignedVersionFact>read(
            KafkaSettings.consumer(bootstrap, registryUrl), Topics.UNSIGNED_VERSIONS, TIMEOUT)
        .stream()
        .filter(record -> zone.equals(record.key()))
        .map(ConsumerRecord::value)
        .toList();
  }
}
