package dev.cascade.reviewgateway.api;

import static dev.cascade.reviewgateway.api.GatewayTestKit.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.ReviewMode;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 3: {@code policy reload}, {@code zone set-policy} and {@code zone set-source} give a zone new
 * settings without removing it, as a {@code ZoneReloadRequested} that carries them.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PolicyDirectoryResource.class, scope = TestResourceScope.GLOBAL)
class LiveSettingsComponentTest {

  @Test
  void policyReloadReportsEachPolicyAndGivesZonesTheirEditedPolicy() throws Exception {
    try (TopicReader<ZoneRegistryFact> registry = registry()) {
      policyReload(registry);
    }
  }

  private static void policyReload(TopicReader<ZoneRegistryFact> registry) throws Exception {
    String name = "live-" + GatewayTestKit.suffix();
    Path file = PolicyDirectoryResource.directory.resolve(name + ".toml");
    Files.writeString(file, "version = \"v1\"\n");
    given().post("/policy/reload").then().statusCode(200)
        .body("changes", hasItem(Map.of("name", name, "change", "added")));
    String zone = addZone(name);

    Files.writeString(file, "version = \"v1\"\n[signer.review]\nmode = \"manual\"\n");
    given().post("/policy/reload").then().statusCode(200)
        .body("changes", hasItem(Map.of("name", name, "change", "updated")))
        .body("zonesUpdated", equalTo(List.of(zone)));
    ZoneReloadRequested reload = awaitReload(registry, zone, 1);
    assertEquals(ReviewMode.MANUAL, reload.getPolicy().getSignedReview());
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/history").then()
        .statusCode(200)
        .body("history.event", hasItem("Policy '" + name + "' reloaded: in effect from the next version")));

    // Nothing changed since: nothing is sent.
    given().post("/policy/reload").then().statusCode(200)
        .body("changes", hasItem(Map.of("name", name, "change", "unchanged")))
        .body("zonesUpdated", equalTo(List.of()));

    // A broken file leaves the zone on its settings, with the parser's message as a warning.
    Files.writeString(file, "version = \"v1\"\n[signer.review]\nmode = \"sometimes\"\n");
    given().post("/policy/reload").then().statusCode(200)
        .body("changes", hasItem(Map.of("name", name, "change", "unchanged")))
        .body("warnings", hasItem(containsString("policy '" + name + "' is not usable, so " + zone)))
        .body("zonesUpdated", equalTo(List.of()));

    // A removed file that a zone uses is kept, with a warning.
    Files.delete(file);
    given().post("/policy/reload").then().statusCode(200)
        .body("changes", hasItem(Map.of("name", name, "change", "unchanged")))
        .body("warnings", hasItem(containsString("'" + name + "' has no file any more but is used by " + zone)));
    assertEquals(1, reloads(registry, zone).size(), "only the edit sent new settings");
  }

  @Test
  void setPolicyAndSetSourceTakeEffectWithTheNextVersion() throws Exception {
    try (TopicReader<ZoneRegistryFact> registry = registry()) {
      setPolicyAndSetSource(registry);
    }
  }

  private static void setPolicyAndSetSource(TopicReader<ZoneRegistryFact> registry) throws Exception {
    String zone = addZone("default");

    given().contentType(ContentType.JSON).body(Map.of("policy", "review"))
        .post("/zone/" + zone + "/set-policy").then().statusCode(200)
        .body("status", equalTo("Zone " + zone + " uses policy 'review' from its next version; sent a reload"));
    ZoneReloadRequested setPolicy = awaitReload(registry, zone, 1);
    assertEquals("review", setPolicy.getPolicy().getName());
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then()
        .statusCode(200)
        .body("policy", equalTo("review")));
    given().contentType(ContentType.JSON).body(Map.of("policy", "review"))
        .post("/zone/" + zone + "/set-policy").then().statusCode(200)
        .body("status", equalTo("Zone " + zone + " has the settings of policy 'review' already"));

    Path other = GatewayTestKit.zoneFile();
    given().contentType(ContentType.JSON).body(Map.of("source", other.toString()))
        .post("/zone/" + zone + "/set-source").then().statusCode(200);
    ZoneReloadRequested setSource = awaitReload(registry, zone, 2);
    assertEquals(other.toString(), setSource.getSource());
    assertNull(setSource.getPolicy(), "a new source keeps the zone's policy");
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then()
        .statusCode(200)
        .body("source", equalTo(other.toString())).body("policy", equalTo("review")));

    // A primary (issue 10): kept in canonical form, port 53 by default, the TSIG key name after '^', which must be a
    // key cascade tsig add made.
    String key = "k1-" + GatewayTestKit.suffix();
    given().contentType(ContentType.JSON).body(Map.of("source", "2001:0db8::1^" + key))
        .post("/zone/" + zone + "/set-source").then().statusCode(400);
    given().contentType(ContentType.JSON)
        .body(Map.of("name", key, "algorithm", "hmac-sha256", "secret", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="))
        .post("/tsig/add").then().statusCode(200);
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().contentType(ContentType.JSON)
        .body(Map.of("source", "2001:0db8::1^" + key))
        .post("/zone/" + zone + "/set-source").then().statusCode(200));
    assertEquals("[2001:db8::1]:53^" + key, awaitReload(registry, zone, 3).getSource());

    // Inside the zone source directories (the test profile's: java.io.tmpdir), so that the file's absence is what
    // is refused; a file outside them is SecurityComponentTest's.
    Path missing = Path.of(System.getProperty("java.io.tmpdir"), "nonexistent-" + GatewayTestKit.suffix() + ".zone")
        .toAbsolutePath();
    given().contentType(ContentType.JSON).body(Map.of("source", missing.toString()))
        .post("/zone/" + zone + "/set-source").then().statusCode(400)
        .body("error", equalTo("zone file " + missing + " does not exist or is not readable"));
    given().contentType(ContentType.JSON).body(Map.of("policy", "nosuch"))
        .post("/zone/" + zone + "/set-policy").then().statusCode(400)
        .body("error", equalTo("No such policy 'nosuch'"));
    given().contentType(ContentType.JSON).body(Map.of("policy", "review"))
        .post("/zone/nosuch.test./set-policy").then().statusCode(404);
    assertEquals(3, reloads(registry, zone).size(), "refused commands send nothing");
  }

  private static String addZone(String policy) throws Exception {
    return GatewayTestKit.addZone("live", policy);
  }

  /** Waits until the zone has {@code count} reload facts on the registry topic, and returns the last. */
  private static ZoneReloadRequested awaitReload(TopicReader<ZoneRegistryFact> registry, String zone, int count) {
    return await().atMost(GatewayTestKit.WAIT).until(() -> reloads(registry, zone), r -> r.size() >= count)
        .get(count - 1);
  }

  /** The zone's reload facts seen so far: the reader keeps what it read, and reads on at each call. */
  private static List<ZoneReloadRequested> reloads(TopicReader<ZoneRegistryFact> registry, String zone) {
    return registry.recordsFor(zone).stream().map(r -> r.value().getFact())
        .filter(ZoneReloadRequested.class::isInstance).map(ZoneReloadRequested.class::cast).toList();
  }

  private static TopicReader<ZoneRegistryFact> registry() {
    return GatewayTestKit.reader(Topics.ZONE_REGISTRY);
  }
}
