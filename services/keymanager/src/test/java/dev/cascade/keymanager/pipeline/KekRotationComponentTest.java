package dev.cascade.keymanager.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * A rotation of the key-encryption key on a real broker and database: keys wrapped under the KEK the service ran
 * with are wrapped again under a new one, announced and recorded, and nothing else changes.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class KekRotationComponentTest {

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

  @Inject KeyManagerStore state;
  @Inject KeySetEmitter emitter;
  @Inject KeySetRestore restore;

  private StoredZoneKey stored(String zone, SigningKey key, SigningRole role, KeyWrap wrap) {
    StoredZoneKey row = new StoredZoneKey();
    row.id = UUID.randomUUID();
    row.zone = zone;
    row.keyTag = key.keyTag();
    row.algorithm = key.algorithm();
    row.flags = key.dnskey().getFlags();
    row.role = role;
    row.publicKey = Base64.getEncoder().encodeToString(key.dnskey().getKey());
    row.wrappedPrivateKey = wrap.wrap(key);
    row.dnskeyTtl = 3600;
    row.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    row.activatedBy = "zone-added-" + zone;
    row.activeInItsRole();
    return row;
  }

  @Test
  void keysWrappedUnderThePreviousKekAreWrappedAgainUnderTheNewOneAnnouncedAndRecordedOnce() throws Exception {
    String zone = "r" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    Name origin = Name.fromString(zone);
    byte[] oldKek = Base64.getDecoder().decode(testKeyEncryptionKey);
    byte[] newKek = oldKek.clone();
    newKek[0] ^= 0x5a;
    KeyWrap old = new KeyWrap(oldKek);
    SigningKey ksk = KeyGenerator.generate(origin, Algorithms.ECDSAP256SHA256, KeyGenerator.FLAGS_SEP, 3600);
    SigningKey zsk = KeyGenerator.generate(origin, Algorithms.ECDSAP256SHA256, KeyGenerator.FLAGS_ZSK, 3600);
    state.insert(List.of(stored(zone, ksk, SigningRole.KSK, old), stored(zone, zsk, SigningRole.ZSK, old)), List.of());
    Map<Integer, SigningKey> byTag = Map.of(ksk.keyTag(), ksk, zsk.keyTag(), zsk);
    KekRotation rotation = new KekRotation(state, emitter, new KeyWrap(newKek, List.of(oldKek)), restore);

    assertEquals(1, rotation.rotate(state.activeKeysOf(zone)));

    KeyWrap onlyNew = new KeyWrap(newKek);
    List<StoredZoneKey> rows = state.activeKeysOf(zone);
    assertEquals(2, rows.size());
    for (StoredZoneKey row : rows) {
      SigningKey original = byTag.get(row.keyTag);
      assertTrue(onlyNew.wrappedByCurrent(row.wrappedPrivateKey), "row of key " + row.keyTag);
      assertArrayEquals(original.privateKey().getEncoded(),
          onlyNew.unwrap(row.wrappedPrivateKey, original.dnskey()).getEncoded());
      assertEquals("zone-added-" + zone, row.activatedBy, "the key keeps the event it was made for");
    }
    List<ConsumerRecord<String, KeySetChanged>> sets;
    try (TopicReader<KeySetChanged> keySets = TopicReader.avro(bootstrap, registryUrl, Topics.KEY_SETS)) {
      sets = await().atMost(Duration.ofSeconds(30)).until(() -> keySets.recordsFor(zone), found -> !found.isEmpty());
    }
    assertEquals(1, sets.size(), "one announcement");
    KeySetChanged announced = sets.get(0).value();
    assertTrue(announced.getMetadata().getCausationId().startsWith("kek/" + KeyWrap.idOf(newKek) + "/"),
        announced.getMetadata().getCausationId());
    Map<Integer, ZoneKey> announcedByTag =
        announced.getKeys().stream().collect(Collectors.toMap(ZoneKey::getKeyTag, Function.identity()));
    assertEquals(byTag.keySet(), announcedByTag.keySet(), "the same keys, no new one");
    for (ZoneKey key : announced.getKeys()) {
      SigningKey original = byTag.get(key.getKeyTag());
      byte[] wrapped = bytes(key.getWrappedPrivateKey());
      assertEquals(Base64.getEncoder().encodeToString(original.dnskey().getKey()), key.getPublicKey());
      assertArrayEquals(original.privateKey().getEncoded(), onlyNew.unwrap(wrapped, original.dnskey()).getEncoded());
      assertThrows(IllegalArgumentException.class, () -> old.unwrap(wrapped, original.dnskey()),
          "the old KEK alone no longer unwraps the announced key");
    }
    assertFalse(state.activeKeysOf(zone).stream().anyMatch(row -> old.wrappedByCurrent(row.wrappedPrivateKey)));
    assertEquals(0, rotation.rotate(state.activeKeysOf(zone)), "nothing left to wrap again");

    // A crash after the announcement and before the record: the restore at the next start takes the wrapped keys
    // from the announcement, and nothing else.
    try (Connection connection = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
        Statement sql = connection.createStatement()) {
      sql.executeUpdate("delete from keymanager.processed_event where event_id = '"
          + announced.getMetadata().getCausationId() + "'");
    }
    state.rewrapped("test-revert-" + zone, Instant.now(),
        rows.stream().collect(Collectors.toMap(row -> row.id, row -> old.wrap(byTag.get(row.keyTag)))));
    assertTrue(state.activeKeysOf(zone).stream().allMatch(row -> old.wrappedByCurrent(row.wrappedPrivateKey)));

    restore.restore();

    for (StoredZoneKey row : state.activeKeysOf(zone)) {
      assertTrue(onlyNew.wrappedByCurrent(row.wrappedPrivateKey), "restored row of key " + row.keyTag);
      assertEquals("zone-added-" + zone, row.activatedBy);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
