package dev.cascade.reviewgateway.api;

import static dev.cascade.reviewgateway.api.GatewayTestKit.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.SigningStats;
import dev.cascade.events.v1.SigningTrigger;
import dev.cascade.events.v1.ZoneHaltFact;
import dev.cascade.events.v1.ZoneHalted;
import dev.cascade.events.v1.ZoneReset;
import dev.cascade.events.v1.ZoneResumed;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.TopicReader;
import dev.cascade.testinfra.metrics.Scrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 2, halts and recovery, against real Kafka, PostgreSQL and registry: {@code on-reject = "halt"} at
 * both gates, {@code zone override}, {@code zone reset}, {@code zone halt} and {@code zone resume}, each decision a
 * fact on the gateway's topics, each illegal command refused with 409 naming the state; {@code cascade status} lists
 * the halted zones; a re-signing waiting for review shows in the metrics.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PolicyDirectoryResource.class, scope = TestResourceScope.GLOBAL)
class HaltComponentTest {

  @Test
  void anUnsignedRejectionHaltsTheZoneUntilTheOperatorOverridesIt() throws Exception {
    String zone = zoneWith("[loader.review]\nmode = \"manual\"\non-reject = \"halt\"\n"
        + "[signer.review]\nmode = \"manual\"\n");
    String version = UUID.randomUUID().toString();
    loaded(zone, version, "waiting for loaded review");
    given().post("/zone/" + zone + "/unsigned/7/reject").then().statusCode(200);

    awaitProgress(zone, "halted after loaded review");
    given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("halted", equalTo(true))
        .body("review.loadedOnReject", equalTo("halt"))
        .body("halt.cause", equalTo("loaded-review"))
        .body("halt.mode", equalTo("HardHalt"))
        .body("halt.reason", equalTo("Unsigned zone review rejected by tester"))
        .body("halt.by", equalTo("tester"))
        .body("halt.serial", equalTo(7))
        .body("halt.recovery", equalTo(List.of("cascade zone override --unsigned " + zone,
            "cascade zone reset " + zone)));
    given().get("/status").then().statusCode(200)
        .body("haltedZones.find { it.zone == '" + zone + "' }.cause", equalTo("loaded-review"))
        .body("haltedZones.find { it.zone == '" + zone + "' }.reason", equalTo("Unsigned zone review rejected by tester"))
        .body("haltedZones.find { it.zone == '" + zone + "' }.since", startsWith(String.valueOf(Instant.now()
            .truncatedTo(ChronoUnit.DAYS)).substring(0, 10)));
    Scrape metrics = Scrape.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    assertEquals(1.0, metrics.value("cascade_zones_halted", "zone", zone, "mode", "HardHalt", "cause",
        "loaded-review").orElseThrow(), metrics.toString());

    // Illegal here, each with the state named.
    given().post("/zone/" + zone + "/reload").then().statusCode(409)
        .body("error", startsWith("ZoneHalted: zone " + zone + " is halted after loaded review"));
    given().post("/zone/" + zone + "/unsigned/7/approve").then().statusCode(409)
        .body("error", startsWith("ZoneHalted: zone " + zone + " is halted after loaded review"));
    given().post("/zone/" + zone + "/signed/override").then().statusCode(409)
        .body("error", equalTo("Zone " + zone + " has no rejected signed version to override (status: halted after"
            + " loaded review)"));
    given().post("/zone/" + zone + "/resume").then().statusCode(409)
        .body("error", startsWith("Zone " + zone + " is halted after loaded review, not halted by the operator"));
    given().contentType(ContentType.JSON).body(Map.of("reason", "x")).post("/zone/" + zone + "/halt")
        .then().statusCode(409).body("error", equalTo("Zone " + zone + " is halted already (halted after loaded"
            + " review)"));

    given().post("/zone/" + zone + "/unsigned/override").then().statusCode(200)
        .body("status", equalTo("Overrode the rejection of the unsigned zone '" + zone + "' with serial number 7"));
    ZoneVersionReviewed override = awaitReview(zone, r -> r.getOverride());
    assertEquals(ReviewStage.UNSIGNED, override.getStage());
    assertEquals(ReviewDecision.APPROVED, override.getDecision());
    assertEquals(version, override.getVersionId());
    assertEquals(7L, override.getSerial());
    assertEquals("tester", override.getReviewer());
    awaitProgress(zone, "signing");
    given().get("/zone/" + zone + "/status").then().body("halt", nullValue()).body("halted", equalTo(false));
    given().get("/zone/" + zone + "/history").then().statusCode(200).body("history.event", hasItems(
        "Unsigned zone review rejected by tester",
        "Zone halted: rejected at the loaded review by tester (on-reject = \"halt\"); run cascade zone override"
            + " --unsigned " + zone + " or cascade zone reset " + zone,
        "Unsigned zone review overridden by tester: the rejected version goes on"));
    await().atMost(GatewayTestKit.WAIT).until(() -> Scrape.parse(given().get("/q/metrics").then().extract()
        .asString()).samples("cascade_zones_halted", "zone", zone).isEmpty());
  }

