package dev.cascade.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.events.Topics;
import dev.cascade.events.registry.SchemaRegistration;
import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.EventMetadata;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The production deploy step ({@link SchemaRegistration}, which {@link RegistrySetup} runs on every test registry)
 * against the real registry: it can run again without changing anything, producers configured as the services are
 * find what it registered and register nothing themselves, and a schema the registry refuses fails it with the
 * registry's reason.
 */
class RegistrySetupTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aSecondRunFindsEverythingRegisteredAndChangesNothing() throws Exception {
    String url = Services.registryUrl();
    SchemaRegistration.run(url, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Map<String, Integer> versions = new HashMap<>();
    for (Topics.Topic topic : Topics.ALL) {
      versions.put(topic.name(), versionCount(url, topic.name() + "-value"));
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SchemaRegistration.run(url, new PrintStream(out, true, StandardCharsets.UTF_8));

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("global compatibility rule: FULL_TRANSITIVE, already set", lines.get(0));
    List<String> topicLines = lines.subList(1, 1 + Topics.ALL.size());
    for (int i = 0; i < Topics.ALL.size(); i++) {
      Topics.Topic topic = Topics.ALL.get(i);
      String prefix = topic.name() + " (" + topic.valueType().getSimpleName() + "): already registered, content id ";
      assertTrue(topicLines.get(i).startsWith(prefix), topicLines.get(i));
      assertEquals(versions.get(topic.name()), versionCount(url, topic.name() + "-value"), topic.name());
    }
    assertEquals(Topics.ALL.size() + " event schemas: 0 registered, " + Topics.ALL.size() + " already registered",
        lines.get(lines.size() - 1));
  }

  /** A producer configured as the services are finds the registered schema; the consumer reads the record back. */
  @Test
  void aProducerFindsTheRegisteredSchemaAndRegistersNothingItself() throws Exception {
    String url = Services.registryUrl();
    String topic = Topics.deadLetters("loader");
    EventDeadLettered event = deadLetter();

    byte[] bytes;
    try (AvroKafkaSerializer<SpecificRecord> serializer = producerSerializer(url)) {
      bytes = serializer.serialize(topic, event);
    }
    try (AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>()) {
      deserializer.configure(
          Map.of("apicurio.registry.url", url, "apicurio.registry.use-specific-avro-reader", true), false);
      assertEquals(event, deserializer.deserialize(topic, bytes));
    }

    String unregistered = "testinfra-unregistered-" + UUID.randomUUID();
    try (AvroKafkaSerializer<SpecificRecord> serializer = producerSerializer(url)) {
      assertThrows(RuntimeException.class, () -> serializer.serialize(unregistered, event));
    }
    assertEquals(404, get(url + "/groups/default/artifacts/" + unregistered + "-value").statusCode());
  }

  /**
   * An artifact whose first version is another record cannot take an event schema under FULL_TRANSITIVE (Avro
   * resolves records only by the same name): the step stops there and says which topic and why.
   */
  @Test
  void aSchemaTheRegistryRefusesFailsTheStepWithTheRegistrysReason() throws Exception {
    String url = Services.registryUrl();
    String topic = "testinfra-refused-" + UUID.randomUUID();
    String probe = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"dev.cascade.testinfra\","
        + "\"fields\":[{\"name\":\"zone\",\"type\":\"string\"}]}";
    HttpResponse<String> created = HTTP.send(
        HttpRequest.newBuilder(URI.create(url + "/groups/default/artifacts"))
            .header("Content-Type", "application/json")
            .header("X-Registry-ArtifactId", topic + "-value")
            .header("X-Registry-ArtifactType", "AVRO")
            .POST(HttpRequest.BodyPublishers.ofString(probe))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, created.statusCode(), created.body());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SchemaRegistration.register(
        url, List.of(new Topics.Topic(topic, "test", EventDeadLettered.class)),
        new PrintStream(out, true, StandardCharsets.UTF_8)));

    String expected = "the registry at " + url + " refused the schema of " + topic + " (EventDeadLettered): it is"
        + " not FULL_TRANSITIVE compatible with the versions registered before (";
    assertTrue(refused.getMessage().startsWith(expected), refused.getMessage());
    assertEquals(1, versionCount(url, topic + "-value"));
  }

  /**
   * Schemas registered the way the services registered them before the deploy step existed (their named types as
   * references of their own) block the dereferenced form: Apicurio 2.4.2's compatibility rule cannot parse the
   * earlier version. The step says so instead of passing on an HTTP status.
   */
  @Test
  void anArtifactRegisteredWithReferencesIsReportedAsNeedingAFreshRegistry() throws Exception {
    String url = Services.registryUrl();
    String topic = "testinfra-referenced-" + UUID.randomUUID();
    try (AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>()) {
      serializer.configure(Map.of("apicurio.registry.url", url, "apicurio.registry.auto-register", true), false);
      serializer.serialize(topic, deadLetter());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SchemaRegistration.register(
        url, List.of(new Topics.Topic(topic, "test", EventDeadLettered.class)),
        new PrintStream(out, true, StandardCharsets.UTF_8)));

    assertTrue(refused.getMessage().startsWith("the registry at " + url + " cannot check the schema of " + topic
        + " (EventDeadLettered) against the versions registered before (HTTP 422): Apicurio 2.4 cannot when an"
        + " earlier version has references"), refused.getMessage());
  }

  @Test
  void aDifferentGlobalRuleIsPutBackToFullTransitive() throws Exception {
    String url = Services.registryUrl();
    HttpResponse<String> changed = HTTP.send(
        HttpRequest.newBuilder(URI.create(url + "/admin/rules/COMPATIBILITY"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"type\":\"COMPATIBILITY\",\"config\":\"BACKWARD\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, changed.statusCode(), changed.body());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    SchemaRegistration.requireFullTransitive(url, new PrintStream(out, true, StandardCharsets.UTF_8));

    assertEquals("global compatibility rule: FULL_TRANSITIVE, changed from BACKWARD\n",
        out.toString(StandardCharsets.UTF_8));
    HttpResponse<String> rule = get(url + "/admin/rules/COMPATIBILITY");
    assertEquals("FULL_TRANSITIVE", JSON.readTree(rule.body()).path("config").asText());
  }

  private static AvroKafkaSerializer<SpecificRecord> producerSerializer(String url) {
    Map<String, Object> config = new HashMap<>(SchemaRegistration.PRODUCER_SETTINGS);
    config.put("apicurio.registry.url", url);
    AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>();
    serializer.configure(config, false);
    return serializer;
  }

  private static EventDeadLettered deadLetter() {
    return EventDeadLettered.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.ofEpochMilli(1_780_000_000_000L)).setProducer("loader").build())
        .setZone("example.test.")
        .setTopic(Topics.ZONE_REGISTRY)
        .setPartition(0)
        .setOffset(42)
        .setEventType(null)
        .setReason("undecodable")
        .setAttempts(0)
        .build();
  }

  private static int versionCount(String url, String artifactId) throws Exception {
    HttpResponse<String> versions = get(url + "/groups/default/artifacts/" + artifactId + "/versions");
    assertEquals(200, versions.statusCode(), artifactId + ": " + versions.body());
    return JSON.readTree(versions.body()).path("count").asInt();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
