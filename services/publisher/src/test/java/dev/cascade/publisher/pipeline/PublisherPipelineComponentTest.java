package dev.cascade.publisher.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.content.ContentWriter;
import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.zone.CanonicalOrder;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.SigningStats;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.publisher.dns.DnsListeners;
import dev.cascade.publisher.domain.TestRecords;
import dev.cascade.publisher.persistence.PublisherStore;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.service.kafka.TopicHistory;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.SchemaContents;
import dev.cascade.testinfra.kafka.ConsumerGroups;
import dev.cascade.testinfra.kafka.RegistryFacts;
import dev.cascade.testinfra.metrics.Scrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * The running publisher: a signed version and its approval go in on the real topics; the zone is served by AXFR on
 * the publication port, ZoneVersionPublished comes out, and a later version whose content cannot be read leaves the
 * published version in place.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class PublisherPipelineComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Inject DnsListeners listeners;
  @Inject PublisherStore store;
  @Inject PublishedVersionRestore restore;
  @Inject RemainTimes remainTimes;
  @Inject PublisherRebuild rebuild;
  @Inject Flyway flyway;

  @Test
  void publishesAnApprovedSignedVersionAndKeepsItWhenTheNextCannotBeRead() throws Exception {
    String zone = "published.test.";
    String v1 = UUID.randomUUID().toString();
    List<Record> records = TestRecords.zone(zone, 100, 50);
    ContentLocation v1Content = write(Topics.SIGNED_CONTENT, zone, v1, records);

    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, v1, 100, v1Content), null);
    await().atMost(TIMEOUT).until(() -> soaSerial(listeners.signedReviewPort(), zone).orElse(-1L) == 100);
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, v1, ReviewStage.SIGNED, 100, ReviewDecision.APPROVED),
        "00-" + traceId + "-b7ad6b7169203331-01");

    ConsumerRecord<String, ZoneVersionPublished> record =
        Bus.<ZoneVersionPublished>await(Topics.PUBLISHED_VERSIONS, event -> event.getVersionId().equals(v1), TIMEOUT);
    ZoneVersionPublished published = record.value();
    assertEquals(zone, record.key());
    Header traceparent = record.headers().lastHeader("traceparent");
    assertNotNull(traceparent, "the published-version event carries trace context");
    assertTrue(new String(traceparent.value(), StandardCharsets.US_ASCII).contains(traceId),
        "the published-version event continues the approval's trace");
    assertEquals(zone, published.getZone());
    assertEquals(100, published.getSignedSerial());
    assertEquals(records.size(), published.getRecordCount());
    assertEquals(new HashSet<>(records), new HashSet<>(axfr(listeners.publicationPort(), zone)));
    assertEquals(v1, store.findPublished(zone).orElseThrow().versionId());

    // Version 2: real chunks, but a manifest whose digest does not match them, so reading it fails.
    String v2 = UUID.randomUUID().toString();
    ContentLocation real = write(Topics.SIGNED_CONTENT, zone, v2, TestRecords.zone(zone, 101, 50));
    ContentLocation corrupt = ContentLocation.newBuilder(real).setDigest("00".repeat(48)).build();
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, v2, 101, corrupt), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, v2, ReviewStage.SIGNED, 101, ReviewDecision.APPROVED), null);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> given().get("/zones").then().statusCode(200)
            .body("failures.'" + zone + "'.versionId", equalTo(v2))
            .body("failures.'" + zone + "'.stage", equalTo("publication")));
    assertEquals(100, soaSerial(listeners.publicationPort(), zone).orElseThrow());
    assertEquals(new HashSet<>(records), new HashSet<>(axfr(listeners.publicationPort(), zone)));
    assertEquals(v1, store.findPublished(zone).orElseThrow().versionId());

    // A restart: the publication server starts empty and reads the published version back from Kafka.
    listeners.publication().remove(Name.fromString(zone));
    assertEquals(Rcode.REFUSED, soaRcode(listeners.publicationPort(), zone));
    restore.restore();
    assertEquals(new HashSet<>(records), new HashSet<>(axfr(listeners.publicationPort(), zone)));
  }

  @Test
  void aVersionWrittenAsADifferenceIsAppliedToTheHeldVersionAndServedByIxfr() throws Exception {
    String zone = "difference.test.";
    String v1 = UUID.randomUUID().toString();
    List<Record> first = TestRecords.zone(zone, 200, 50).stream().sorted(CanonicalOrder.RECORDS).toList();
    ContentLocation firstContent = write(Topics.SIGNED_CONTENT, zone, v1, first);
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, v1, 200, firstContent), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, v1, ReviewStage.SIGNED, 200, ReviewDecision.APPROVED), null);
    await().atMost(TIMEOUT).until(() -> soaSerial(listeners.publicationPort(), zone).orElse(-1L) == 200);

    String v2 = UUID.randomUUID().toString();
    Record removed = first.stream().filter(r -> r.getName().toString().startsWith("txt7.")).findFirst().orElseThrow();
    Record oldSoa = first.stream().filter(r -> r.getType() == Type.SOA).findFirst().orElseThrow();
    Record newSoa = TestRecords.zone(zone, 201, 0).stream().filter(r -> r.getType() == Type.SOA).findFirst().orElseThrow();
    Record added = TestRecords.parse("new." + zone + " 300 IN TXT \"by difference\"\n").get(0);
    List<Record> second = new ArrayList<>(first);
    second.removeAll(List.of(removed, oldSoa));
    second.addAll(List.of(newSoa, added));
    second.sort(CanonicalOrder.RECORDS);
    ContentLocation secondContent;
    try (ContentWriter writer = new ContentWriter(Bus.producerConfig())) {
      secondContent = writer.write(Topics.SIGNED_CONTENT, zone, v2,
          new ContentWriter.Difference(v1, firstContent, new CompactDiff(
              CompactRecords.of(List.of(oldSoa, removed)), CompactRecords.of(List.of(newSoa, added)))),
          CompactRecords.ofSorted(second));
    }
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, v2, 201, secondContent), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, v2, ReviewStage.SIGNED, 201, ReviewDecision.APPROVED), null);

    Bus.<ZoneVersionPublished>await(Topics.PUBLISHED_VERSIONS, event -> event.getVersionId().equals(v2), TIMEOUT);
    assertEquals(new HashSet<>(second), new HashSet<>(axfr(listeners.publicationPort(), zone)));
    ZoneTransferIn ixfr =
        ZoneTransferIn.newIXFR(Name.fromString(zone), 200, false, "127.0.0.1", listeners.publicationPort(), null);
    ixfr.run();
    assertTrue(ixfr.isIXFR());
    assertEquals(Set.of(oldSoa, removed), new HashSet<>(ixfr.getIXFR().get(0).deletes));
    assertEquals(Set.of(newSoa, added), new HashSet<>(ixfr.getIXFR().get(0).adds));

    // After a restart the version is rebuilt from its chain: the whole first version plus the difference.
    listeners.publication().remove(Name.fromString(zone));
    restore.restore();
    assertEquals(new HashSet<>(second), new HashSet<>(axfr(listeners.publicationPort(), zone)));
  }

  /**
   * An approval holds for the content it names: content under the same versionId with another digest, as a signer
   * that made the version again after a crash would send, is not published; the approved content is, whichever of
   * approval and signed fact comes first.
   */
  @Test
  void onlyTheContentWhoseDigestWasApprovedIsPublished() throws Exception {
    String zone = "digest.test.";
    String v1 = UUID.randomUUID().toString();
    List<Record> records = TestRecords.zone(zone, 300, 20);
    ContentLocation content = write(Topics.SIGNED_CONTENT, zone, v1, records);
    ZoneVersionReviewed approvedOther = ZoneVersionReviewed.newBuilder(
            review(zone, v1, ReviewStage.SIGNED, 300, ReviewDecision.APPROVED))
        .setContentDigest("ab".repeat(48))
        .build();
    Bus.send(Topics.ZONE_REVIEWS, zone, approvedOther, null);
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, v1, 300, content), null);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> given().get("/zones").then().statusCode(200)
            .body("failures.'" + zone + "'.versionId", equalTo(v1))
            .body("failures.'" + zone + "'.reason", containsString("is not the content approved")));
    assertEquals(Rcode.REFUSED, soaRcode(listeners.publicationPort(), zone), "nothing published");

    String v2 = UUID.randomUUID().toString();
    ContentLocation next = write(Topics.SIGNED_CONTENT, zone, v2, TestRecords.zone(zone, 301, 20));
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, v2, 301, next), null);
    await().atMost(TIMEOUT).until(() -> soaSerial(listeners.signedReviewPort(), zone).orElse(-1L) == 301);
    Bus.send(Topics.ZONE_REVIEWS, zone, ZoneVersionReviewed.newBuilder(
            review(zone, v2, ReviewStage.SIGNED, 301, ReviewDecision.APPROVED))
        .setContentDigest(next.getDigest())
        .build(), null);
    Bus.<ZoneVersionPublished>await(Topics.PUBLISHED_VERSIONS, event -> event.getVersionId().equals(v2), TIMEOUT);
    assertEquals(301, soaSerial(listeners.publicationPort(), zone).orElseThrow());
  }

  /**
   * A version whose earliest signature expires within the policy's remain time (7 days, the test policy's) is not
   * published, even though it was approved; one whose signatures last longer is.
   */
  @Test
  void aVersionWithASignatureExpiringWithinTheRemainTimeIsNotPublished() throws Exception {
    String zone = "expiring.test.";
    Bus.send(Topics.ZONE_REGISTRY, zone, RegistryFacts.zoneAdded(zone, "/zones/expiring.zone"), null);
    // The registry and the signed versions are different topics: in use a zone is added long before it is signed.
    await().atMost(TIMEOUT).until(() -> remainTimes.of(zone).isPresent());
    String soon = UUID.randomUUID().toString();
    List<Record> expiringSoon = signedWithExpiry(zone, 400, Instant.now().plus(Duration.ofDays(3)));
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, soon, 400, write(Topics.SIGNED_CONTENT, zone, soon,
        expiringSoon)), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, soon, ReviewStage.SIGNED, 400, ReviewDecision.APPROVED), null);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> given().get("/zones").then().statusCode(200)
            .body("failures.'" + zone + "'.versionId", equalTo(soon))
            .body("failures.'" + zone + "'.reason", containsString("within the policy's remain time")));
    assertEquals(Rcode.REFUSED, soaRcode(listeners.publicationPort(), zone), "nothing published");

    String later = UUID.randomUUID().toString();
    List<Record> lasting = signedWithExpiry(zone, 401, Instant.now().plus(Duration.ofDays(14)));
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, later, 401, write(Topics.SIGNED_CONTENT, zone, later,
        lasting)), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, later, ReviewStage.SIGNED, 401, ReviewDecision.APPROVED), null);
    Bus.<ZoneVersionPublished>await(Topics.PUBLISHED_VERSIONS, event -> event.getVersionId().equals(later), TIMEOUT);
    assertEquals(401, soaSerial(listeners.publicationPort(), zone).orElseThrow());
  }

  /**
   * The publisher's metrics (docs/operations.md, "Metrics"), scraped from /q/metrics as Prometheus would: the policy's
   * refresh interval and remain time from the registry, the published serial, the time of the publication and the
   * earliest RRSIG expiration of the version served, the publish stage, a refused publication by reason, the DNS
   * queries by server, qtype and rcode; and no series of a removed zone. Counters are shared with the other tests, so
   * they are compared before and after.
   */
  @Test
  void publicationsAndQueriesShowInTheMetricsAndARemovedZoneLeavesNoSeries() throws Exception {
    String zone = "metrics.test.";
    Scrape before = scrape();
    Bus.send(Topics.ZONE_REGISTRY, zone, RegistryFacts.zoneAdded(zone, "/zones/metrics.zone"), null);
    await().atMost(TIMEOUT).until(() -> remainTimes.of(zone).isPresent());
    Scrape added = scrape();
    assertEquals(Duration.ofDays(1).toSeconds(),
        added.value("cascade_zone_signature_refresh_interval_seconds", "zone", zone).orElseThrow(), added.toString());
    assertEquals(Duration.ofDays(7).toSeconds(),
        added.value("cascade_zone_signature_remain_time_seconds", "zone", zone).orElseThrow(), added.toString());

    String soon = UUID.randomUUID().toString();
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, soon, 500, write(Topics.SIGNED_CONTENT, zone, soon,
        signedWithExpiry(zone, 500, Instant.now().plus(Duration.ofDays(3))))), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, soon, ReviewStage.SIGNED, 500, ReviewDecision.APPROVED), null);
    await().atMost(TIMEOUT).until(() -> count(scrape(), "cascade_failures_total", "stage", "publish", "reason",
        "publication_signatures_expiring") >= count(before, "cascade_failures_total", "stage", "publish", "reason",
        "publication_signatures_expiring") + 1);

    Instant expiration = Instant.now().plus(Duration.ofDays(14)).truncatedTo(ChronoUnit.SECONDS);
    String lasting = UUID.randomUUID().toString();
    long startedAt = Instant.now().getEpochSecond();
    Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, lasting, 501, write(Topics.SIGNED_CONTENT, zone, lasting,
        signedWithExpiry(zone, 501, expiration))), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, lasting, ReviewStage.SIGNED, 501, ReviewDecision.APPROVED), null);
    Bus.<ZoneVersionPublished>await(Topics.PUBLISHED_VERSIONS, event -> event.getVersionId().equals(lasting), TIMEOUT);
    Scrape published = scrape();
    assertEquals(501, published.value("cascade_zone_published_serial", "zone", zone).orElseThrow(),
        published.toString());
    double at = published.value("cascade_zone_last_publication_timestamp_seconds", "zone", zone).orElseThrow();
    assertTrue(at >= startedAt - 1 && at <= Instant.now().getEpochSecond() + 1, "publication time " + at);
    assertEquals(expiration.getEpochSecond(),
        published.value("cascade_zone_rrsig_expiration_earliest_timestamp_seconds", "zone", zone).orElseThrow());
    assertTrue(count(published, "cascade_stage_duration_seconds_count", "stage", "publish")
        >= count(before, "cascade_stage_duration_seconds_count", "stage", "publish") + 1, published.toString());

    assertEquals(501, soaSerial(listeners.publicationPort(), zone).orElseThrow());
    axfr(listeners.publicationPort(), zone);
    assertEquals(Rcode.REFUSED, soaRcode(listeners.publicationPort(), "not-served.test."));
    Scrape queried = scrape();
    for (String[] query : List.of(new String[] {"SOA", "NOERROR"}, new String[] {"AXFR", "NOERROR"},
        new String[] {"SOA", "REFUSED"})) {
      String[] labels = {"server", "publication", "qtype", query[0], "rcode", query[1]};
      assertTrue(count(queried, "cascade_dns_queries_total", labels) >= count(published, "cascade_dns_queries_total",
          labels) + 1, String.join(" ", query) + ": " + queried);
    }

    Bus.send(Topics.ZONE_REGISTRY, zone, RegistryFacts.zoneRemoved(zone), null);
    await().atMost(TIMEOUT).until(() -> scrape().samples("cascade_zone_published_serial", "zone", zone).isEmpty()
        && scrape().samples("cascade_zone_signature_remain_time_seconds", "zone", zone).isEmpty()
        && scrape().samples("cascade_zone_rrsig_expiration_earliest_timestamp_seconds", "zone", zone).isEmpty());
  }

  private static Scrape scrape() {
    return Scrape.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  private static double count(Scrape scrape, String name, String... labels) {
    return scrape.value(name, labels).orElse(0);
  }

  /** A test zone with one RRSIG (its signature bytes are not checked here) expiring at {@code expiration}. */
  private static List<Record> signedWithExpiry(String zone, long serial, Instant expiration) {
    DateTimeFormatter rrsigTime = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    List<Record> records = new ArrayList<>(TestRecords.zone(zone, serial, 10));
    records.addAll(TestRecords.parse("txt0." + zone + " 3600 IN RRSIG TXT 13 3 3600 " + rrsigTime.format(expiration)
        + " " + rrsigTime.format(Instant.now().minus(Duration.ofDays(1))) + " 12345 " + zone + " "
        + Base64.getEncoder().encodeToString(new byte[64]) + "\n"));
    return records;
  }

  @Test
  void servesTheUnsignedVersionUnderReviewUntilItIsRejected() throws Exception {
    String zone = "review.test.";
    String versionId = UUID.randomUUID().toString();
    ContentLocation content = write(Topics.UNSIGNED_CONTENT, zone, versionId, TestRecords.zone(zone, 55, 3));

    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, versionId, 55, content), null);
    await().atMost(TIMEOUT).until(() -> soaSerial(listeners.unsignedReviewPort(), zone).orElse(-1L) == 55);

    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, versionId, ReviewStage.UNSIGNED, 55, ReviewDecision.REJECTED), null);
    await().atMost(TIMEOUT).until(() -> soaRcode(listeners.unsignedReviewPort(), zone) == Rcode.REFUSED);
  }

  /**
   * Projections rebuildable (issue 9): the publisher's schema, dropped and migrated again empty, is rebuilt from the
   * log alone, row for row for the zones here (two publications, a signed version not yet approved, a zone removed
   * after its publication), with nothing published or announced again; the rebuilt publication is served after a
   * restart, and the next version is published over it.
   */
  @Test
  void aDroppedSchemaIsRebuiltFromTheLogWithoutPublishingAnythingAgain() throws Exception {
    String zone = "rebuilt.test.";
    String removed = "rebuilt-removed.test.";
    List<Record> records = TestRecords.zone(zone, 101, 20);
    for (long serial = 100; serial <= 101; serial++) {
      String versionId = UUID.randomUUID().toString();
      ContentLocation content = write(Topics.SIGNED_CONTENT, zone, versionId, TestRecords.zone(zone, serial, 20));
      Bus.send(Topics.SIGNED_VERSIONS, zone, signed(zone, versionId, serial, content), null);
      Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, versionId, ReviewStage.SIGNED, serial, ReviewDecision.APPROVED),
          null);
      Bus.<ZoneVersionPublished>await(Topics.PUBLISHED_VERSIONS, event -> event.getVersionId().equals(versionId),
          TIMEOUT);
    }
    String unapproved = UUID.randomUUID().toString();
    Bus.send(Topics.SIGNED_VERSIONS, zone,
        signed(zone, unapproved, 102, write(Topics.SIGNED_CONTENT, zone, unapproved, TestRecords.zone(zone, 102, 20))),
        null);
    String gone = UUID.randomUUID().toString();
    Bus.send(Topics.SIGNED_VERSIONS, removed,
        signed(removed, gone, 7, write(Topics.SIGNED_CONTENT, removed, gone, TestRecords.zone(removed, 7, 20))), null);
    Bus.send(Topics.ZONE_REVIEWS, removed, review(removed, gone, ReviewStage.SIGNED, 7, ReviewDecision.APPROVED), null);
    Bus.<ZoneVersionPublished>await(Topics.PUBLISHED_VERSIONS, event -> event.getVersionId().equals(gone), TIMEOUT);
    Bus.send(Topics.ZONE_REGISTRY, removed, RegistryFacts.zoneRemoved(removed), null);
    await().atMost(TIMEOUT).until(() -> store.findPublished(removed).isEmpty());
    ConsumerGroups.awaitCommittedToEnd(Bus.bootstrap(), "publisher",
        List.of(Topics.SIGNED_VERSIONS, Topics.ZONE_REVIEWS, Topics.ZONE_REGISTRY), TIMEOUT);
    Map<String, List<String>> before = rowsOf(zone, removed);
    assertEquals(3, before.get("signed_version").size(), "the zone's three signed versions: " + before);
    List<String> announcedBefore = announced(zone, removed);

    SchemaContents.drop("publisher");
    flyway.migrate();
    // As after a restart: nothing served yet.
    listeners.publication().remove(Name.fromString(zone));
    assertTrue(rebuild.restore() > 0, "the log is applied again");

    assertEquals(before, rowsOf(zone, removed));
    assertEquals(0, rebuild.restore(), "a second rebuild finds the tables up to date");
    assertEquals(announcedBefore, announced(zone, removed), "nothing published or announced by the rebuild");
    assertEquals(new HashSet<>(records), new HashSet<>(axfr(listeners.publicationPort(), zone)),
        "the rebuilt publication is served again");

    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, unapproved, ReviewStage.SIGNED, 102, ReviewDecision.APPROVED),
        null);
    Bus.<ZoneVersionPublished>await(Topics.PUBLISHED_VERSIONS, event -> event.getVersionId().equals(unapproved),
        TIMEOUT);
    assertEquals(102, soaSerial(listeners.publicationPort(), zone).orElseThrow());
  }

  @Test
  void readinessCoversKafkaPostgresAndTheRestore() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(containsString("Kafka connection health check"))
        .body(containsString("Reactive PostgreSQL connections health check"))
        .body(containsString("published versions restored"))
        .body(containsString("projection rebuilt"));
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /** The rows of the publisher's tables that belong to {@code zones}, table by table. */
  private static Map<String, List<String>> rowsOf(String... zones) {
    Map<String, List<String>> rows = new TreeMap<>();
    SchemaContents.of("publisher", Set.of()).forEach((table, all) -> rows.put(table, all.stream()
        .filter(row -> Arrays.stream(zones).anyMatch(zone -> ("|" + row + "|").contains("|zone=" + zone + "|")))
        .toList()));
    return rows;
  }

  /** The eventIds of the publisher's announcements about {@code zones}, in the order written. */
  private static List<String> announced(String... zones) {
    List<String> wanted = List.of(zones);
    return TopicHistory.<ZoneVersionPublished>read(Bus.consumerConfig(), Topics.PUBLISHED_VERSIONS, TIMEOUT).stream()
        .map(ConsumerRecord::value)
        .filter(event -> wanted.contains(event.getZone()))
        .map(event -> event.getMetadata().getEventId())
        .toList();
  }

  /** Writes a version as the loader and the signer do. */
  static ContentLocation write(String topic, String zone, String versionId, List<Record> records) {
    try (ContentWriter writer = new ContentWriter(Bus.producerConfig())) {
      return writer.write(topic, zone, versionId, CompactRecords.of(records));
    }
  }

  private static List<Record> axfr(int port, String zone) throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(Name.fromString(zone), "127.0.0.1", port, null);
    xfr.setTimeout(Duration.ofSeconds(20));
    xfr.run();
    return xfr.getAXFR();
  }

  private static Optional<Long> soaSerial(int port, String zone) throws Exception {
    Message response = soa(port, zone);
    if (response.getRcode() != Rcode.NOERROR) {
      return Optional.empty();
    }
    return Optional.of(((SOARecord) response.getSection(Section.ANSWER).get(0)).getSerial());
  }

  private static int soaRcode(int port, String zone) throws Exception {
    return soa(port, zone).getRcode();
  }

  private static Message soa(int port, String zone) throws Exception {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(port);
    resolver.setTimeout(Duration.ofSeconds(5));
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN)));
  }

  private static EventMetadata metadata(String producer) {
    return EventMetadataFactory.next(Clock.systemUTC(), producer, null);
  }

  static SignedVersionFact signed(String zone, String versionId, long serial, ContentLocation content) {
    Instant now = Instant.now();
    return SignedVersionFact.newBuilder()
        .setMetadata(metadata("signer"))
        .setZone(zone)
        .setFact(
            ZoneVersionSigned.newBuilder()
                .setVersionId(versionId)
                .setUnsignedSerial(serial)
                .setSignedSerial(serial)
                .setContent(content)
                .setStats(
                    SigningStats.newBuilder()
                        .setUnsignedRrCount(content.getRecordCount())
                        .setDenialRrCount(0)
                        .setRrsigCount(0)
                        .setStartedAt(now)
                        .setFinishedAt(now)
                        .setThreads(1)
                        .build())
                .build())
        .build();
  }

  private static UnsignedVersionFact loaded(String zone, String versionId, long serial, ContentLocation content) {
    return UnsignedVersionFact.newBuilder()
        .setMetadata(metadata("loader"))
        .setZone(zone)
        .setFact(
            ZoneVersionLoaded.newBuilder()
                .setVersionId(versionId)
                .setSerial(serial)
                .setSource("/zones/" + zone + "zone")
                .setByteCount(200)
                .setContent(content)
                .setWarnings(List.of())
                .build())
        .build();
  }

  static ZoneVersionReviewed review(
      String zone, String versionId, ReviewStage stage, long serial, ReviewDecision decision) {
    return ZoneVersionReviewed.newBuilder()
        .setMetadata(metadata("review-gateway"))
        .setZone(zone)
        .setStage(stage)
        .setVersionId(versionId)
        .setSerial(serial)
        .setDecision(decision)
        .setReviewer("operator")
        .build();
  }
}
