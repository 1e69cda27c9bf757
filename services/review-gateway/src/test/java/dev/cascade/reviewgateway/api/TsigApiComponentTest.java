package dev.cascade.reviewgateway.api;

import static dev.cascade.reviewgateway.api.GatewayTestKit.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.tsig.TsigAlgorithm;
import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.TsigKeyAdded;
import dev.cascade.events.v1.TsigKeyFact;
import dev.cascade.events.v1.TsigKeyRemoved;
import dev.cascade.reviewgateway.pipeline.TsigKeyDirectory;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code cascade tsig add|list|remove} through the API, on real Kafka: the fact on {@code cascade.tsig-keys.v1}
 * carries the secret wrapped under the KEK only, no answer shows it, bad input and a key in use are refused, and a
 * zone source naming an unknown key gets NoSuchTsigKey; a KEK rotation wraps every secret again under the new KEK.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PolicyDirectoryResource.class, scope = TestResourceScope.GLOBAL)
class TsigApiComponentTest {

  @Inject TsigKeyDirectory directory;

  private static final String SECRET = "q0b8CDbTQxGkvMvuFJbz3yjB3XcBx0OTqaDl8e0lCuk=";

  @Test
  void addListAndRemoveAKeyWhoseSecretOnlyTravelsWrapped() throws Exception {
    String name = "xfr-" + GatewayTestKit.suffix();
    try (TopicReader<TsigKeyFact> topic = GatewayTestKit.reader(Topics.TSIG_KEYS)) {
      given().contentType(ContentType.JSON)
          .body(Map.of("name", name, "algorithm", "HmacSha384", "secret", SECRET))
          .post("/tsig/add").then().statusCode(200)
          .body("status", equalTo("Added TSIG key " + name + " (hmac-sha384)"))
          .body(not(containsString(SECRET)));
      given().get("/tsig/").then().statusCode(200)
          .body("keys.'" + name + "'.algorithm", equalTo("hmac-sha384"))
          .body("keys.'" + name + "'.users", equalTo(List.of()))
          .body(not(containsString(SECRET)));

      List<ConsumerRecord<String, TsigKeyFact>> facts = await().atMost(GatewayTestKit.WAIT)
          .until(() -> topic.recordsFor(name), records -> !records.isEmpty());
      TsigKeyAdded added = (TsigKeyAdded) facts.get(0).value().getFact();
      byte[] wrapped = bytes(added.getWrappedSecret());
      assertFalse(Base64.getEncoder().encodeToString(wrapped).contains(SECRET));
      KeyWrap kek = new KeyWrap(KeyEncryptionKey.decode(GatewayTestKit.config("cascade.key-encryption-key"), "test"));
      assertEquals(kek.currentId(), added.getKekId());
      assertArrayEquals(Base64.getDecoder().decode(SECRET),
          TsigKey.unwrap(kek, name, TsigAlgorithm.HMAC_SHA384, wrapped).secret());

      given().contentType(ContentType.JSON).body(Map.of("name", name.toUpperCase(), "secret", SECRET))
          .post("/tsig/add").then().statusCode(409).body("error", equalTo("TSIG key " + name + " already exists"));

      given().post("/tsig/" + name + "/remove").then().statusCode(200);
      given().get("/tsig/").then().statusCode(200).body("keys.'" + name + "'", nullValue());
      await().atMost(GatewayTestKit.WAIT).until(() -> topic.recordsFor(name).size() == 2);
      assertEquals(TsigKeyRemoved.class, topic.recordsFor(name).get(1).value().getFact().getClass());
    }
    given().post("/tsig/" + name + "/remove").then().statusCode(404);
  }

  @Test
  void badInputAndAKeyInUseAreRefused() throws Exception {
    given().contentType(ContentType.JSON).body(Map.of("name", "k", "secret", "not base64!"))
        .post("/tsig/add").then().statusCode(400).body("error", equalTo("TSIG key k: the secret is not valid base64"));
    given().contentType(ContentType.JSON).body(Map.of("name", "k", "algorithm", "hmac-md5", "secret", SECRET))
        .post("/tsig/add").then().statusCode(400).body("error", containsString("unknown TSIG algorithm 'hmac-md5'"));

    // The test profile's provide-xfr-to names in-use-key.
    given().contentType(ContentType.JSON).body(Map.of("name", "in-use-key", "secret", SECRET))
        .post("/tsig/add").then().statusCode(200);
    given().get("/tsig/").then().statusCode(200)
        .body("keys.'in-use-key'.users", equalTo(List.of("server setting provide-xfr-to")));
    given().post("/tsig/in-use-key/remove").then().statusCode(409)
        .body("error", equalTo("TSIG key in-use-key is in use by server setting provide-xfr-to"));

    given().contentType(ContentType.JSON)
        .body(Map.of("name", "nokey-" + GatewayTestKit.suffix() + ".test.", "source", "192.0.2.1^no-such-key",
            "policy", "default"))
        .post("/zone/add").then().statusCode(400).body("error", containsString("NoSuchTsigKey"));
  }

