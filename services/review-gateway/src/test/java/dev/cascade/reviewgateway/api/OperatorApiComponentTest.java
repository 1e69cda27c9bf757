package dev.cascade.reviewgateway.api;

import static dev.cascade.reviewgateway.api.GatewayTestKit.given;
import static dev.cascade.reviewgateway.api.GatewayTestKit.addZone;
import static dev.cascade.reviewgateway.api.GatewayTestKit.config;
import static dev.cascade.reviewgateway.api.GatewayTestKit.suffix;
import static dev.cascade.reviewgateway.api.GatewayTestKit.zoneFile;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.BindKeyFile;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.ImportedKey;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeyRollProgress;
import dev.cascade.events.v1.KeyRollStepRequested;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.KeyUse;
import dev.cascade.events.v1.KeysetCommandGiven;
import dev.cascade.events.v1.PipelineStep;
import dev.cascade.events.v1.ProgressUnit;
import dev.cascade.events.v1.PropagationChecked;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewMode;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.RollStage;
import dev.cascade.events.v1.SerialPolicyKind;
import dev.cascade.events.v1.StepPhase;
import dev.cascade.events.v1.StepProgressed;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.metrics.Scrape;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class OperatorApiComponentTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void zoneAddEmitsZoneAddedWithPolicySnapshotAndAbsoluteSource() throws Exception {
    Path zoneFile = zoneFile();
    String zone = "added-" + suffix() + ".test.";

    given().contentType(ContentType.JSON)
        .body(Map.of("name", zone.toUpperCase(), "source", zoneFile.toString(), "policy", "default"))
        .when().post("/zone/add")
        .then().statusCode(200).body("name", equalTo(zone));

    ConsumerRecord<String, Object> record = awaitRecord(Topics.ZONE_REGISTRY,
        r -> r.value() instanceof ZoneRegistryFact f && f.getZone().equals(zone));
    assertEquals(zone, record.key(), "records are keyed by the zone apex");
    ZoneRegistryFact fact = (ZoneRegistryFact) record.value();
    assertEquals("review-gateway", fact.getMetadata().getProducer());
    ZoneAdded added = (ZoneAdded) fact.getFact();
    assertEquals(zoneFile.toAbsolutePath().toString(), added.getSource());
    assertEquals("default", added.getPolicy().getName());
    assertEquals(ReviewMode.OFF, added.getPolicy().getUnsignedReview());
    assertEquals(ReviewMode.OFF, added.getPolicy().getSignedReview());
    assertEquals("ECDSAP256SHA256", added.getPolicy().getAlgorithm());
    assertEquals(SerialPolicyKind.UNIX_TIME, added.getPolicy().getSerialPolicy());
    assertEquals(0, added.getPolicy().getNsec3Iterations());

    // The projection consumed the event: the zone is listed and loading.
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status")
        .then().statusCode(200).body("progress", equalTo("loading")).body("policy", equalTo("default")));
    given().get("/zone/").then().statusCode(200).body("zones", hasItems(zone));

    // Adding it again is refused.
    given().contentType(ContentType.JSON)
        .body(Map.of("name", zone, "source", zoneFile.toString(), "policy", "default"))
        .when().post("/zone/add")
        .then().statusCode(409).body("error", equalTo("Zone " + zone + " already exists"));
  }

  /**
   * Key import: BIND key files made by dnssec-keygen for the zone; a wrong role is refused with the reason and adds
   * nothing, the right ones go into ZoneAdded with the DNSKEY as the .key file has it and the private key wrapped
   * under the KEK (the test's, application.properties), bound to the zone and the key; a public key goes with no
   * private key at all.
   */
  @Test
  void zoneAddWithImportedKeysWrapsThemIntoZoneAddedAndRefusesBadOnes() throws Exception {
    Path zoneFile = zoneFile();
    String zone = "imported-" + suffix() + ".test.";
    Path dir = Files.createTempDirectory("keys");
    Path ksk = dnssecKeygen(dir, zone, true);
    Path zsk = dnssecKeygen(dir, zone, false);
    Path otherSigners = dnssecKeygen(dir, zone, false);

    given().contentType(ContentType.JSON)
        .body(Map.of("name", zone, "source", zoneFile.toString(), "policy", "default",
            "keyImports", List.of(keyImport("ksk", ksk), keyImport("ksk", zsk))))
        .when().post("/zone/add")
        .then().statusCode(400).body("error", equalTo("cannot import keys: " + zsk.getFileName()
            + ": a KSK must have the SEP flag (flags 257, not 256)"));
    given().contentType(ContentType.JSON)
        .body(Map.of("name", zone, "source", zoneFile.toString(), "policy", "default",
            "keyImports", List.of(keyImport("zsk", ksk))))
        .when().post("/zone/add")
        .then().statusCode(400).body("error", startsWith("cannot import keys: " + ksk.getFileName()
            + ": a ZSK must not have the SEP flag"));
    given().get("/zone/" + zone + "/status").then().statusCode(404);

    given().contentType(ContentType.JSON)
        .body(Map.of("name", zone, "source", zoneFile.toString(), "policy", "default",
            "keyImports", List.of(keyImport("ksk", ksk), keyImport("zsk", zsk),
                Map.of("type", "public", "publicKeyFile", otherSigners.getFileName().toString(),
                    "publicKey", Files.readString(otherSigners)))))
        .when().post("/zone/add")
        .then().statusCode(200).body("name", equalTo(zone));
    ZoneAdded added = (ZoneAdded) ((ZoneRegistryFact) awaitRecord(Topics.ZONE_REGISTRY,
        r -> r.value() instanceof ZoneRegistryFact f && f.getZone().equals(zone)).value()).getFact();
    assertEquals(3, added.getImportedKeys().size());
    ImportedKey published = added.getImportedKeys().get(2);
    assertEquals(otherSigners.getFileName().toString(), published.getFile());
    assertEquals("ZSK", published.getRole(), "the role its flags say");
    assertEquals(BindKeyFile.read(otherSigners).key().dnskey().toString(), published.getDnskey());
    assertNull(published.getWrappedPrivateKey(), "no private key");
    KeyWrap kek = new KeyWrap(Base64.getDecoder().decode(config("cascade.key-encryption-key")));
    for (ImportedKey key : added.getImportedKeys().subList(0, 2)) {
      Path file = key.getRole().equals("KSK") ? ksk : zsk;
      SigningKey original = BindKeyFile.read(file).key();
      assertEquals(file.getFileName().toString(), key.getFile());
      assertEquals(original.dnskey().toString(), key.getDnskey());
      byte[] wrapped = new byte[key.getWrappedPrivateKey().remaining()];
      key.getWrappedPrivateKey().duplicate().get(wrapped);
      assertEquals(original.privateKey(), kek.unwrap(wrapped, original.dnskey()));
    }
  }

  private static Path dnssecKeygen(Path dir, String zone, boolean ksk) throws Exception {
    List<String> command = new ArrayList<>(List.of("dnssec-keygen", "-q", "-K", dir.toString(), "-a",
        "ECDSAP256SHA256"));
    if (ksk) {
      command.addAll(List.of("-f", "KSK"));
    }
    command.add(zone);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String base = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor(), base);
    return dir.resolve(base + ".key");
  }

  private static Map<String, String> keyImport(String type, Path keyFile) throws Exception {
    Path privateFile = BindKeyFile.privateFileOf(keyFile);
    return Map.of("type", type, "publicKeyFile", keyFile.getFileName().toString(),
        "publicKey", Files.readString(keyFile), "privateKeyFile", privateFile.getFileName().toString(),
        "privateKey", Files.readString(privateFile));
  }

  @Test
  void reviewOffApprovesLoadedVersionByPolicy() throws Exception {
    String zone = addZone("auto", "default");
    String versionId = UUID.randomUUID().toString();
    sendLoaded(zone, versionId, 2026112801L, UUID.randomUUID().toString());

    ConsumerRecord<String, Object> record = awaitRecord(Topics.ZONE_REVIEWS,
        r -> r.value() instanceof ZoneVersionReviewed v && v.getVersionId().equals(versionId));
    ZoneVersionReviewed review = (ZoneVersionReviewed) record.value();
    assertEquals(zone, record.key());
    assertEquals(ReviewStage.UNSIGNED, review.getStage());
    assertEquals(ReviewDecision.APPROVED, review.getDecision());
    assertEquals("policy", review.getReviewer());
    assertEquals(2026112801L, review.getSerial());

    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("progress", equalTo("signing"))
        .body("unsigned.serial", equalTo(2026112801))
        .body("unsigned.reviewStatus", equalTo("approved")));
    given().get("/zone/" + zone + "/history").then().statusCode(200)
        .body("history.event", hasItems("Zone added", "New version received", "Unsigned zone review approved"));
  }

  @Test
  void manualReviewWaitsAndRefusesTheWrongSerial() throws Exception {
    String zone = addZone("manual", "review");
    String versionId = UUID.randomUUID().toString();
    String eventId = UUID.randomUUID().toString();
    sendLoaded(zone, versionId, 7L, eventId);
    // Kafka delivers at least once: the same event again must not change anything.
    sendLoaded(zone, versionId, 7L, eventId);

    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("progress", equalTo("waiting for loaded review"))
        .body("review.loaded", equalTo("manual"))
        .body("unsigned.serial", equalTo(7))
        .body("unsignedReviewAddresses", hasItems("127.0.0.1:4540")));

    given().post("/zone/" + zone + "/unsigned/8/approve")
        .then().statusCode(409).body("error", equalTo(zone + " is not being reviewed right now"));
    given().post("/zone/" + zone + "/signed/7/approve")
        .then().statusCode(409).body("error", equalTo(zone + " is not being reviewed right now"));
    given().post("/zone/nosuch-" + suffix() + ".test./unsigned/7/approve")
        .then().statusCode(404).body("error", equalTo("No such zone"));

    given().post("/zone/" + zone + "/unsigned/7/approve").then().statusCode(200);
    List<ZoneVersionReviewed> decisions = readAll(Topics.ZONE_REVIEWS, Duration.ofSeconds(5)).stream()
        .map(ConsumerRecord::value)
        .filter(v -> v instanceof ZoneVersionReviewed r && r.getVersionId().equals(versionId))
        .map(ZoneVersionReviewed.class::cast)
        .toList();
    assertEquals(1, decisions.size(), "only the operator's decision, no approval by policy: " + decisions);
    assertEquals(GatewayTestKit.TESTER, decisions.get(0).getReviewer(), "the decision names the token's person");
    assertEquals(ReviewDecision.APPROVED, decisions.get(0).getDecision());

    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("progress", equalTo("signing")));
    List<String> history = given().get("/zone/" + zone + "/history").then().statusCode(200)
        .extract().jsonPath().getList("history.event", String.class);
    assertEquals(List.of("Zone added", "New version received", "Unsigned zone review pending",
        "Unsigned zone review approved by " + GatewayTestKit.TESTER), history, "the redelivered event was applied once");
  }

  /**
   * review-gateway's metric (docs/operations.md, "Metrics"), scraped from /q/metrics as Prometheus would: a version
   * waiting at the unsigned gate shows since when it waits, and the series goes when the operator decides.
   */
  @Test
  void aVersionWaitingForReviewShowsInTheMetricsUntilItIsDecided() throws Exception {
    String zone = addZone("waiting", "review");
    long sentAt = Instant.now().getEpochSecond();
    sendLoaded(zone, UUID.randomUUID().toString(), 9L, UUID.randomUUID().toString());
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("progress", equalTo("waiting for loaded review")));

    Scrape waiting = Scrape.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    double since = waiting.value("cascade_zone_review_waiting_since_timestamp_seconds", "zone", zone, "stage",
        "unsigned").orElseThrow();
    assertTrue(since >= sentAt - 1 && since <= Instant.now().getEpochSecond() + 1, waiting.toString());
    assertTrue(waiting.samples("cascade_zone_review_waiting_since_timestamp_seconds", "zone", zone, "stage",
        "signed").isEmpty(), waiting.toString());

    given().post("/zone/" + zone + "/unsigned/9/approve").then().statusCode(200);
    await().atMost(WAIT).until(() -> Scrape.parse(given().get("/q/metrics").then().extract().asString())
        .samples("cascade_zone_review_waiting_since_timestamp_seconds", "zone", zone).isEmpty());
  }

  /**
   * Progress reports on the progress topics show in the status of a zone in that step, for the version it is at only,
   * and go with the step's fact: a signing's progress while the zone signs, then the publish step's.
   */
  @Test
  void theProgressOfTheStepAZoneIsInShowsInItsStatus() throws Exception {
    String zone = addZone("progress", "default");
    String versionId = UUID.randomUUID().toString();
    sendLoaded(zone, versionId, 2026120401L, UUID.randomUUID().toString());
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("progress", equalTo("signing")));

    // First a later report of another version (a re-signing's), then this signing's, on the same partition: by the
    // time this signing's shows, the other was read too, and is not shown although it is the latest.
    Instant now = Instant.now();
    send(Topics.SIGN_PROGRESS, zone, progress(zone, "another-version", PipelineStep.SIGN, StepPhase.SIGN, 999,
        4_800_000, now.plusSeconds(1)));
    send(Topics.SIGN_PROGRESS, zone, progress(zone, versionId, PipelineStep.SIGN, StepPhase.VERIFY, 1_234_567,
        4_800_000, now));
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("stepProgress.step", equalTo("sign"))
        .body("stepProgress.phase", equalTo("verify"))
        .body("stepProgress.done", equalTo(1_234_567))
        .body("stepProgress.total", equalTo(4_800_000))
        .body("stepProgress.unit", equalTo("records"))
        .body("stepProgress.versionId", equalTo(versionId)));

    GatewayTestKit.sendSigned(zone, versionId, 2026120401L, 2026120402L);
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("progress", equalTo("persisting signed zone"))
        .body("stepProgress", nullValue()));

    send(Topics.PUBLISH_PROGRESS, zone, progress(zone, versionId, PipelineStep.PUBLISH, StepPhase.READ, 2_400_000,
        9_600_000, Instant.now()));
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("stepProgress.step", equalTo("publish"))
        .body("stepProgress.phase", equalTo("read"))
        .body("stepProgress.done", equalTo(2_400_000)));
  }

  /**
   * Issue 14 item 4: what the key manager's latest propagation check of a roll saw shows under the roll in the zone's
   * status while the roll is at that propagation, the latest report of the roll winning whatever order they arrive in.
   */
  @Test
  void theLatestPropagationCheckOfARollShowsInItsZoneStatus() throws Exception {
    String zone = addZone("checked", "default");
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    List<ZoneKey> keys = new ArrayList<>();
    for (String[] key : List.of(new String[] {"ksk", "KSK", "257", "1001"}, new String[] {"zsk", "ZSK", "256", "1002"},
        new String[] {"new", "ZSK", "256", "1003"})) {
      keys.add(ZoneKey.newBuilder().setKeyTag(Integer.parseInt(key[3])).setAlgorithm(13)
          .setFlags(Integer.parseInt(key[2])).setRole(KeyRole.valueOf(key[1])).setPublicKey("AA==")
          .setWrappedPrivateKey(java.nio.ByteBuffer.wrap(new byte[1])).setReference("db:keymanager/" + key[0])
          .setCreatedAt(now).setUse(new KeyUse(true, key[1].equals("KSK"), key[0].equals("zsk"),
              key[1].equals("KSK")))
          .build());
    }
    send(Topics.KEY_SETS, zone, KeySetChanged.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(now)
            .setProducer("keymanager").setCausationId("roll/" + UUID.randomUUID()).build())
        .setZone(zone).setDnskeyTtl(3600).setKeys(keys)
        .setRolls(List.of(KeyRollProgress.newBuilder().setRollType("ZSK_PRE_PUBLISH")
            .setNewKeys(List.of("db:keymanager/new")).setOldKeys(List.of("db:keymanager/zsk")).setPhase(1)
            .setStage(RollStage.PROPAGATION).setSince(now).setTtlSeconds(0).build()))
        .build());
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("rolls[0].stage", equalTo("propagation"))
        .body("rolls[0].propagationCheck", nullValue()));

    send(Topics.ROLL_CHECKS, zone, check(zone, 1, "the DNSKEY RRset of " + zone + " has not propagated: later", now));
    send(Topics.ROLL_CHECKS, zone, check(zone, 1, "earlier", now.minusSeconds(60)));
    send(Topics.ROLL_CHECKS, zone, check(zone, 2, "an older roll's", now.minusSeconds(120)));
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("rolls[0].propagationCheck.propagated", equalTo(false))
        .body("rolls[0].propagationCheck.summary", startsWith("the DNSKEY RRset of " + zone))
        .body("rolls[0].propagationCheck.expected[0]", equalTo(zone + " IN DNSKEY 256 3 13 AA== ; key tag 1003")));
  }

  private static PropagationChecked check(String zone, int phase, String summary, Instant at) {
    return PropagationChecked.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
            .setProducer("keymanager").build())
        .setZone(zone).setVariant("zsk").setPhase(phase).setPropagated(false).setTtlSeconds(0).setSummary(summary)
        .setExpected(List.of(zone + " IN DNSKEY 256 3 13 AA== ; key tag 1003"))
        .build();
  }

  /**
   * Issue 9: an event that cannot be handled is set aside, shown in the zone's status and history, and never stops
   * the projection; an event another service set aside (its dead letter) shows the same way.
   */
  @Test
  void eventsSetAsideShowInTheZoneStatusAndTheProjectionGoesOn() throws Exception {
    String zone = addZone("aside", "default");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers"),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
      producer.send(new ProducerRecord<>(Topics.UNSIGNED_VERSIONS, zone, "not avro".getBytes())).get();
    }
    ConsumerRecord<String, Object> letter = awaitRecord(Topics.deadLetters("review-gateway"),
        r -> zone.equals(r.key()));
    EventDeadLettered own = (EventDeadLettered) letter.value();
    assertEquals(Topics.UNSIGNED_VERSIONS, own.getTopic());
    assertEquals(0, own.getAttempts());
    assertTrue(own.getReason().startsWith("could not be decoded: "), own.getReason());

    // The next event on the same topic and zone is applied: the bad record held nothing up.
    sendLoaded(zone, UUID.randomUUID().toString(), 2026120601L, UUID.randomUUID().toString());
    send(Topics.deadLetters("signer"), zone, EventDeadLettered.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
            .setProducer("signer").setCausationId("approval-1").build())
        .setZone(zone).setTopic(Topics.ZONE_REVIEWS).setPartition(4).setOffset(99L)
        .setEventType("ZoneVersionReviewed").setReason("IllegalStateException: database down").setAttempts(6)
        .build());

    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("unsigned.serial", equalTo(2026120601))
        .body("setAside.service", equalTo(List.of("review-gateway", "signer")))
        .body("setAside[0].topic", equalTo(Topics.UNSIGNED_VERSIONS))
        .body("setAside[0].eventType", nullValue())
        .body("setAside[1].eventType", equalTo("ZoneVersionReviewed"))
        .body("setAside[1].offset", equalTo(99))
        .body("setAside[1].attempts", equalTo(6))
        .body("setAside[1].reason", equalTo("IllegalStateException: database down")));
    given().get("/zone/" + zone + "/history").then().statusCode(200)
        .body("history.event", hasItems("Event ZoneVersionReviewed (cascade.zone-reviews.v1 partition 4 offset 99)"
            + " set aside by signer after 6 attempt(s): IllegalStateException: database down"));
  }

  /**
   * A keyset command is checked against the projected key set: one out of order is refused at once with the state
   * machine's words; one that fits goes to the key manager as KeysetCommandGiven, and the key set the key manager then
   * announces with it as cause shows in history as its success. The records for the parent come from the projected
   * public keys, and every key shows in {@code /status/keys}.
   */
  @Test
  void keysetCommandsAreCheckedSentAndAnsweredInHistory() throws Exception {
    String zone = addZone("keyset", "default");
    Name origin = Name.fromString(zone);
    SigningKey ksk = KeyGenerator.generate(origin, 13,
        KeyGenerator.FLAGS_SEP, 3600);
    SigningKey zsk = KeyGenerator.generate(origin, 13,
        KeyGenerator.FLAGS_ZSK, 3600);
    send(Topics.KEY_SETS, zone, keySet(zone, "added", List.of(zoneKey(ksk, "KSK", "k1"), zoneKey(zsk, "ZSK", "z1"))));
    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/status").then().statusCode(200)
        .body("keys.size()", equalTo(2)));

    given().contentType(ContentType.JSON).body(Map.of("variant", "zsk", "step", "cache-expired1"))
        .when().post("/key/" + zone + "/roll")
        .then().statusCode(409).body("error", equalTo("no zsk roll is in progress"));
    given().contentType(ContentType.JSON).body(Map.of("variant", "zsk", "step", "start-roll", "ttl", "1h"))
        .when().post("/key/" + zone + "/roll")
        .then().statusCode(400).body("error", equalTo("start-roll takes no TTL"));
    given().contentType(ContentType.JSON).body(Map.of("key", String.valueOf(zsk.keyTag())))
        .when().post("/key/" + zone + "/remove")
        .then().statusCode(409).body("error", startsWith("key db:keymanager/z1 is still published, signing the zone"));
    given().contentType(ContentType.JSON).body(Map.of("variant", "zsk", "step", "start-roll"))
        .when().post("/key/" + zone + "/roll")
        .then().statusCode(200).body("status", equalTo("Keyset command 'zsk start-roll' accepted for " + zone));

    ConsumerRecord<String, Object> record = awaitRecord(Topics.KEYSET_COMMANDS, r -> zone.equals(r.key()));
    KeysetCommandGiven command = (KeysetCommandGiven) record.value();
    assertEquals(new KeyRollStepRequested("zsk", "start-roll", null), command.getFact());
    assertEquals("review-gateway", command.getMetadata().getProducer());
    send(Topics.KEY_SETS, zone, keySet(zone, command.getMetadata().getEventId(),
        List.of(zoneKey(ksk, "KSK", "k1"), zoneKey(zsk, "ZSK", "z1"))));

    await().atMost(WAIT).untilAsserted(() -> given().get("/zone/" + zone + "/history").then().statusCode(200)
        .body("history.event", hasItems("Keyset command 'zsk start-roll' given",
            "Keyset command 'zsk start-roll' succeeded")));
    String ds = given().get("/key/" + zone + "/ds").then().statusCode(200).extract().path("records");
    assertTrue(ds.matches(Pattern.quote(zone) + "\\s+3600\\s+IN\\s+DS\\s+" + ksk.keyTag()
        + " 13 2 [0-9A-F]{64}\n"), ds);
    given().get("/key/" + zone + "/cname").then().statusCode(400);
    given().get("/status/keys").then().statusCode(200)
        .body("zones.find { it.zone == '" + zone + "' }.keys.keyTag", equalTo(List.of(ksk.keyTag(), zsk.keyTag())))
        .body("zones.find { it.zone == '" + zone + "' }.keys[1].uses", equalTo(List.of("published", "signs-zone")));
  }

  private static ZoneKey zoneKey(SigningKey key, String role, String id) {
    boolean zsk = role.equals("ZSK");
    return ZoneKey.newBuilder().setKeyTag(key.keyTag()).setAlgorithm(13).setFlags(key.dnskey().getFlags())
        .setRole(KeyRole.valueOf(role))
        .setPublicKey(Base64.getEncoder().encodeToString(key.dnskey().getKey()))
        .setWrappedPrivateKey(ByteBuffer.wrap(new byte[] {0})).setReference("db:keymanager/" + id)
        .setCreatedAt(Instant.now()).setUse(new KeyUse(true, !zsk, zsk, !zsk)).build();
  }

  /** What the key manager announces: the whole key set, caused by {@code cause}. */
  private static KeySetChanged keySet(String zone, String cause, List<ZoneKey> keys) {
    return KeySetChanged.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
            .setProducer("keymanager").setCausationId(cause).build())
        .setZone(zone).setDnskeyTtl(3600).setKeys(keys).build();
  }

  @Test
  void badRequestsAreRefusedWithClearErrors() throws Exception {
    Path zoneFile = zoneFile();
    given().contentType(ContentType.JSON)
        .body(Map.of("name", "x.test", "source", zoneFile.toString(), "policy", "nosuch"))
        .post("/zone/add").then().statusCode(400).body("error", equalTo("No such policy 'nosuch'"));
    // Inside the zone source directories (the test profile's: java.io.tmpdir), so that the absence is refused.
    Path missing = zoneFile.resolveSibling("nonexistent-" + suffix() + ".zone");
    given().contentType(ContentType.JSON)
        .body(Map.of("name", "x.test", "source", missing.toString(), "policy", "default"))
        .post("/zone/add").then().statusCode(400)
        .body("error", equalTo("zone file " + missing + " does not exist or is not readable"));
    given().contentType(ContentType.JSON)
        .body(Map.of("name", "a..b", "source", zoneFile.toString(), "policy", "default"))
        .post("/zone/add").then().statusCode(400).body("error", equalTo("zone name 'a..b' has an empty label"));
    given().contentType(ContentType.JSON).body("{\"name\": ").post("/zone/add").then().statusCode(400)
        .body("error", startsWith("request body is not valid JSON"));
    given().contentType(ContentType.JSON).body(Map.of("name", "x.test")).post("/zone/add").then().statusCode(400)
        .body("error", equalTo("name, source and policy are required"));
    given().get("/zone/nosuch.test./status").then().statusCode(404).body("error", equalTo("No such zone"));
    given().get("/zone/nosuch.test./history").then().statusCode(404).body("error", equalTo("No such zone"));
  }

  @Test
  void policiesStatusHealthAndOpenApiAreServed() {
    given().get("/policy/").then().statusCode(200).body("policies", hasItems("default", "review"));
    given().get("/policy/review").then().statusCode(200)
        .body("unsignedReview", equalTo("manual")).body("signedReview", equalTo("manual"))
        .body("signatureLifetime", equalTo("2w")).body("serialPolicy", equalTo("unix-time"));
    given().get("/policy/nosuch").then().statusCode(404).body("error", equalTo("No such policy 'nosuch'"));
    given().get("/status").then().statusCode(200)
        .body("publishAddresses", hasItems("127.0.0.1:4542"))
        .body("unsignedReviewAddresses", hasItems("127.0.0.1:4540"))
        .body("signedReviewAddresses", hasItems("127.0.0.1:4541"));
    given().get("/health").then().statusCode(200).body("healthy", equalTo(true));
    await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    given().get("/q/openapi").then().statusCode(200);
  }

  private static StepProgressed progress(String zone, String versionId, PipelineStep step, StepPhase phase, long done,
      long total, Instant at) {
    return StepProgressed.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
            .setProducer(step == PipelineStep.SIGN ? "signer" : "publisher").build())
        .setZone(zone).setVersionId(versionId).setStep(step).setPhase(phase).setDone(done).setTotal(total)
        .setUnit(ProgressUnit.RECORDS)
        .build();
  }

  private static void send(String topic, String zone, Object event) throws Exception {
    try (KafkaProducer<String, Object> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, zone, event)).get();
    }
  }

  /** What the loader emits after writing a version's content (design step 2). */
  private static void sendLoaded(String zone, String versionId, long serial, String eventId) throws Exception {
    ContentLocation content = ContentLocation.newBuilder().setTopic(Topics.UNSIGNED_CONTENT).setPartition(0)
        .setFirstOffset(0).setLastOffset(0).setChunkCount(1).setDigest("00").setRecordCount(3).build();
    UnsignedVersionFact event = UnsignedVersionFact.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId(eventId)
            .setOccurredAt(Instant.now()).setProducer("loader").build())
        .setZone(zone)
        .setFact(ZoneVersionLoaded.newBuilder().setVersionId(versionId).setSerial(serial)
            .setSource("/zones/" + zone + "zone").setByteCount(120).setContent(content).setWarnings(List.of()).build())
        .build();
    try (KafkaProducer<String, Object> producer = producer()) {
      producer.send(new ProducerRecord<>(Topics.UNSIGNED_VERSIONS, zone, event)).get();
    }
  }

  private static ConsumerRecord<String, Object> awaitRecord(String topic, Predicate<ConsumerRecord<String, Object>> p) {
    try (KafkaConsumer<String, Object> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(500))) {
          if (p.test(r)) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("no matching record on " + topic + " within " + WAIT);
  }

  private static List<ConsumerRecord<String, Object>> readAll(String topic, Duration quiet) {
    List<ConsumerRecord<String, Object>> all = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      long until = System.nanoTime() + quiet.toNanos();
      while (System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    assertTrue(!all.isEmpty(), "read nothing from " + topic);
    return all;
  }

  private static KafkaConsumer<String, Object> consumer() {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers"),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName(),
        "apicurio.registry.url", config("mp.messaging.connector.smallrye-kafka.apicurio.registry.url"),
        "apicurio.registry.use-specific-avro-reader", true));
  }

  /** A producer of the events other services write, finding their schemas as those services do. */
  private static KafkaProducer<String, Object> producer() {
    return AvroClients.producer(
        config("kafka.bootstrap.servers"), config("mp.messaging.connector.smallrye-kafka.apicurio.registry.url"));
  }
}
