package dev.cascade.keymanager.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.pkcs11.Pkcs11Config;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.dnssec.pkcs11.Pkcs11Uri;
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
import dev.cascade.testinfra.SoftHsmResource;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.RegistryFacts;
import dev.cascade.testinfra.kafka.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The key manager with a real SoftHSM2 token configured (test-infra's SoftHsmResource): a zone whose policy names the
 * token gets keys generated in it, announced with their RFC 7512 URIs and no wrapped private key, and those URIs find
 * keys in the token that sign for the announced DNSKEY records. Kafka, PostgreSQL and the registry are real.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@TestProfile(HsmKeySetFlowComponentTest.WithToken.class)
class HsmKeySetFlowComponentTest {

  /**
   * The service with the token's settings: a profile of its own, so Quarkus starts the service again for this class
   * with them (a class-restricted test resource did not reliably do so when the other classes ran first).
   */
  public static class WithToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return new SoftHsmResource().start();
    }
  }

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "cascade.registry.url")
  String registryUrl;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String databaseUrl;

  @ConfigProperty(name = "cascade.key-encryption-key")
  String keyEncryptionKey;

  @ConfigProperty(name = "quarkus.datasource.username")
  String databaseUser;

  @ConfigProperty(name = "quarkus.datasource.password")
  String databasePassword;

  @Test
  void aPolicyNamingTheTokenGetsKeysThatNeverLeaveIt() throws Exception {
    String zone = "h" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy = RegistryFacts.defaultPolicy();
    policy.setHsmServerId(SoftHsmResource.SERVER_ID);
    policy.setAlgorithm("RSASHA256");
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/" + zone + "zone", policy);

    KeySetChanged set;
    try (KafkaProducer<String, ZoneRegistryFact> producer = AvroClients.producer(bootstrap, registryUrl);
        TopicReader<KeySetChanged> keySets = TopicReader.avro(bootstrap, registryUrl, Topics.KEY_SETS)) {
      producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone, added)).get(30, TimeUnit.SECONDS);
      List<ConsumerRecord<String, KeySetChanged>> records = await().atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200)).until(() -> keySets.recordsFor(zone), r -> !r.isEmpty());
      set = records.get(0).value();
    }
    assertEquals(2, set.getKeys().size());

    // The test's own login to the token, as the signer's.
    Pkcs11Token token = Pkcs11Token.open(new Pkcs11Config(Path.of(SoftHsmResource.LIBRARY), SoftHsmResource.LABEL,
        Long.parseLong(SoftHsmResource.slot()), 0, SoftHsmResource.PIN.toCharArray()));
    for (ZoneKey key : set.getKeys()) {
      assertEquals(0, key.getWrappedPrivateKey().remaining(), "no private key, wrapped or not, on the bus");
      assertNotNull(key.getPrivateKeyUri());
      Pkcs11Uri uri = Pkcs11Uri.parse(key.getPrivateKeyUri());
      assertEquals(SoftHsmResource.LABEL, uri.token());
      DNSKEYRecord dnskey = KeySetFlowComponentTest.dnskey(zone, key);
      SigningKey inToken = token.find(uri, dnskey, null);
      assertNull(inToken.privateKey().getEncoded(), "the private key cannot be extracted");
      RRset rrset = new RRset(new ARecord(Name.fromString("www." + zone), DClass.IN, 300,
          InetAddress.getByName("192.0.2.1")));
      Instant now = Instant.now();
      RRSIGRecord rrsig = DNSSEC.sign(rrset, dnskey, inToken.privateKey(), now.minusSeconds(60),
          now.plus(Duration.ofDays(1)), inToken.provider());
      DNSSEC.verify(rrset, rrsig, dnskey, now);
    }

    // The table keeps the URI, and nothing to unwrap.
    try (Connection db = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT private_key_uri, length(wrapped_private_key) FROM "
            + "keymanager.zone_key WHERE zone = '" + zone + "'")) {
      int n = 0;
      while (rows.next()) {
        assertTrue(rows.getString(1).startsWith("pkcs11:token=" + SoftHsmResource.LABEL + ";id="), rows.getString(1));
        assertEquals(0, rows.getInt(2));
        n++;
      }
      assertEquals(2, n);
    }
  }

  /**
   * A software KSK imported into a zone whose policy names the token: the KSK stays wrapped under the KEK, and the
   * ZSK generated beside it is made in the token, with its URI and nothing wrapped (it was once wrapped as if it were
   * a software key, which a token key cannot be: no key set at all).
   */
  @Test
  void aKeyGeneratedBesideAnImportedOneIsMadeInTheToken() throws Exception {
    String zone = "i" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy = RegistryFacts.defaultPolicy();
    policy.setHsmServerId(SoftHsmResource.SERVER_ID);
    SigningKey ksk = KeyGenerator.generate(Name.fromString(zone), KeyAlgorithm.of(Algorithms.ECDSAP256SHA256),
        SigningRole.KSK.flags(), 3600);
    KeyWrap keyWrap = new KeyWrap(Base64.getDecoder().decode(keyEncryptionKey));
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/" + zone + "zone", policy);
    ((ZoneAdded) added.getFact()).setImportedKeys(List.of(ImportedKey.newBuilder().setRole("KSK").setFile("K.key")
        .setDnskey(ksk.dnskey().toString()).setWrappedPrivateKey(ByteBuffer.wrap(keyWrap.wrap(ksk))).build()));

    KeySetChanged set;
    try (KafkaProducer<String, ZoneRegistryFact> producer = AvroClients.producer(bootstrap, registryUrl);
        TopicReader<KeySetChanged> keySets = TopicReader.avro(bootstrap, registryUrl, Topics.KEY_SETS)) {
      producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone, added)).get(30, TimeUnit.SECONDS);
      set = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> keySets.recordsFor(zone), r -> !r.isEmpty()).get(0).value();
    }
    assertEquals(2, set.getKeys().size());
    ZoneKey imported = set.getKeys().stream().filter(k -> k.getRole() == KeyRole.KSK).findFirst().orElseThrow();
    assertEquals(ksk.keyTag(), imported.getKeyTag());
    assertNull(imported.getPrivateKeyUri());
    assertTrue(imported.getWrappedPrivateKey().remaining() > 0, "the imported key stays a software key");
    ZoneKey generated = set.getKeys().stream().filter(k -> k.getRole() == KeyRole.ZSK).findFirst().orElseThrow();
    assertTrue(generated.getPrivateKeyUri().startsWith("pkcs11:token=" + SoftHsmResource.LABEL + ";id="),
        generated.getPrivateKeyUri());
    assertEquals(0, generated.getWrappedPrivateKey().remaining());
  }
}