  @Test
  void aKekRotationWrapsEverySecretAgainUnderTheNewKekAndLeavesOneNoKekUnwraps() throws Exception {
    String name = "rot-" + GatewayTestKit.suffix();
    String lost = "lost-" + GatewayTestKit.suffix();
    byte[] runningKek = KeyEncryptionKey.decode(GatewayTestKit.config("cascade.key-encryption-key"), "test");
    byte[] newKek = new byte[32];
    byte[] unknownKek = new byte[32];
    new SecureRandom().nextBytes(newKek);
    new SecureRandom().nextBytes(unknownKek);
    try (TopicReader<TsigKeyFact> topic = GatewayTestKit.reader(Topics.TSIG_KEYS)) {
      given().contentType(ContentType.JSON).body(Map.of("name", name, "secret", SECRET))
          .post("/tsig/add").then().statusCode(200);
      TsigKey lostKey = TsigKey.of(lost, TsigAlgorithm.DEFAULT, SECRET);
      GatewayTestKit.send(Topics.TSIG_KEYS, lost, TsigKeyFact.newBuilder()
          .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), "review-gateway", null))
          .setKeyName(lost)
          .setFact(new TsigKeyAdded(TsigAlgorithm.DEFAULT.mnemonic(),
              ByteBuffer.wrap(lostKey.wrap(new KeyWrap(unknownKek))), KeyWrap.idOf(unknownKek)))
          .build());
      await().atMost(GatewayTestKit.WAIT).untilAsserted(() ->
          given().get("/tsig/").then().statusCode(200).body("keys.'" + lost + "'.algorithm", equalTo("hmac-sha256")));

      KeyWrap rotated = new KeyWrap(newKek, List.of(runningKek));
      assertTrue(directory.wrapAgain(rotated).await().atMost(GatewayTestKit.WAIT) >= 1);
      List<ConsumerRecord<String, TsigKeyFact>> facts = await().atMost(GatewayTestKit.WAIT)
          .until(() -> topic.recordsFor(name), records -> records.size() == 2);
      TsigKeyAdded again = (TsigKeyAdded) facts.get(1).value().getFact();
      assertEquals(KeyWrap.idOf(newKek), again.getKekId());
      assertArrayEquals(Base64.getDecoder().decode(SECRET),
          TsigKey.unwrap(new KeyWrap(newKek), name, TsigAlgorithm.DEFAULT, bytes(again.getWrappedSecret())).secret());

      // Idempotent: every key the new KEK can wrap is wrapped under it now; the lost key is left as it was.
      assertEquals(0, directory.wrapAgain(rotated).await().atMost(GatewayTestKit.WAIT));
      assertEquals(1, topic.recordsFor(lost).size());
      assertEquals(2, topic.recordsFor(name).size());
      given().get("/tsig/").then().statusCode(200).body("keys.'" + lost + "'.algorithm", equalTo("hmac-sha256"));
    }
  }

  @Test
  void aPolicyWhosePublicationServersNameAnUnknownKeyIsRefusedAtZoneAddAndItsKeyCannotBeRemoved() throws Exception {
    String key = "pub-" + GatewayTestKit.suffix();
    String policy = "keyed-" + GatewayTestKit.suffix();
    Files.writeString(Path.of(GatewayTestKit.config("cascade.policy-dir"), policy + ".toml"), """
        version = "v1"
        [key-manager]
        publication-nameservers = ["192.0.2.1:53^%s"]
        """.formatted(key));
    given().get("/policy/" + policy).then().statusCode(200).body(containsString("192.0.2.1:53^" + key));

    String zone = "keyed-" + GatewayTestKit.suffix() + ".test.";
    given().contentType(ContentType.JSON)
        .body(Map.of("name", zone, "source", GatewayTestKit.zoneFile().toString(), "policy", policy))
        .post("/zone/add").then().statusCode(400)
        .body("error", equalTo("NoSuchTsigKey: policy '" + policy + "' names TSIG key " + key + " (192.0.2.1:53^"
            + key + "), which does not exist (add it with cascade tsig add)"));

    given().contentType(ContentType.JSON).body(Map.of("name", key, "secret", SECRET))
        .post("/tsig/add").then().statusCode(200);
    given().contentType(ContentType.JSON)
        .body(Map.of("name", zone, "source", GatewayTestKit.zoneFile().toString(), "policy", policy))
        .post("/zone/add").then().statusCode(200);
    // The policy file names the key: removing it would leave the key manager's checks waiting on it.
    given().post("/tsig/" + key + "/remove").then().statusCode(409)
        .body("error", equalTo("TSIG key " + key + " is in use by policy " + policy));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
