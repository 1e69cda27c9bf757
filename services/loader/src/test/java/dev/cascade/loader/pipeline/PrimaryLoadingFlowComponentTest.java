package dev.cascade.loader.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.content.ContentReader;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.xfr.ZoneTransferClient;
import dev.cascade.dnssec.zone.ZoneNormaliser;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneLoadFailed;
import dev.cascade.events.v1.ZoneNotifyReceived;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.dns.NamedPrimary;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.RegistryFacts;
import dev.cascade.testinfra.kafka.TopicReader;
import dev.cascade.testinfra.metrics.Scrape;
import io.restassured.RestAssured;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A zone loaded from a real primary, BIND's named on an ephemeral port: the first load is an AXFR, a change made with
 * nsupdate and announced by a NOTIFY (as the publisher passes it on) comes by IXFR as a version with exactly the
 * change and the content an AXFR gives, and once the primary is gone the zone keeps its version while the retries
 * fail and EXPIRE is reported. The SOA's REFRESH is an hour, so only the NOTIFYs start the refreshes here; RETRY is 1 s
 * and EXPIRE 4 s, so the expiry comes within the test.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class PrimaryLoadingFlowComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "cascade.registry.url")
  String registryUrl;

  @Inject
  UnsignedVersionRestore restore;

  @Test
  void axfrThenNotifiedIxfrThenExpiryWhileTheVersionStays() throws Exception {
    String zone = "p" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    Name apex = Name.fromString(zone);
    Path dir = Files.createTempDirectory("primary-test");
    String text = "$ORIGIN " + zone + "\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 1 4 300\n@ IN NS ns1\n"
        + "ns1 IN A 192.0.2.1\nwww IN A 192.0.2.2\n";
    try (KafkaProducer<String, Object> producer = AvroClients.producer(bootstrap, registryUrl);
        TopicReader<UnsignedVersionFact> versions =
            TopicReader.avro(bootstrap, registryUrl, Topics.UNSIGNED_VERSIONS)) {
      loadThenChange(producer, versions, dir, zone, apex, text);
      Scrape refreshed = scrape();
      assertEquals(0.0, refreshed.value("cascade_zone_primary_expired", "zone", zone).orElseThrow(),
          refreshed.toString());
      // The primary is gone: the refresh the next NOTIFY asks for fails, the retries run, and EXPIRE is reported.
      notify(producer, zone);
      List<Object> facts = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> facts(versions, zone), f -> f.stream().anyMatch(PrimaryLoadingFlowComponentTest::expired));
      ZoneLoadFailed failed = facts.stream().filter(ZoneLoadFailed.class::isInstance)
          .map(ZoneLoadFailed.class::cast).findFirst().orElseThrow();
      assertTrue(Set.of("timeout", "unreachable").contains(failed.getCause()), failed.toString());
      assertEquals(2, facts.stream().filter(ZoneVersionLoaded.class::isInstance).count(),
          "no version is withdrawn or added when the primary is gone");
      Scrape expiredNow = scrape();
      assertEquals(1.0, expiredNow.value("cascade_zone_primary_expired", "zone", zone).orElseThrow(),
          "what CascadeZoneExpiredAtPrimary alerts on: " + expiredNow);
    }
  }

  /**
   * After a restart the loader holds no transfer in memory: the last loaded version, read back from the content topic
   * ({@link UnsignedVersionRestore#transferBase}), is the base of the next IXFR, which then gives the zone an AXFR of
   * the new serial gives.
   */
  @Test
  void afterARestartTheLastLoadedVersionReadBackIsTheBaseOfAnIxfr() throws Exception {
    String zone = "r" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    Name apex = Name.fromString(zone);
    String text = "$ORIGIN " + zone + "\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\n"
        + "ns1 IN A 192.0.2.1\nwww IN A 192.0.2.2\n";
    try (KafkaProducer<String, Object> producer = AvroClients.producer(bootstrap, registryUrl);
        TopicReader<UnsignedVersionFact> versions =
            TopicReader.avro(bootstrap, registryUrl, Topics.UNSIGNED_VERSIONS);
        NamedPrimary named = NamedPrimary.start(Files.createTempDirectory("restart-test"), apex, text)) {
      String source = "127.0.0.1:" + named.address().getPort();
      producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone, RegistryFacts.zoneAdded(zone, source)))
          .get(30, TimeUnit.SECONDS);
      assertEquals(1, assertInstanceOf(ZoneVersionLoaded.class, awaitFacts(versions, zone, 1).get(0)).getSerial());
      // Serial 2 at the primary, and no NOTIFY: the loader stays at serial 1 (REFRESH is an hour).
      named.update("update add new." + zone + " 300 A 192.0.2.9");

      restore.restore();
      List<Record> base = restore.transferBase(zone, source, 1).orElseThrow();
      assertTrue(restore.transferBase(zone, source, 1).isEmpty(), "read back once: later refreshes hold their own");
      ZoneTransferClient.Transferred ixfr = assertInstanceOf(ZoneTransferClient.Transferred.class,
          new ZoneTransferClient(TIMEOUT).refresh(apex, named.address(), base, 1, false, null));

      assertEquals("IXFR", ixfr.kind());
      assertEquals(2, ixfr.soa().getSerial());
      ZoneTransferIn axfr = ZoneTransferIn.newAXFR(apex, named.address(), null);
      axfr.run();
      assertEquals(CompactRecords.ofSorted(ZoneNormaliser.normalise(apex, "AXFR", axfr.getAXFR()).records()).digest(),
          CompactRecords.ofSorted(ZoneNormaliser.normalise(apex, "IXFR", ixfr.records()).records()).digest());
    }
  }

  private static Scrape scrape() {
    return Scrape.parse(RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  /** First load by AXFR, then a change by nsupdate, NOTIFY and IXFR; the primary is stopped on return. */
  private void loadThenChange(KafkaProducer<String, Object> producer, TopicReader<UnsignedVersionFact> versions,
      Path dir, String zone, Name apex, String text) throws Exception {
    try (NamedPrimary named = NamedPrimary.start(dir, apex, text)) {
      String source = "127.0.0.1:" + named.address().getPort();
      ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, source);
      producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone, added)).get(30, TimeUnit.SECONDS);

      ZoneVersionLoaded first = assertInstanceOf(ZoneVersionLoaded.class, awaitFacts(versions, zone, 1).get(0));
      assertEquals("AXFR", first.getTransfer());
      assertEquals(1, first.getSerial());
      assertEquals(source, first.getSource());
      assertEquals(4, first.getContent().getRecordCount());

      named.update("update add new." + zone + " 300 A 192.0.2.9");
      notify(producer, zone);
      ZoneVersionLoaded second = assertInstanceOf(ZoneVersionLoaded.class, awaitFacts(versions, zone, 2).get(1));
      assertEquals("IXFR", second.getTransfer());
      assertEquals(2, second.getSerial());
      try (ContentReader reader = new ContentReader(KafkaSettings.consumer(bootstrap, registryUrl))) {
        Set<String> before = texts(reader.readCompact(first.getContent(), zone, first.getVersionId()).toRecords());
        Set<String> after = texts(reader.readCompact(second.getContent(), zone, second.getVersionId()).toRecords());
        Set<String> gained = after.stream().filter(r -> !before.contains(r)).collect(Collectors.toSet());
        Set<String> removed = before.stream().filter(r -> !after.contains(r)).collect(Collectors.toSet());
        List<String> notSoa = gained.stream().filter(r -> !r.contains("SOA")).toList();
        assertEquals(1, notSoa.size(), "exactly the change: " + gained);
        assertTrue(notSoa.get(0).startsWith("new." + zone) && notSoa.get(0).endsWith("192.0.2.9"), notSoa.get(0));
        assertEquals(1, removed.size(), "only the SOA changed besides: " + removed);
      }
      // The content equals what an AXFR of the same serial gives, normalised as the loader does.
      ZoneTransferIn axfr = ZoneTransferIn.newAXFR(apex, named.address(), null);
      axfr.run();
      assertEquals(CompactRecords.ofSorted(ZoneNormaliser.normalise(apex, "AXFR", axfr.getAXFR()).records())
          .digest(), second.getContent().getDigest());
    }
  }

  private static boolean expired(Object fact) {
    return fact instanceof ZoneLoadFailed failed && "expired".equals(failed.getCause());
  }

  private static List<Object> facts(TopicReader<UnsignedVersionFact> versions, String zone) {
    return versions.recordsFor(zone).stream().map(r -> r.value().getFact()).toList();
  }

  private static List<Object> awaitFacts(TopicReader<UnsignedVersionFact> versions, String zone, int count) {
    return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .until(() -> versions.recordsFor(zone).stream().map(ConsumerRecord::value)
            .map(UnsignedVersionFact::getFact).filter(ZoneVersionLoaded.class::isInstance).toList(),
            facts -> facts.size() >= count);
  }

  /** A NOTIFY as the publisher announces one it took in from the zone's primary. */
  private static void notify(KafkaProducer<String, Object> producer, String zone) throws Exception {
    ZoneNotifyReceived notify = ZoneNotifyReceived.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), "publisher", null))
        .setZone(zone)
        .setSender("127.0.0.1")
        .build();
    producer.send(new ProducerRecord<>(Topics.ZONE_NOTIFIES, zone, notify)).get(30, TimeUnit.SECONDS);
  }

  private static Set<String> texts(List<Record> records) {
    return records.stream().map(Record::toString).collect(Collectors.toSet());
  }
}
