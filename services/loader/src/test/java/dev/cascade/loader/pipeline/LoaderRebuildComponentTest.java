package dev.cascade.loader.pipeline;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneLoadFailed;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.SchemaContents;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.ConsumerGroups;
import dev.cascade.testinfra.kafka.RegistryFacts;
import dev.cascade.testinfra.kafka.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Projections rebuildable (issue 9): the loader's schema dropped and migrated again empty is rebuilt from the log
 * alone, row for row, without a version loaded or announced again; the events after it are handled as before.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class LoaderRebuildComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** When this instance handled an event: not on the log, so no rebuild can give it back. */
  private static final Set<String> LOCAL_TIMES = Set.of("processed_event.processed_at");

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "cascade.registry.url")
  String registryUrl;

  @Inject LoaderRebuild rebuild;
  @Inject Flyway flyway;

  private static String uniqueZone() {
    return "r" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
  }

  private static String zoneText(String zone, long serial, String lastLine) {
    return String.join("\n", "$ORIGIN " + zone, "$TTL 3600",
        "@ IN SOA ns1 hostmaster " + serial + " 7200 3600 1209600 3600", "@ IN NS ns1", "ns1 IN A 192.0.2.1", lastLine,
        "");
  }

  private void send(KafkaProducer<String, ZoneRegistryFact> producer, ZoneRegistryFact fact) throws Exception {
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, fact.getZone(), fact)).get(30, TimeUnit.SECONDS);
  }

  private static List<ConsumerRecord<String, UnsignedVersionFact>> awaitFacts(
      TopicReader<UnsignedVersionFact> versions, String zone, int count) {
    return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .until(() -> versions.recordsFor(zone), facts -> facts.size() >= count);
  }

  @Test
  void aDroppedSchemaIsRebuiltFromTheLogWithoutLoadingAnythingAgain() throws Exception {
    Path dir = Files.createTempDirectory("loader-rebuild");
    String kept = uniqueZone();
    String removed = uniqueZone();
    Path first = Files.writeString(dir.resolve("kept.zone"), zoneText(kept, 1, "www IN A 192.0.2.10"));
    Path broken = Files.writeString(dir.resolve("broken.zone"), zoneText(kept, 2, "www IN A 999.1.2.3"));
    Path gone = Files.writeString(dir.resolve("removed.zone"), zoneText(removed, 7, "www IN A 192.0.2.70"));
    ZoneRegistryFact added = RegistryFacts.zoneAdded(kept, first.toString());
    try (KafkaProducer<String, ZoneRegistryFact> producer = AvroClients.producer(bootstrap, registryUrl);
        TopicReader<UnsignedVersionFact> versions =
            TopicReader.avro(bootstrap, registryUrl, Topics.UNSIGNED_VERSIONS)) {
      send(producer, added);
      send(producer, RegistryFacts.reloadRequested(kept, first.toString()));
      send(producer, RegistryFacts.reloadRequested(kept, broken.toString()));
      send(producer, RegistryFacts.zoneAdded(removed, gone.toString()));
      send(producer, RegistryFacts.zoneRemoved(removed));
      awaitFacts(versions, kept, 2);
      awaitFacts(versions, removed, 1);
      ConsumerGroups.awaitCommittedToEnd(bootstrap, "loader", List.of(Topics.ZONE_REGISTRY), TIMEOUT);
      Map<String, List<String>> before = SchemaContents.of("loader", LOCAL_TIMES);
      assertTrue(before.get("loaded_zone").stream().anyMatch(row -> row.contains(kept)), before.toString());

      SchemaContents.drop("loader");
      flyway.migrate();
      assertTrue(rebuild.restore() > 0, "the registry events are applied again");

      assertEquals(before, SchemaContents.of("loader", LOCAL_TIMES));
      assertEquals(0, rebuild.restore(), "a second rebuild finds the tables up to date");

      // The ZoneAdded delivered again is skipped, the unchanged file stays unchanged, and the removed zone is loaded
      // afresh; the reload of a new file is the barrier after them on the zone's partition.
      Path next = Files.writeString(dir.resolve("next.zone"), zoneText(kept, 3, "www IN A 192.0.2.30"));
      send(producer, added);
      send(producer, RegistryFacts.reloadRequested(kept, first.toString()));
      send(producer, RegistryFacts.reloadRequested(kept, next.toString()));
      send(producer, RegistryFacts.zoneAdded(removed, gone.toString()));
      List<ConsumerRecord<String, UnsignedVersionFact>> facts = awaitFacts(versions, kept, 3);
      assertEquals(3, facts.size(), "nothing from the rebuild or the replayed events: " + facts);
      assertInstanceOf(ZoneVersionLoaded.class, facts.get(0).value().getFact());
      assertInstanceOf(ZoneLoadFailed.class, facts.get(1).value().getFact());
      assertEquals(3L, assertInstanceOf(ZoneVersionLoaded.class, facts.get(2).value().getFact()).getSerial());
      assertEquals(2, awaitFacts(versions, removed, 2).size(), "the removed zone, added again, is a new version");
    }
    RestAssured.get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("projection rebuilt"));
  }
}
