package dev.cascade.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.events.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Registers an Avro schema and fetches it back by artifact id and by global id, as the serde does. Without an
 * external registry this needs the separate registry build; {@code make test} builds it first, and a missing jar
 * fails here with the build command rather than skipping.
 */
class RegistryRoundTripTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aRegisteredSchemaIsFetchedBack() throws Exception {
    String base = Services.registryUrl();
    assertTrue(base.endsWith("/apis/registry/v2"), base);
    String artifactId = "testinfra-" + UUID.randomUUID();
    String schema =
        "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"dev.cascade.testinfra\","
            + "\"fields\":[{\"name\":\"zone\",\"type\":\"string\"}]}";

    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/groups/default/artifacts"))
                .header("Content-Type", "application/json")
                .header("X-Registry-ArtifactId", artifactId)
                .header("X-Registry-ArtifactType", "AVRO")
                .POST(HttpRequest.BodyPublishers.ofString(schema))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, created.statusCode(), created.body());
    long globalId = JSON.readTree(created.body()).get("globalId").asLong();

    HttpResponse<String> byArtifact =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/groups/default/artifacts/" + artifactId)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, byArtifact.statusCode());
    assertEquals(JSON.readTree(schema), JSON.readTree(byArtifact.body()));

    HttpResponse<String> byGlobalId =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/ids/globalIds/" + globalId)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, byGlobalId.statusCode());
    JsonNode fetched = JSON.readTree(byGlobalId.body());
    assertEquals("Probe", fetched.get("name").asText());
  }

  /**
   * The global rule refuses a version that is compatible with the latest version but not with an older one, which
   * FULL (not transitive) would let through: after v1 {zone} and v2 {zone, serial = 0}, a v3 whose serial has no
   * default reads every v2 record, but no v1 record (Avro specification, "Schema Resolution").
   */
  @Test
  void theRegistryRefusesSchemaChangesThatAreNotFullyTransitiveCompatible() throws Exception {
    String base = Services.registryUrl();
    String artifactId = "testinfra-rule-" + UUID.randomUUID();
    String v1 = probe("{\"name\":\"zone\",\"type\":\"string\"}");
    String v2 = probe("{\"name\":\"zone\",\"type\":\"string\"},"
        + "{\"name\":\"serial\",\"type\":\"long\",\"default\":0}");
    String v3 = probe("{\"name\":\"zone\",\"type\":\"string\"},{\"name\":\"serial\",\"type\":\"long\"}");

    assertEquals(200, register(base, artifactId, v1, true).statusCode());
    HttpResponse<String> compatible = register(base, artifactId, v2, false);
    assertEquals(200, compatible.statusCode(), compatible.body());
    HttpResponse<String> breaking = register(base, artifactId, v3, false);
    assertEquals(409, breaking.statusCode(), breaking.body());
  }

  private static String probe(String fields) {
    return "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"dev.cascade.testinfra\",\"fields\":["
        + fields + "]}";
  }

  private static HttpResponse<String> register(String base, String artifactId, String schema, boolean create)
      throws Exception {
    HttpRequest.Builder request = create
        ? HttpRequest.newBuilder(URI.create(base + "/groups/default/artifacts"))
            .header("X-Registry-ArtifactId", artifactId)
            .header("X-Registry-ArtifactType", "AVRO")
            .POST(HttpRequest.BodyPublishers.ofString(schema))
        : HttpRequest.newBuilder(URI.create(base + "/groups/default/artifacts/" + artifactId + "/versions"))
            .POST(HttpRequest.BodyPublishers.ofString(schema));
    return HTTP.send(
        request.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyEventSchemaIsRegisteredBeforeAnyServiceSends() throws Exception {
    String base = Services.registryUrl();
    for (Topics.Topic topic : Topics.ALL) {
      HttpResponse<String> latest =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/groups/default/artifacts/" + topic.name() + "-value"))
                  .GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, latest.statusCode(), topic.name());
      assertEquals(topic.valueType().getSimpleName(), JSON.readTree(latest.body()).get("name").asText());
    }
  }

  @Test
  void theResourceHandsQuarkusBothRegistryKeys() {
    String url = Services.registryUrl();
    assertEquals(
        Map.of("mp.messaging.connector.smallrye-kafka.apicurio.registry.url", url, "cascade.registry.url", url),
        new RegistryResource().start());
  }
}