  @Test
  void aSignedRejectionHaltsTheZoneUntilTheOperatorResetsIt() throws Exception {
    String zone = zoneWith("[loader.review]\nmode = \"manual\"\n[signer.review]\nmode = \"manual\"\n"
        + "on-reject = \"halt\"\n");
    String version = UUID.randomUUID().toString();
    loaded(zone, version, "waiting for loaded review");
    given().post("/zone/" + zone + "/unsigned/7/approve").then().statusCode(200);
    awaitProgress(zone, "signing");
    sendSigned(zone, version, 7L, 8L, SigningTrigger.LOADED, null, null);
    awaitProgress(zone, "waiting for signed review");
    given().post("/zone/" + zone + "/signed/8/reject").then().statusCode(200);
    awaitProgress(zone, "halted after signed review");
    given().get("/zone/" + zone + "/status").then().body("halt.cause", equalTo("signed-review"));
    given().post("/zone/" + zone + "/unsigned/override").then().statusCode(409);

    try (TopicReader<ZoneHaltFact> halts = GatewayTestKit.reader(Topics.ZONE_HALTS)) {
      given().post("/zone/" + zone + "/reset").then().statusCode(200);
      ZoneHaltFact reset = await().atMost(GatewayTestKit.WAIT)
          .until(() -> halts.recordsFor(zone), r -> !r.isEmpty()).get(0).value();
      assertEquals("review-gateway", reset.getMetadata().getProducer());
      assertEquals(new ZoneReset("tester", version), reset.getFact());
    }
    awaitProgress(zone, "idle");
    given().get("/zone/" + zone + "/status").then().body("halt", nullValue());
    given().get("/zone/" + zone + "/history").then().body("history.event",
        hasItem("Zone reset by tester (rejected at the signed review): the version is dropped"));
    given().post("/zone/" + zone + "/reset").then().statusCode(409)
        .body("error", equalTo("Zone is not halted (status: idle)"));
  }

  /**
   * The operator's halt holds a zone whose policy reviews nothing: its gate makes no approval while it lasts, and
   * makes it once the zone is resumed.
   */
  @Test
  void theOperatorsHaltHoldsTheGatesUntilResumed() throws Exception {
    String zone = GatewayTestKit.addZone("held", "default");
    try (TopicReader<ZoneHaltFact> halts = GatewayTestKit.reader(Topics.ZONE_HALTS);
        TopicReader<ZoneVersionReviewed> reviews = GatewayTestKit.reader(Topics.ZONE_REVIEWS)) {
      given().contentType(ContentType.JSON).body(Map.of("reason", "primary under maintenance"))
          .post("/zone/" + zone + "/halt").then().statusCode(200);
      assertEquals(new ZoneHalted("primary under maintenance", "tester"), await().atMost(GatewayTestKit.WAIT)
          .until(() -> halts.recordsFor(zone), r -> !r.isEmpty()).get(0).value().getFact());
      await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status")
          .then().body("halt.cause", equalTo("operator")).body("halt.reason", equalTo("primary under maintenance")));
      given().post("/zone/" + zone + "/reset").then().statusCode(409)
          .body("error", equalTo("Zone " + zone + " is halted by the operator (loading): run cascade zone resume "
              + zone));
      given().post("/zone/" + zone + "/reload").then().statusCode(409);

      String version = UUID.randomUUID().toString();
      GatewayTestKit.sendLoaded(zone, version, 7L);
      await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/history")
          .then().body("history.event", hasItem("New version received")));
      // Time for a gate decision to be written, were one made: none may be.
      Thread.sleep(2000);
      assertTrue(reviews.recordsFor(zone).isEmpty(), "no decision while halted");

