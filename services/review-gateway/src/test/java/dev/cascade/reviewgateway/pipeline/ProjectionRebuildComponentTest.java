package dev.cascade.reviewgateway.pipeline;

import static dev.cascade.reviewgateway.api.GatewayTestKit.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.SigningStats;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.reviewgateway.api.GatewayTestKit;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresConnection;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.SchemaContents;
import dev.cascade.testinfra.Services;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.ConsumerGroups;
import dev.cascade.testinfra.kafka.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Projections rebuildable (issue 9): review-gateway's schema dropped and migrated again empty is rebuilt from the log
 * alone, row for row, without a gate approval sent again; the events after it are handled as before.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class ProjectionRebuildComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SCHEMA = "reviewgateway";
  /**
   * Columns no event carries: when this instance handled an event or last wrote a zone's row, and the history rows'
   * surrogate key, drawn from a sequence (the rows' times and wording, which the API shows, are compared).
   */
  private static final Set<String> LOCAL =
      Set.of("processed_event.processedat", "zone_status.updatedat", "zone_history.id");

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "cascade.registry.url")
  String registryUrl;

  @ConfigProperty(name = "mp.messaging.incoming.pipeline-events.topics")
  List<String> topics;

  @Inject ProjectionRebuild rebuild;
  @Inject Flyway flyway;

  @Test
  void aDroppedSchemaIsRebuiltFromTheLogWithoutSendingAnApprovalAgain() throws Exception {
    try (TopicReader<ZoneVersionReviewed> reviews = TopicReader.avro(bootstrap, registryUrl, Topics.ZONE_REVIEWS)) {
      // A zone with both reviews off: loaded, approved by the gate, signed, approved by the gate, published.
      String auto = addZone("auto", "default");
      String unsigned = UUID.randomUUID().toString();
      sendLoaded(auto, unsigned, 2026120701L);
      awaitApproval(reviews, auto, ReviewStage.UNSIGNED, unsigned);
      awaitHistory(auto, "Unsigned zone review approved");
      String signed = UUID.randomUUID().toString();
      sendSigned(auto, signed, 2026120701L, 2026120702L);
      awaitApproval(reviews, auto, ReviewStage.SIGNED, signed);
      awaitHistory(auto, "Signed zone review approved");
      send(Topics.PUBLISHED_VERSIONS, auto, ZoneVersionPublished.newBuilder().setMetadata(metadata("publisher"))
          .setZone(auto).setVersionId(signed).setUnsignedSerial(2026120701L).setSignedSerial(2026120702L)
          .setRecordCount(9).build());
      awaitHistory(auto, "Published");
      // Two publisher instances that name themselves announce the version each serves.
      for (String instance : List.of("publisher-2", "publisher-1")) {
        send(Topics.PUBLISHED_VERSIONS, auto, ZoneVersionPublished.newBuilder().setMetadata(metadata("publisher"))
            .setZone(auto).setVersionId(signed).setUnsignedSerial(2026120701L).setSignedSerial(2026120702L)
            .setRecordCount(9).setPublisherInstance(instance).build());
      }
      await().atMost(TIMEOUT).untilAsserted(() -> given().get("/zone/" + auto + "/status").then().statusCode(200)
          .body("servedBy.instance", equalTo(List.of("publisher-1", "publisher-2")))
          .body("servedBy.signedSerial", equalTo(List.of(2026120702, 2026120702))));

      // A zone under manual review, approved by the operator and then removed: its history stays.
      String manual = addZone("manual", "review");
      sendLoaded(manual, UUID.randomUUID().toString(), 7L);
      awaitHistory(manual, "Unsigned zone review pending");
      given().post("/zone/" + manual + "/unsigned/7/approve").then().statusCode(200);
      awaitHistory(manual, "Unsigned zone review approved by " + GatewayTestKit.TESTER);
      given().post("/zone/" + manual + "/remove").then().statusCode(200);
      awaitHistory(manual, "Zone removed");
      // A late fact about the removed zone is dropped: it neither brings the zone back nor shows in its history.
      sendLoaded(manual, UUID.randomUUID().toString(), 8L);

      // A zone whose load reaches the gateway before its ZoneAdded (they are on different topics, so nothing orders
      // them): the load is held, and applied right after the zone is added, gate approval included.
      String early = "early-" + UUID.randomUUID().toString().substring(0, 8) + ".rebuild.test.";
      String earlyVersion = UUID.randomUUID().toString();
      sendLoaded(early, earlyVersion, 11L);
      ConsumerGroups.awaitCommittedToEnd(bootstrap, "review-gateway", existing(topics), TIMEOUT);
      given().get("/zone/" + early + "/status").then().statusCode(404);
      given().get("/zone/" + manual + "/status").then().statusCode(404);
      addZoneNamed(early, "default");
      awaitApproval(reviews, early, ReviewStage.UNSIGNED, earlyVersion);
      await().atMost(TIMEOUT).untilAsserted(() -> given().get("/zone/" + early + "/status").then().statusCode(200)
          .body("unsigned.serial", equalTo(11)).body("unsigned.reviewStatus", equalTo("approved")));
      awaitHistory(early, "New version received");

      ConsumerGroups.awaitCommittedToEnd(bootstrap, "review-gateway", existing(topics), TIMEOUT);
      Map<String, List<String>> before = projection();
      assertTrue(before.get("zone_status").stream().anyMatch(row -> row.contains(auto)), before.toString());
      assertTrue(before.get("zone_history").stream().anyMatch(row -> row.contains(manual)), before.toString());
      assertEquals(1, before.get("zone_history").stream()
          .filter(row -> row.contains(manual) && row.contains("New version received")).count(), before.toString());
      long reviewsBefore = endOffset(Topics.ZONE_REVIEWS);
      long historyIds = lastHistoryId();

      SchemaContents.drop(SCHEMA);
      flyway.migrate();
      continueHistoryIds(historyIds);
      assertTrue(rebuild.restore() > 0, "the consumed events are applied again");

      assertEquals(before, projection());
      assertEquals(0, rebuild.restore(), "a second rebuild finds the projection up to date");
      assertEquals(reviewsBefore, endOffset(Topics.ZONE_REVIEWS), "the rebuild sent no approval again");

      // The next version of the zone is handled as before: applied, and approved by the gate once.
      String next = UUID.randomUUID().toString();
      sendLoaded(auto, next, 2026120801L);
      awaitApproval(reviews, auto, ReviewStage.UNSIGNED, next);
      await().atMost(TIMEOUT).untilAsserted(() -> given().get("/zone/" + auto + "/status").then().statusCode(200)
          .body("unsigned.serial", equalTo(2026120801)).body("unsigned.reviewStatus", equalTo("approved")));
      assertEquals(3, reviews.recordsFor(auto).size(), "one approval per version: " + reviews.recordsFor(auto));
    }
    given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("projection rebuilt"));
  }

  private static String addZone(String prefix, String policy) throws Exception {
    return addZoneNamed(prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".rebuild.test.", policy);
  }

  private static String addZoneNamed(String zone, String policy) throws Exception {
    Path file = Files.createTempFile("zone", ".zone");
    Files.writeString(file, "$ORIGIN example.\n@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 3600\n");
    file.toFile().deleteOnExit();
    given().contentType(ContentType.JSON).body(Map.of("name", zone, "source", file.toString(), "policy", policy))
        .post("/zone/add").then().statusCode(200);
    awaitHistory(zone, "Zone added");
    return zone;
  }

  private static void awaitHistory(String zone, String line) {
    await().atMost(TIMEOUT).untilAsserted(() -> given().get("/zone/" + zone + "/history").then().statusCode(200)
        .body("history.event", hasItem(line)));
  }

  private static void awaitApproval(
      TopicReader<ZoneVersionReviewed> reviews, String zone, ReviewStage stage, String versionId) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> reviews.recordsFor(zone).stream()
        .map(ConsumerRecord::value)
        .anyMatch(review -> review.getStage() == stage && review.getVersionId().equals(versionId)));
  }

  /** Event times to the millisecond, the precision an event carries. */
  private static EventMetadata metadata(String producer) {
    return EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setProducer(producer).build();
  }

  /** What the loader announces for a version it loaded. */
  private void sendLoaded(String zone, String versionId, long serial) throws Exception {
    ContentLocation content = ContentLocation.newBuilder().setTopic(Topics.UNSIGNED_CONTENT).setPartition(0)
        .setFirstOffset(0).setLastOffset(0).setChunkCount(1).setDigest("00").setRecordCount(3).build();
    send(Topics.UNSIGNED_VERSIONS, zone, UnsignedVersionFact.newBuilder().setMetadata(metadata("loader"))
        .setZone(zone)
        .setFact(ZoneVersionLoaded.newBuilder().setVersionId(versionId).setSerial(serial)
            .setSource("/zones/" + zone + "zone").setByteCount(120).setContent(content).setWarnings(List.of()).build())
        .build());
  }

  /** What the signer announces for a version it signed. */
  private void sendSigned(String zone, String versionId, long unsignedSerial, long signedSerial) throws Exception {
    ContentLocation content = ContentLocation.newBuilder().setTopic(Topics.SIGNED_CONTENT).setPartition(0)
        .setFirstOffset(0).setLastOffset(0).setChunkCount(1).setDigest("01").setRecordCount(9).build();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    send(Topics.SIGNED_VERSIONS, zone, SignedVersionFact.newBuilder().setMetadata(metadata("signer"))
        .setZone(zone)
        .setFact(ZoneVersionSigned.newBuilder().setVersionId(versionId).setUnsignedSerial(unsignedSerial)
            .setSignedSerial(signedSerial).setContent(content)
            .setStats(SigningStats.newBuilder().setUnsignedRrCount(3).setDenialRrCount(3).setRrsigCount(3)
                .setStartedAt(at).setFinishedAt(at).setThreads(1).build())
            .build())
        .build());
  }

  private void send(String topic, String zone, Object event) throws Exception {
    try (KafkaProducer<String, Object> producer = AvroClients.producer(bootstrap, registryUrl)) {
      producer.send(new ProducerRecord<>(topic, zone, event)).get(30, TimeUnit.SECONDS);
    }
  }

  /** The channel's topics that exist (a topic nobody wrote to yet may not). */
  private List<String> existing(List<String> names) {
    try (KafkaConsumer<String, byte[]> consumer = rawConsumer()) {
      Set<String> all = consumer.listTopics(Duration.ofSeconds(30)).keySet();
      return names.stream().filter(all::contains).toList();
    }
  }

  /** How many records {@code topic} holds, over all its partitions. */
  private long endOffset(String topic) {
    try (KafkaConsumer<String, byte[]> consumer = rawConsumer()) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
          .mapToLong(Long::longValue).sum();
    }
  }

  private KafkaConsumer<String, byte[]> rawConsumer() {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
  }

  private static long lastHistoryId() throws Exception {
    try (Connection connection = connect(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT last_value FROM " + SCHEMA + ".zone_history_seq")) {
      result.next();
      return result.getLong(1);
    }
  }

  /**
   * A service restarts after its schema was dropped, and Hibernate then draws its history ids afresh from the new
   * sequence; this test keeps the running application, whose id generator still holds a block of the dropped
   * sequence. The new sequence goes on from the old one, so the blocks do not overlap.
   */
  private static void continueHistoryIds(long last) throws Exception {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute("SELECT setval('" + SCHEMA + ".zone_history_seq', " + last + ")");
    }
  }

  private static Connection connect() throws Exception {
    PostgresConnection postgres = Services.postgres();
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
  }

  /**
   * The projection's tables: all but {@code known_policy}, which says what the last policy reload saw in the policy
   * directory and is not on the log (KnownPolicy).
   */
  private static Map<String, List<String>> projection() {
    Map<String, List<String>> tables = new HashMap<>(SchemaContents.of(SCHEMA, LOCAL));
    tables.remove("known_policy");
    return tables;
  }
}
