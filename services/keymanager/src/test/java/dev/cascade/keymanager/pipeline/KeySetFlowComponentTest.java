package dev.cascade.keymanager.pipeline;

import static dev.cascade.testinfra.kafka.TraceContext.record;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.BindKeyFile;
import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.zone.ZoneFileParser;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ImportedKey;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.RegistryFacts;
import dev.cascade.testinfra.kafka.TopicReader;
import dev.cascade.testinfra.kafka.TraceContext;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The key manager as a whole: zone registry facts in, key sets out, with Kafka, PostgreSQL and the schema registry
 * running for real. Every test uses its own zone, so tests share the broker without interfering.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class KeySetFlowComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "cascade.registry.url")
  String registryUrl;

  @ConfigProperty(name = "cascade.key-encryption-key")
  String testKeyEncryptionKey;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String databaseUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String databaseUser;

  @ConfigProperty(name = "quarkus.datasource.password")
  String databasePassword;

  @Inject KeySetRestore restore;

  private KafkaProducer<String, ZoneRegistryFact> producer;
  private TopicReader<KeySetChanged> keySets;

  @BeforeEach
  void setUp() {
    producer = AvroClients.producer(bootstrap, registryUrl);
    keySets = TopicReader.avro(bootstrap, registryUrl, Topics.KEY_SETS);
  }

  @AfterEach
  void tearDown() {
    producer.close();
    keySets.close();
  }

  private static String uniqueZone() {
    return "k" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
  }

  private void send(ZoneRegistryFact fact, String traceparent) throws Exception {
    producer.send(record(Topics.ZONE_REGISTRY, fact.getZone(), fact, traceparent)).get(30, TimeUnit.SECONDS);
  }

  private <V> List<ConsumerRecord<String, V>> awaitRecords(TopicReader<V> reader, String zone, int n) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> reader.recordsFor(zone), records -> records.size() >= n);
  }

  private static ZoneKey keyOf(KeySetChanged set, KeyRole role) {
    return set.getKeys().stream().filter(k -> k.getRole() == role).findFirst().orElseThrow();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  /** The ECDSA P-256 private scalar as its fixed 32-byte big-endian encoding (SEC 1 §2.3.7). */
  private static byte[] scalar(ECPrivateKey key) {
    byte[] signed = key.getS().toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(signed.length, 32);
    System.arraycopy(signed, signed.length - length, fixed, 32 - length, length);
    return fixed;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The DNSKEY record of an announced key. */
  static DNSKEYRecord dnskey(String zone, ZoneKey key) throws Exception {
    return new DNSKEYRecord(Name.fromString(zone), DClass.IN, 3600, key.getFlags(), DNSKEYRecord.Protocol.DNSSEC,
        key.getAlgorithm(), Base64.getDecoder().decode(key.getPublicKey()));
  }

  /** Signs an A RRset with the unwrapped private key and verifies it against the announced public key. */
  private static void assertSignsAndVerifies(String zone, ZoneKey key, PrivateKey privateKey) throws Exception {
    Name origin = Name.fromString(zone);
    DNSKEYRecord dnskey = dnskey(zone, key);
    assertEquals(key.getKeyTag(), dnskey.getFootprint(), "announced key tag matches the public key (RFC 4034 App. B)");
    RRset rrset =
        new RRset(new ARecord(Name.fromString("www", origin), DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    Instant now = Instant.now();
    RRSIGRecord rrsig =
        DNSSEC.sign(
            rrset, dnskey, privateKey, now.minusSeconds(60), now.plus(Duration.ofDays(1)),
            CryptoProvider.signingProvider(key.getAlgorithm()));
    DNSSEC.verify(rrset, rrsig, dnskey, now);
  }

  /**
   * Key import (issue 14 item 9): a KSK and a ZSK that BIND's dnssec-keygen made, imported as review-gateway sends
   * them (DNSKEY text, private key wrapped under the KEK), become the zone's announced key set with their tags and
   * private keys, validity counted from the import; a zone signed with the announced keys validates under the DS that
   * BIND's dnssec-dsfromkey computes from the original .key file (ldns-verify-zone with that DS as trust anchor, and
   * dnssec-verify). A KSK imported alone gets a generated ZSK beside it.
   */
  @Test
  void importedBindKeysBecomeTheKeySetAndTheSignedZoneValidatesUnderTheirDs() throws Exception {
    String zone = uniqueZone();
    Path dir = Files.createTempDirectory("bind-keys");
    Path kskFile = dnssecKeygen(dir, zone, true);
    Path zskFile = dnssecKeygen(dir, zone, false);
    SigningKey ksk = BindKeyFile.read(kskFile).key();
    SigningKey zsk = BindKeyFile.read(zskFile).key();
    KeyWrap keyWrap = new KeyWrap(Base64.getDecoder().decode(testKeyEncryptionKey));
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    send(withImports(zone, List.of(imported("KSK", kskFile, ksk, keyWrap), imported("ZSK", zskFile, zsk, keyWrap))),
        TraceContext.newTraceparent());

    KeySetChanged set = awaitRecords(keySets, zone, 1).get(0).value();
    assertEquals(2, set.getKeys().size());
    ZoneKey announcedKsk = keyOf(set, KeyRole.KSK);
    ZoneKey announcedZsk = keyOf(set, KeyRole.ZSK);
    assertEquals(ksk.keyTag(), announcedKsk.getKeyTag());
    assertEquals(zsk.keyTag(), announcedZsk.getKeyTag());
    assertEquals(Base64.getEncoder().encodeToString(ksk.dnskey().getKey()), announcedKsk.getPublicKey());
    assertFalse(announcedKsk.getCreatedAt().isBefore(before), "validity counts from the import");
    assertEquals(announcedKsk.getCreatedAt().plus(Duration.ofDays(365)), announcedKsk.getExpiresAt());
    assertEquals(announcedZsk.getCreatedAt().plus(Duration.ofDays(30)), announcedZsk.getExpiresAt());
    List<SigningKey> keys = new ArrayList<>();
    for (ZoneKey key : set.getKeys()) {
      DNSKEYRecord dnskey = dnskey(zone, key);
      PrivateKey privateKey = keyWrap.unwrap(bytes(key.getWrappedPrivateKey()), dnskey);
      assertEquals((key.getRole() == KeyRole.KSK ? ksk : zsk).privateKey(), privateKey);
      keys.add(new SigningKey(dnskey, privateKey));
    }
    assertValidatesUnderTheDsOf(zone, keys, kskFile, dir);

    String kskOnly = uniqueZone();
    Path lonelyKsk = dnssecKeygen(dir, kskOnly, true);
    SigningKey lonely = BindKeyFile.read(lonelyKsk).key();
    send(withImports(kskOnly, List.of(imported("KSK", lonelyKsk, lonely, keyWrap))), TraceContext.newTraceparent());
    KeySetChanged kskOnlySet = awaitRecords(keySets, kskOnly, 1).get(0).value();
    assertEquals(lonely.keyTag(), keyOf(kskOnlySet, KeyRole.KSK).getKeyTag());
    assertNotEquals(lonely.keyTag(), keyOf(kskOnlySet, KeyRole.ZSK).getKeyTag(), "a ZSK generated beside it");
  }

  private static ZoneRegistryFact withImports(String zone, List<ImportedKey> keys) {
    ZoneRegistryFact fact = RegistryFacts.zoneAdded(zone, "/zones/" + zone + "zone");
    ((ZoneAdded) fact.getFact()).setImportedKeys(keys);
    return fact;
  }

  private static ImportedKey imported(String role, Path file, SigningKey key, KeyWrap keyWrap) {
    return ImportedKey.newBuilder().setRole(role).setFile(file.getFileName().toString())
        .setDnskey(key.dnskey().toString()).setWrappedPrivateKey(ByteBuffer.wrap(keyWrap.wrap(key))).build();
  }

  private static Path dnssecKeygen(Path dir, String zone, boolean ksk) throws Exception {
    List<String> command = new ArrayList<>(List.of("dnssec-keygen", "-q", "-K", dir.toString(), "-a",
        "ECDSAP256SHA256"));
    if (ksk) {
      command.addAll(List.of("-f", "KSK"));
    }
    command.add(zone);
    return dir.resolve(run(command) + ".key");
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }

  /** Signs a small zone with {@code keys} and has BIND and ldns validate it, ldns from the KSK file's DS down. */
  private static void assertValidatesUnderTheDsOf(String zone, List<SigningKey> keys, Path kskFile, Path dir)
      throws Exception {
    Name origin = Name.fromString(zone);
    Path unsigned = dir.resolve("unsigned.zone");
    Files.writeString(unsigned, "$ORIGIN " + zone + "\n$TTL 3600\n"
        + "@ IN SOA ns hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns\nns IN A 192.0.2.53\nwww IN A 192.0.2.1\n");
    SigningPolicy policy = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, null, Duration.ofHours(1),
        Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
    List<org.xbill.DNS.Record> signed = new ZoneSigner(java.time.Clock.systemUTC(), 1)
        .sign(origin, ZoneFileParser.parse(unsigned, origin).records(), keys, 3600, policy, 1).records();
    Path signedFile = dir.resolve("signed.zone");
    Files.write(signedFile, signed.stream().map(Object::toString).toList());
    Path ds = dir.resolve("ds");
    Files.writeString(ds, run(List.of("dnssec-dsfromkey", "-2", kskFile.toString())) + "\n");
    run(List.of("ldns-verify-zone", "-k", ds.toString(), signedFile.toString()));
    run(List.of("dnssec-verify", "-o", zone, signedFile.toString()));
  }

  @Test
  void newZoneGetsAKskAndAZskWhosePrivateKeysTravelOnlyWrapped() throws Exception {
    String zone = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/" + zone + "zone");
    String traceparent = TraceContext.newTraceparent();

    send(added, traceparent);

    ConsumerRecord<String, KeySetChanged> record = awaitRecords(keySets, zone, 1).get(0);
    KeySetChanged set = record.value();
    assertEquals(zone, record.key());
    assertEquals(zone, set.getZone());
    assertEquals(3600L, set.getDnskeyTtl());
    assertEquals("keymanager", set.getMetadata().getProducer());
    assertEquals(added.getMetadata().getEventId(), set.getMetadata().getCausationId());
    assertEquals(2, set.getKeys().size());
    ZoneKey ksk = keyOf(set, KeyRole.KSK);
    ZoneKey zsk = keyOf(set, KeyRole.ZSK);
    assertEquals(257, ksk.getFlags());
    assertEquals(256, zsk.getFlags());
    assertNotEquals(ksk.getKeyTag(), zsk.getKeyTag());
    for (ZoneKey key : set.getKeys()) {
      assertEquals(Algorithms.ECDSAP256SHA256, key.getAlgorithm());
      assertTrue(key.getReference().matches("db:keymanager/[0-9a-f-]{36}"), key.getReference());
      assertNotNull(key.getCreatedAt());
    }
    assertEquals(ksk.getCreatedAt().plus(Duration.ofDays(365)), ksk.getExpiresAt());
    assertEquals(zsk.getCreatedAt().plus(Duration.ofDays(30)), zsk.getExpiresAt());

    String outgoingTraceparent = TraceContext.header(record, "traceparent");
    assertNotNull(outgoingTraceparent, "the emitted record carries trace context");
    assertEquals(TraceContext.traceId(traceparent), TraceContext.traceId(outgoingTraceparent),
        "the trace started by the registry fact continues through the key manager");

    KeyWrap keyWrap = new KeyWrap(Base64.getDecoder().decode(testKeyEncryptionKey));
    byte[] rawValue;
    try (TopicReader<byte[]> raw = TopicReader.raw(bootstrap, Topics.KEY_SETS)) {
      rawValue = awaitRecords(raw, zone, 1).get(0).value();
    }
    for (ZoneKey key : set.getKeys()) {
      PrivateKey privateKey = keyWrap.unwrap(bytes(key.getWrappedPrivateKey()), dnskey(zone, key));
      assertSignsAndVerifies(zone, key, privateKey);
      assertFalse(contains(rawValue, privateKey.getEncoded()), "no clear PKCS#8 private key on the bus");
      assertFalse(contains(rawValue, scalar((ECPrivateKey) privateKey)), "no clear private scalar on the bus");
      assertFalse(
          contains(bytes(key.getWrappedPrivateKey()), privateKey.getEncoded()),
          "the wrapped form does not embed the clear key");
    }

    RestAssured.given()
        .when()
        .get("/keys/" + zone)
        .then()
        .statusCode(200)
        .body("zone", equalTo(zone))
        .body("keys", hasSize(2))
        .body("keys.keyTag", hasItem(ksk.getKeyTag()))
        .body("keys.keyTag", hasItem(zsk.getKeyTag()))
        .body("keys.role", hasItem("KSK"))
        .body("keys.algorithm", everyItem(equalTo("ECDSAP256SHA256")))
        .body("keys.state", everyItem(equalTo("active")))
        .body("keys.dnskey", hasItem(containsString("DNSKEY\t257 3 13 ")))
        .body(not(containsString("rappedPrivateKey")))
        .body(not(containsString(Base64.getEncoder().encodeToString(bytes(ksk.getWrappedPrivateKey())))));
  }

  @Test
  void cskPolicyGivesOneCombinedSigningKey() throws Exception {
    String zone = uniqueZone();
    PolicySnapshot csk = RegistryFacts.defaultPolicy();
    csk.setUseCsk(true);
    csk.setAlgorithm("ED25519");
    csk.setDnskeyTtlSeconds(300);

    send(RegistryFacts.zoneAdded(zone, "/zones/csk.zone", csk), null);

    KeySetChanged set = awaitRecords(keySets, zone, 1).get(0).value();
    assertEquals(300L, set.getDnskeyTtl());
    assertEquals(1, set.getKeys().size());
    ZoneKey key = set.getKeys().get(0);
    assertEquals(KeyRole.CSK, key.getRole());
    assertEquals(257, key.getFlags());
    assertEquals(Algorithms.ED25519, key.getAlgorithm());
    KeyWrap keyWrap = new KeyWrap(Base64.getDecoder().decode(testKeyEncryptionKey));
    assertSignsAndVerifies(zone, key, keyWrap.unwrap(bytes(key.getWrappedPrivateKey()), dnskey(zone, key)));
  }

  /**
   * Facts about one zone stay in order on one partition, so the key sets announced after the removal and the final
   * re-add are barriers: a key set caused by the duplicate or the second ZoneAdded would sit between them.
   */
  @Test
  void replayAnnouncesNothingAndReAddBringsTheRetiredKeysBack() throws Exception {
    String zone = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/replay.zone");
    send(added, null);
    KeySetChanged first = awaitRecords(keySets, zone, 1).get(0).value();

    send(added, null);
    send(RegistryFacts.zoneAdded(zone, "/zones/replay.zone"), null);
    send(RegistryFacts.zoneRemoved(zone), null);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                RestAssured.given()
                    .get("/keys/" + zone)
                    .then()
                    .statusCode(200)
                    .body("keys", hasSize(2))
                    .body("keys.state", everyItem(equalTo("retired"))));

    ZoneRegistryFact readded = RegistryFacts.zoneAdded(zone, "/zones/replay.zone");
    send(readded, null);

    List<ConsumerRecord<String, KeySetChanged>> sets = awaitRecords(keySets, zone, 3);
    assertEquals(3, sets.size(), "the key set, its retirement and its return: " + sets);
    assertEquals(List.of(), sets.get(1).value().getKeys(), "the removal announces an empty key set");
    KeySetChanged second = sets.get(2).value();
    assertEquals(readded.getMetadata().getEventId(), second.getMetadata().getCausationId());
    assertEquals(
        first.getKeys().stream().map(ZoneKey::getKeyTag).sorted().toList(),
        second.getKeys().stream().map(ZoneKey::getKeyTag).sorted().toList(),
        "the retired keys come back rather than new ones");
    RestAssured.given()
        .get("/keys/" + zone)
        .then()
        .statusCode(200)
        .body("keys.state", everyItem(equalTo("active")));
  }

  /**
   * The zone's key status without each roll's last propagation check: the checker runs on its own schedule and keeps
   * its finding in memory, so a check may land between two reads. It is an observation, not state rebuilt from the
   * topic.
   */
  private static Map<String, Object> keyStatusWithoutObservations(String zone) {
    Map<String, Object> status = RestAssured.get("/keys/" + zone).then().statusCode(200).extract().jsonPath().getMap("$");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rolls = (List<Map<String, Object>>) status.get("rolls");
    rolls.forEach(roll -> roll.remove("propagationCheck"));
    return status;
  }

  /**
   * An empty schema is rebuilt from the key-sets topic alone: the same keys, in the same states, and a replay of the
   * registry generates no key. The ZoneRemoved sent after the replayed ZoneAdded is the barrier on the zone's
   * partition: its empty key set comes after anything the replay could have announced.
   */
  @Test
  void emptyTablesAreRebuiltFromTheKeySetsTopicAndAReplayedZoneAddedGeneratesNothing() throws Exception {
    String zone = uniqueZone();
    String removed = uniqueZone();
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/rebuilt.zone");
    send(added, null);
    send(RegistryFacts.zoneAdded(removed, "/zones/removed.zone"), null);
    send(RegistryFacts.zoneRemoved(removed), null);
    KeySetChanged announced = awaitRecords(keySets, zone, 1).get(0).value();
    awaitRecords(keySets, removed, 2);
    Map<String, Object> keysBefore = keyStatusWithoutObservations(zone);
    Map<String, Object> removedBefore = keyStatusWithoutObservations(removed);

    try (Connection connection = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("delete from keymanager.zone_key");
      statement.executeUpdate("delete from keymanager.processed_event");
    }
    RestAssured.get("/keys/" + zone).then().statusCode(404);

    assertTrue(restore.restore() >= 3, "the three announcements above are applied again");
    assertEquals(keysBefore, keyStatusWithoutObservations(zone));
    assertEquals(removedBefore, keyStatusWithoutObservations(removed));
    assertEquals(0, restore.restore(), "a second rebuild finds the tables up to date");

    send(added, null);
    send(RegistryFacts.zoneRemoved(zone), null);
    List<ConsumerRecord<String, KeySetChanged>> sets = awaitRecords(keySets, zone, 2);
    assertEquals(2, sets.size(), "the key set and its retirement, nothing from the replay: " + sets);
    assertEquals(List.of(), sets.get(1).value().getKeys());
    RestAssured.given()
        .get("/keys/" + zone)
        .then()
        .statusCode(200)
        .body("keys.keyTag", equalTo(announced.getKeys().stream().map(ZoneKey::getKeyTag).toList()))
        .body("keys.state", everyItem(equalTo("retired")));
  }

  @Test
  void unknownZoneIsNotFound() {
    RestAssured.given()
        .get("/keys/absent.example.")
        .then()
        .statusCode(404)
        .body("error", containsString("absent.example."));
  }

  @Test
  void readinessReportsKafkaDatabaseAndRestoredKeySets() {
    RestAssured.given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("Kafka connection health check"))
        .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
        .body("checks.name", hasItem("key sets restored"));
  }
}
