package dev.cascade.reviewgateway.api;

import static dev.cascade.reviewgateway.api.GatewayTestKit.addZone;
import static dev.cascade.reviewgateway.api.GatewayTestKit.as;
import static dev.cascade.reviewgateway.api.GatewayTestKit.given;
import static dev.cascade.reviewgateway.api.GatewayTestKit.sendLoaded;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Authentication and roles on the operator API (issue 13, item 4), with the people of the test tokens file
 * (src/test/resources/api-tokens): {@code vic} is a viewer, {@code olga} an operator, {@code alice} an approver.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PolicyDirectoryResource.class, scope = TestResourceScope.GLOBAL)
class SecurityComponentTest {

  @Test
  void everyRequestNeedsAKnownToken() {
    RestAssured.given().get("/zone/").then().statusCode(401)
        .header("WWW-Authenticate", "Bearer").body("error", containsString("a valid API token is needed"));
    RestAssured.given().auth().oauth2("nobody-token").get("/status").then().statusCode(401)
        .body("error", containsString("a valid API token is needed"));
    // Health and metrics stay open to probes and Prometheus: outside the operator API (/q).
    RestAssured.given().get("/q/health/live").then().statusCode(200);
  }

  @Test
  void rolesAdmitOnlyTheirEndpoints() throws Exception {
    String zone = addZone("roles", "review");
    sendLoaded(zone, UUID.randomUUID().toString(), 5L);
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> as("vic").get("/zone/" + zone + "/status").then()
        .statusCode(200).body("progress", equalTo("waiting for loaded review")));

    as("vic").get("/zone/" + zone + "/history").then().statusCode(200);
    as("vic").post("/zone/" + zone + "/unsigned/5/approve").then().statusCode(403)
        .body("error", containsString("vic may not do this"));
    as("vic").post("/zone/" + zone + "/reload").then().statusCode(403);
    as("olga").post("/zone/" + zone + "/unsigned/5/reject").then().statusCode(403);
    as("alice").post("/zone/" + zone + "/remove").then().statusCode(403);
    as("alice").post("/policy/reload").then().statusCode(403);
    as("olga").post("/zone/" + zone + "/reload").then().statusCode(200);
  }

  @Test
  void aDecisionNamesItsPerson() throws Exception {
    String zone = addZone("person", "review");
    sendLoaded(zone, UUID.randomUUID().toString(), 6L);
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then()
        .statusCode(200).body("progress", equalTo("waiting for loaded review")));

    as("alice").post("/zone/" + zone + "/unsigned/6/approve").then().statusCode(200);
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/history").then()
        .statusCode(200).body("history.event", hasItem("Unsigned zone review approved by alice")));
  }

  @Test
  void noCrossSiteRequestChangesAnything() throws Exception {
    String zone = addZone("csrf", "default");
    String remove = "/zone/" + zone + "/remove";

    given().header("Origin", "https://attacker.example").post(remove).then().statusCode(403)
        .body("error", containsString("another origin"));
    given().header("Sec-Fetch-Site", "cross-site").post(remove).then().statusCode(403)
        .body("error", containsString("another site"));
    // What a form or a fetch in no-cors mode can send: a safelisted content type and no custom header.
    RestAssured.given().auth().oauth2("tester-token").contentType(ContentType.TEXT).body("x").post(remove).then()
        .statusCode(403).body("error", containsString("Content-Type: application/json"));
    given().get("/zone/" + zone + "/status").then().statusCode(200);

    // A read from another site changes nothing and is answered (the token is what protects it).
    given().header("Sec-Fetch-Site", "cross-site").get("/zone/").then().statusCode(200);
    // Same origin, and the JSON content type without the CLI's header, are fine.
    RestAssured.given().auth().oauth2("tester-token").contentType(ContentType.JSON)
        .header("Origin", RestAssured.baseURI + ":" + RestAssured.port).post(remove).then().statusCode(200);
  }

  /**
   * Zone files only from the zone source directories (the test profile's: java.io.tmpdir): /etc/shadow is refused
   * whether it exists or not, without a word of its content, at zone add and at set-source.
   */
  @Test
  void aZoneFileOutsideTheSourceDirectoriesIsRefused() throws Exception {
    for (String source : List.of("/etc/shadow", "/etc/passwd", "/nonexistent/outside.zone")) {
      given().contentType(ContentType.JSON)
          .body(Map.of("name", "shadow-" + GatewayTestKit.suffix() + ".test.", "source", source, "policy", "default"))
          .post("/zone/add").then().statusCode(400)
          .body("error", equalTo("zone file " + source + " is not inside the zone source directories "
              + "(cascade.zone-source-dirs: " + Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath() + ")"))
          .body("error", not(containsString("root:")));
    }
    String zone = addZone("source", "default");
    given().contentType(ContentType.JSON).body(Map.of("source", "/etc/shadow"))
        .post("/zone/" + zone + "/set-source").then().statusCode(400)
        .body("error", containsString("is not inside the zone source directories"));
  }

  /** Four-eyes ({@code [signer.review] four-eyes = true}): the signed version needs another approver. */
  @Test
  void fourEyesRefusesTheSamePersonAtBothGates() throws Exception {
    String policy = "four-eyes-" + GatewayTestKit.suffix();
    Files.writeString(PolicyDirectoryResource.directory.resolve(policy + ".toml"), "version = \"v1\"\n"
        + "[loader.review]\nmode = \"manual\"\n[signer.review]\nmode = \"manual\"\nfour-eyes = true\n");
    String zone = addZone("foureyes", policy);
    String versionId = UUID.randomUUID().toString();
    sendLoaded(zone, versionId, 7L);
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then()
        .statusCode(200).body("progress", equalTo("waiting for loaded review")));
    as("alice").post("/zone/" + zone + "/unsigned/7/approve").then().statusCode(200);
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then()
        .statusCode(200).body("progress", equalTo("signing")));
    GatewayTestKit.sendSigned(zone, versionId, 7L, 8L);
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then()
        .statusCode(200).body("progress", equalTo("waiting for signed review")));

    as("alice").post("/zone/" + zone + "/signed/8/approve").then().statusCode(403)
        .body("error", equalTo("four-eyes: alice approved the unsigned version of " + zone
            + "; its signed version needs another approver (policy '" + policy + "')"));
    as("bob").post("/zone/" + zone + "/signed/8/approve").then().statusCode(200);
    await().atMost(GatewayTestKit.WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/history").then()
        .statusCode(200).body("history.event", hasItem("Signed zone review approved by bob")));
  }
}
