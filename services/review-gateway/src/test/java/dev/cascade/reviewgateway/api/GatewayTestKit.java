package dev.cascade.reviewgateway.api;

import static org.awaitility.Awaitility.await;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.SigningStats;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.reviewgateway.security.CrossSiteGuard;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.TopicReader;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the gateway's component tests share: requests as one of the people of the test tokens file
 * (src/test/resources/api-tokens), zones added through the API, events the other services write.
 */
public final class GatewayTestKit {

  /** The person whose token {@link #given()} sends: every role, as the tests that are not about roles need. */
  public static final String TESTER = "tester";

  static final Duration WAIT = Duration.ofSeconds(30);

  private GatewayTestKit() {}

  /** A request as {@link #TESTER}, made as the CLI makes it (its token and its {@code X-Cascade-Client} header). */
  public static RequestSpecification given() {
    return as(TESTER);
  }

  /** A request as {@code person} of the test tokens file, whose token is the name followed by {@code -token}. */
  static RequestSpecification as(String person) {
    return RestAssured.given().auth().oauth2(person + "-token").header(CrossSiteGuard.CLIENT_HEADER, "test");
  }

  /** Adds a zone named {@code <prefix>-<random>.test.} with {@code policy} and waits until the API shows it. */
  static String addZone(String prefix, String policy) throws Exception {
    String zone = prefix + "-" + suffix() + ".test.";
    given().contentType(ContentType.JSON)
        .body(Map.of("name", zone, "source", zoneFile().toString(), "policy", policy))
        .post("/zone/add").then().statusCode(200);
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200));
    return zone;
  }

  /** What the loader emits after writing a version's content (design step 2). */
  static void sendLoaded(String zone, String versionId, long serial) throws Exception {
    ContentLocation content = ContentLocation.newBuilder().setTopic(Topics.UNSIGNED_CONTENT).setPartition(0)
        .setFirstOffset(0).setLastOffset(0).setChunkCount(1).setDigest("00").setRecordCount(3).build();
    UnsignedVersionFact event = UnsignedVersionFact.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now()).setProducer("loader").build())
        .setZone(zone)
        .setFact(ZoneVersionLoaded.newBuilder().setVersionId(versionId).setSerial(serial)
            .setSource("/zones/" + zone + "zone").setByteCount(120).setContent(content).setWarnings(List.of()).build())
        .build();
    send(Topics.UNSIGNED_VERSIONS, zone, event);
  }

  /** What the signer emits for a version it signed (design step 5). */
  static void sendSigned(String zone, String versionId, long unsignedSerial, long signedSerial) throws Exception {
    ContentLocation content = ContentLocation.newBuilder().setTopic(Topics.SIGNED_CONTENT).setPartition(0)
        .setFirstOffset(0).setLastOffset(0).setChunkCount(1).setDigest("00").setRecordCount(9).build();
    Instant at = Instant.now();
    send(Topics.SIGNED_VERSIONS, zone, SignedVersionFact.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
            .setProducer("signer").build())
        .setZone(zone)
        .setFact(ZoneVersionSigned.newBuilder().setVersionId(versionId).setUnsignedSerial(unsignedSerial)
            .setSignedSerial(signedSerial).setContent(content)
            .setStats(SigningStats.newBuilder().setUnsignedRrCount(3).setDenialRrCount(3).setRrsigCount(3)
                .setStartedAt(at).setFinishedAt(at).setThreads(1).build())
            .build())
        .build());
  }

  /** Sends {@code event} keyed by {@code zone}, as the service that owns {@code topic} would. */
  static void send(String topic, String zone, SpecificRecord event) throws Exception {
    try (KafkaProducer<String, Object> producer = AvroClients.producer(
        config("kafka.bootstrap.servers"), config("mp.messaging.connector.smallrye-kafka.apicurio.registry.url"))) {
      producer.send(new ProducerRecord<>(topic, zone, event)).get();
    }
  }

  /** A reader of {@code topic} from its start, which keeps what it read. */
  static <V> TopicReader<V> reader(String topic) {
    return TopicReader.avro(config("kafka.bootstrap.servers"),
        config("mp.messaging.connector.smallrye-kafka.apicurio.registry.url"), topic);
  }

  static String config(String key) {
    return ConfigProvider.getConfig().getValue(key, String.class);
  }

  static Path zoneFile() throws Exception {
    Path file = Files.createTempFile("zone", ".zone");
    Files.writeString(file, "$ORIGIN example.\n@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 3600\n");
    file.toFile().deleteOnExit();
    return file;
  }

  static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
