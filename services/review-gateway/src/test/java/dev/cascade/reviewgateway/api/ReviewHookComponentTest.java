package dev.cascade.reviewgateway.api;

import static dev.cascade.reviewgateway.api.GatewayTestKit.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 1: review mode {@code script}. The hook runs as {@code sh -c} with the reference's variables, and its
 * exit code decides, as reviewer "hook", with its output in history; a hook that hangs is stopped at
 * {@code cascade.review-hook-timeout} (five seconds in the tests) and its version rejected.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PolicyDirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ReviewHookComponentTest {

  @Test
  void aHookThatExitsZeroApprovesAndGetsTheReferencesVariables() throws Exception {
    Path seen = Files.createTempFile("hook", ".env");
    String hook = "printf '%s %s %s %s %s' \"$CASCADE_ZONE\" \"$CASCADE_SERIAL\" \"$CASCADE_SERVER\" "
        + "\"$CASCADE_SERVER_IP\" \"$CASCADE_SERVER_PORT\" > " + seen + "; echo looks fine";
    String zone = zoneWithHook(hook);
    String version = UUID.randomUUID().toString();
    GatewayTestKit.sendLoaded(zone, version, 2026120701L);

    ZoneVersionReviewed review = awaitReview(zone, version);
    assertEquals(ReviewDecision.APPROVED, review.getDecision());
    assertEquals("hook", review.getReviewer());
    assertEquals("hook exited 0; output: looks fine", review.getNote());
    assertEquals(zone.substring(0, zone.length() - 1) + " 2026120701 127.0.0.1:4540 127.0.0.1 4540",
        Files.readString(seen));
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/history")
        .then().statusCode(200)
        .body("history.event", hasItem("Unsigned zone review approved: hook exited 0; output: looks fine")));
    given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("review.loaded", equalTo("script")).body("review.loadedHook", equalTo(hook));
  }

  @Test
  void aHookThatFailsOrHangsRejects() throws Exception {
    String failing = zoneWithHook("echo 'NS missing at apex' >&2; exit 3");
    String failingVersion = UUID.randomUUID().toString();
    GatewayTestKit.sendLoaded(failing, failingVersion, 7L);
    ZoneVersionReviewed rejected = awaitReview(failing, failingVersion);
    assertEquals(ReviewDecision.REJECTED, rejected.getDecision());
    assertEquals("hook exited 3; output: NS missing at apex", rejected.getNote());

    String hanging = zoneWithHook("sleep 600");
    String hangingVersion = UUID.randomUUID().toString();
    GatewayTestKit.sendLoaded(hanging, hangingVersion, 8L);
    ZoneVersionReviewed stopped = awaitReview(hanging, hangingVersion);
    assertEquals(ReviewDecision.REJECTED, stopped.getDecision());
    assertTrue(stopped.getNote().startsWith("hook timed out after 5 s and was killed"), stopped.getNote());
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + hanging + "/status")
        .then().statusCode(200).body("progress", equalTo("idle")));
  }

  /** A zone whose policy reviews loaded versions with {@code hook}. */
  private static String zoneWithHook(String hook) throws Exception {
    String policy = "hooked-" + GatewayTestKit.suffix();
    Files.writeString(PolicyDirectoryResource.directory.resolve(policy + ".toml"),
        "version = \"v1\"\n[loader.review]\nmode = \"script\"\nhook = '''" + hook + "'''\n");
    return GatewayTestKit.addZone("hooked", policy);
  }

  private static ZoneVersionReviewed awaitReview(String zone, String versionId) {
    try (TopicReader<ZoneVersionReviewed> reviews = GatewayTestKit.reader(Topics.ZONE_REVIEWS)) {
      List<ZoneVersionReviewed> found = await().atMost(Duration.ofSeconds(60))
          .until(() -> reviews.recordsFor(zone).stream().map(r -> r.value())
              .filter(r -> r.getVersionId().equals(versionId)).toList(), r -> !r.isEmpty());
      assertEquals(1, found.size(), "one decision per version");
      return found.get(0);
    }
  }
}