      given().post("/zone/" + zone + "/resume").then().statusCode(200);
      ZoneVersionReviewed approval = await().atMost(GatewayTestKit.WAIT)
          .until(() -> reviews.recordsFor(zone), r -> !r.isEmpty()).get(0).value();
      assertEquals(version, approval.getVersionId());
      assertEquals("policy", approval.getReviewer());
      assertEquals(new ZoneResumed("tester"), halts.recordsFor(zone).get(1).value().getFact());
    }
    given().post("/zone/" + zone + "/resume").then().statusCode(409)
        .body("error", startsWith("Zone is not halted (status: "));
  }

  /**
   * Without {@code approve-re-signing}, a re-signing of the published version waits for review: it shows in the
   * metric the alert CascadeReSigningWaitsForReview reads, and the status says when the published signatures expire.
   */
  @Test
  void aReSigningWaitingForReviewShowsInTheMetrics() throws Exception {
    String zone = zoneWith("[signer.review]\nmode = \"manual\"\n");
    String version = UUID.randomUUID().toString();
    loaded(zone, version, "signing");
    Instant refreshDue = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MILLIS);
    sendSigned(zone, version, 7L, 8L, SigningTrigger.LOADED, null, refreshDue);
    awaitProgress(zone, "waiting for signed review");
    given().post("/zone/" + zone + "/signed/8/approve").then().statusCode(200);
    GatewayTestKit.send(Topics.PUBLISHED_VERSIONS, zone, ZoneVersionPublished.newBuilder()
        .setMetadata(metadata("publisher")).setZone(zone).setVersionId(version).setUnsignedSerial(7L)
        .setSignedSerial(8L).setRecordCount(9).build());
    awaitProgress(zone, "idle");
    Scrape before = Scrape.parse(given().get("/q/metrics").then().extract().asString());
    assertTrue(before.samples("cascade_zone_resigning_waiting_since_timestamp_seconds", "zone", zone).isEmpty(),
        before.toString());

    String resigning = UUID.randomUUID().toString();
    sendSigned(zone, resigning, 7L, 9L, SigningTrigger.SIGNATURE_REFRESH, version, null);
    awaitProgress(zone, "waiting for signed review");
    // The policy leaves signature-remain-time at its default, 7 days (the reference's, PolicyParser).
    given().get("/zone/" + zone + "/status").then().body("lastPublished.signaturesExpireAt",
        equalTo(refreshDue.plus(Duration.ofDays(7)).toString()));
    Scrape waiting = Scrape.parse(given().get("/q/metrics").then().extract().asString());
    assertTrue(waiting.value("cascade_zone_resigning_waiting_since_timestamp_seconds", "zone", zone).isPresent(),
        waiting.toString());

    given().post("/zone/" + zone + "/signed/9/approve").then().statusCode(200);
    await().atMost(GatewayTestKit.WAIT).until(() -> Scrape.parse(given().get("/q/metrics").then().extract()
        .asString()).samples("cascade_zone_resigning_waiting_since_timestamp_seconds", "zone", zone).isEmpty());
  }

  /** A zone with a policy of its own, {@code policyText} after the version line. */
  private static String zoneWith(String policyText) throws Exception {
    String policy = "halting-" + GatewayTestKit.suffix();
    Files.writeString(PolicyDirectoryResource.directory.resolve(policy + ".toml"), "version = \"v1\"\n" + policyText);
    return GatewayTestKit.addZone("halting", policy);
  }

  /** Sends {@code version} of {@code zone}, serial 7, as the loader would; waits until the zone is at {@code progress}. */
  private static void loaded(String zone, String version, String progress) throws Exception {
    GatewayTestKit.sendLoaded(zone, version, 7L);
    awaitProgress(zone, progress);
  }

  private static void awaitProgress(String zone, String progress) {
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status")
        .then().statusCode(200).body("progress", equalTo(progress)));
  }

  private static ZoneVersionReviewed awaitReview(String zone, java.util.function.Predicate<ZoneVersionReviewed> p) {
    try (TopicReader<ZoneVersionReviewed> reviews = GatewayTestKit.reader(Topics.ZONE_REVIEWS)) {
      return await().atMost(GatewayTestKit.WAIT).until(() -> reviews.recordsFor(zone).stream().map(r -> r.value())
          .filter(p).toList(), r -> !r.isEmpty()).get(0);
    }
  }

  private static EventMetadata metadata(String producer) {
    return EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
        .setProducer(producer).build();
  }

  /** What the signer emits for a version it signed, for {@code trigger}. */
  private static void sendSigned(String zone, String versionId, long unsignedSerial, long signedSerial,
      SigningTrigger trigger, String unsignedVersionId, Instant refreshDueAt) throws Exception {
    ContentLocation content = ContentLocation.newBuilder().setTopic(Topics.SIGNED_CONTENT).setPartition(0)
        .setFirstOffset(0).setLastOffset(0).setChunkCount(1).setDigest("s-" + versionId).setRecordCount(9).build();
    Instant at = Instant.now();
    GatewayTestKit.send(Topics.SIGNED_VERSIONS, zone, SignedVersionFact.newBuilder()
        .setMetadata(metadata("signer"))
        .setZone(zone)
        .setFact(ZoneVersionSigned.newBuilder().setVersionId(versionId).setUnsignedSerial(unsignedSerial)
            .setSignedSerial(signedSerial).setContent(content).setTrigger(trigger)
            .setUnsignedVersionId(unsignedVersionId).setRefreshDueAt(refreshDueAt)
            .setStats(SigningStats.newBuilder().setUnsignedRrCount(3).setDenialRrCount(3).setRrsigCount(3)
                .setStartedAt(at).setFinishedAt(at).setThreads(1).build())
            .build())
        .build());
  }
}
