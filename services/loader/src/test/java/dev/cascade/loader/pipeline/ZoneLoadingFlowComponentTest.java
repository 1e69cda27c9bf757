package dev.cascade.loader.pipeline;

import static dev.cascade.testinfra.kafka.TraceContext.record;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.content.ContentReader;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneFileParser;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.PipelineStep;
import dev.cascade.events.v1.ProgressUnit;
import dev.cascade.events.v1.StepPhase;
import dev.cascade.events.v1.StepProgressed;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneLoadFailed;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.tracing.ZoneSpans;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.RegistryFacts;
import dev.cascade.testinfra.kafka.TopicReader;
import dev.cascade.testinfra.kafka.TraceContext;
import dev.cascade.testinfra.metrics.Scrape;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The loader as a whole: zone registry facts in, unsigned versions and content chunks out, with Kafka, PostgreSQL and
 * the schema registry running for real. Every test uses its own zone, so tests share the broker without interfering.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class ZoneLoadingFlowComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "cascade.registry.url")
  String registryUrl;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String databaseUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String databaseUser;

  @ConfigProperty(name = "quarkus.datasource.password")
  String databasePassword;

  @Inject InMemorySpanExporter spans;
  @Inject UnsignedVersionRestore restore;

  private KafkaProducer<String, ZoneRegistryFact> producer;
  private TopicReader<UnsignedVersionFact> versions;
  private Path dir;

  @BeforeEach
  void setUp() throws IOException {
    producer = AvroClients.producer(bootstrap, registryUrl);
    versions = TopicReader.avro(bootstrap, registryUrl, Topics.UNSIGNED_VERSIONS);
    dir = Files.createTempDirectory("loader-test");
  }

  @AfterEach
  void tearDown() {
    producer.close();
    versions.close();
  }

  private static String uniqueZone() {
    return "z" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
  }

  private static String zoneText(String zone, long serial, String lastLine) {
    return String.join(
        "\n",
        "$ORIGIN " + zone,
        "$TTL 3600",
        "@ IN SOA ns1 hostmaster " + serial + " 7200 3600 1209600 3600",
        "@ IN NS ns1",
        "@ IN NS ns2",
        "ns1 IN A 192.0.2.1",
        "ns2 IN A 192.0.2.2",
        lastLine,
        "");
  }

  private void send(ZoneRegistryFact fact, String traceparent) throws Exception {
    producer.send(record(Topics.ZONE_REGISTRY, fact.getZone(), fact, traceparent)).get(30, TimeUnit.SECONDS);
  }

  private List<ConsumerRecord<String, UnsignedVersionFact>> awaitFacts(String zone, int count) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> versions.recordsFor(zone), facts -> facts.size() >= count);
  }

  @Test
  void goodFileBecomesAVersionWhoseContentCanBeReadBack() throws Exception {
    String zone = uniqueZone();
    Path file = Files.writeString(dir.resolve("good.zone"), zoneText(zone, 2026112801, "www IN A 192.0.2.10"));
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, file.toString());
    String traceparent = TraceContext.newTraceparent();

    send(added, traceparent);

    ConsumerRecord<String, UnsignedVersionFact> record = awaitFacts(zone, 1).get(0);
    UnsignedVersionFact fact = record.value();
    assertEquals(zone, record.key());
    assertEquals(zone, fact.getZone());
    assertEquals("loader", fact.getMetadata().getProducer());
    assertEquals(added.getMetadata().getEventId(), fact.getMetadata().getCausationId());
    ZoneVersionLoaded loaded = assertInstanceOf(ZoneVersionLoaded.class, fact.getFact());
    assertEquals(2026112801L, loaded.getSerial());
    assertEquals(file.toString(), loaded.getSource());
    assertEquals(Files.size(file), loaded.getByteCount());
    assertEquals(6L, loaded.getContent().getRecordCount());
    assertEquals(Topics.UNSIGNED_CONTENT, loaded.getContent().getTopic());
    UUID.fromString(loaded.getVersionId());

    String outgoingTraceparent = TraceContext.header(record, "traceparent");
    assertNotNull(outgoingTraceparent, "the emitted record carries trace context");
    assertEquals(TraceContext.traceId(traceparent), TraceContext.traceId(outgoingTraceparent),
        "the trace started by the registry fact continues through the loader");

    try (ContentReader reader = new ContentReader(KafkaSettings.consumer(bootstrap, registryUrl))) {
      List<Record> records = reader.readCompact(loaded.getContent(), zone, loaded.getVersionId()).toRecords();
      assertEquals(6, records.size());
      Record soa = records.stream().filter(r -> r.getType() == Type.SOA).findFirst().orElseThrow();
      assertEquals(2026112801L, ((SOARecord) soa).getSerial());
      assertTrue(records.stream().anyMatch(r -> r.getName().toString().equals("www." + zone)));
    }
  }

  /**
   * A load reports its progress on its own topic, keyed by apex and naming the version it makes: the bytes of the file
   * parsed, then the records written. The test profile reports every count (cascade.progress.interval=0s); the
   * interval itself is ProgressThrottleTest's.
   */
  @Test
  void aLoadReportsTheBytesParsedAndTheRecordsWritten() throws Exception {
    String zone = uniqueZone();
    Path file = Files.writeString(dir.resolve("progress.zone"), zoneText(zone, 2026112804, "www IN A 192.0.2.13"));
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, file.toString());
    try (TopicReader<StepProgressed> progress = TopicReader.avro(bootstrap, registryUrl, Topics.LOAD_PROGRESS)) {
      send(added, null);
      ZoneVersionLoaded loaded =
          assertInstanceOf(ZoneVersionLoaded.class, awaitFacts(zone, 1).get(0).value().getFact());

      List<ConsumerRecord<String, StepProgressed>> reports =
          await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> progress.recordsFor(zone),
              r -> r.stream().anyMatch(p -> p.value().getPhase() == StepPhase.WRITE));
      for (ConsumerRecord<String, StepProgressed> report : reports) {
        StepProgressed p = report.value();
        assertEquals(zone, report.key());
        assertEquals(loaded.getVersionId(), p.getVersionId());
        assertEquals(PipelineStep.LOAD, p.getStep());
        assertEquals("loader", p.getMetadata().getProducer());
        assertEquals(added.getMetadata().getEventId(), p.getMetadata().getCausationId());
        assertTrue(p.getDone() <= p.getTotal(), p.toString());
      }
      StepProgressed parsed = reports.stream().map(ConsumerRecord::value)
          .filter(p -> p.getPhase() == StepPhase.PARSE).reduce((a, b) -> b).orElseThrow();
      assertEquals(ProgressUnit.BYTES, parsed.getUnit());
      assertEquals(Files.size(file), parsed.getTotal());
      assertEquals(Files.size(file), parsed.getDone());
      StepProgressed written = reports.stream().map(ConsumerRecord::value)
          .filter(p -> p.getPhase() == StepPhase.WRITE).reduce((a, b) -> b).orElseThrow();
      assertEquals(ProgressUnit.RECORDS, written.getUnit());
      assertEquals(6, written.getTotal());
      assertEquals(6, written.getDone());
    }
  }

  /**
   * The spans themselves, not only the headers: the loader's consumer span is a child of the span that sent
   * the registry fact, and its producer span for the new version is in the same trace, so a tracing backend
   * shows one trace from {@code zone add} to the loaded version.
   */
  @Test
  void consumingAndProducingSpansJoinTheIncomingTrace() throws Exception {
    String zone = uniqueZone();
    Path file = Files.writeString(dir.resolve("traced.zone"), zoneText(zone, 2026112803, "www IN A 192.0.2.12"));
    String traceparent = TraceContext.newTraceparent();
    String traceId = TraceContext.traceId(traceparent);
    String parentSpanId = traceparent.split("-")[2];

    send(RegistryFacts.zoneAdded(zone, file.toString()), traceparent);
    awaitFacts(zone, 1);

    List<SpanData> trace =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList(),
                found -> found.stream().anyMatch(s -> s.getKind() == SpanKind.PRODUCER));
    SpanData consumed =
        trace.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
    assertEquals(parentSpanId, consumed.getParentSpanId(), "consumer span's parent is the sender's span");
    assertTrue(consumed.getName().contains(Topics.ZONE_REGISTRY), consumed.getName());
    SpanData produced =
        trace.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
    assertTrue(produced.getName().contains(Topics.UNSIGNED_VERSIONS), produced.getName());
    // The parse span names the version, and the serial it found (set once the file is read).
    SpanData parse = trace.stream().filter(s -> s.getName().equals("parse")).findFirst().orElseThrow();
    assertEquals(zone, parse.getAttributes().get(ZoneSpans.ZONE));
    assertEquals(2026112803L, parse.getAttributes().get(ZoneSpans.SERIAL), parse.toString());
  }

  @Test
  void syntaxErrorBecomesZoneLoadFailedWithFileAndLine() throws Exception {
    String zone = uniqueZone();
    Path file = Files.writeString(dir.resolve("broken.zone"), zoneText(zone, 1, "www IN A 999.1.2.3"));
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, file.toString());

    send(added, null);

    UnsignedVersionFact fact = awaitFacts(zone, 1).get(0).value();
    assertEquals(added.getMetadata().getEventId(), fact.getMetadata().getCausationId());
    ZoneLoadFailed failed = assertInstanceOf(ZoneLoadFailed.class, fact.getFact());
    assertEquals(file.toString(), failed.getSource());
    assertNotNull(failed.getFile());
    assertTrue(failed.getFile().endsWith("broken.zone"), failed.getFile());
    assertEquals(8, failed.getLine());
    assertTrue(!failed.getReason().isBlank());
  }

  /**
   * The loader's metrics (docs/operations.md, "Metrics"), scraped from /q/metrics as Prometheus would: a version sets
   * the zone's last load to success and counts the load stage, a file with an error sets it to failure and counts the
   * failure by reason, and removing the zone removes its series. Counters are shared with the other tests of the
   * class, so they are compared before and after.
   */
  @Test
  void loadsAndFailuresShowInTheMetricsAndARemovedZoneLeavesNoSeries() throws Exception {
    String zone = uniqueZone();
    Path good = Files.writeString(dir.resolve("metrics.zone"), zoneText(zone, 2026112805, "www IN A 192.0.2.14"));
    Path broken =
        Files.writeString(dir.resolve("metrics-broken.zone"), zoneText(zone, 2026112806, "www IN A 999.1.2.3"));
    Scrape before = scrape();
    long startedAt = System.currentTimeMillis() / 1000;

    send(RegistryFacts.zoneAdded(zone, good.toString()), null);
    awaitFacts(zone, 1);
    Scrape loaded = scrape();
    assertEquals(1.0, loaded.value("cascade_zone_last_load_success", "zone", zone).orElseThrow(), loaded.toString());
    double at = loaded.value("cascade_zone_last_load_timestamp_seconds", "zone", zone).orElseThrow();
    assertTrue(at >= startedAt - 1 && at <= System.currentTimeMillis() / 1000.0 + 1, "load time " + at);
    assertTrue(count(loaded, "cascade_stage_duration_seconds_count", "stage", "load")
        >= count(before, "cascade_stage_duration_seconds_count", "stage", "load") + 1, loaded.toString());
    assertTrue(count(loaded, "cascade_stage_records_total", "stage", "load")
        >= count(before, "cascade_stage_records_total", "stage", "load") + 6, loaded.toString());
    assertTrue(loaded.samples("cascade_stage_duration_seconds_bucket", "stage", "load", "le", "600.0").size() == 1,
        "the histogram has the 10-minute bucket: " + loaded);
    // The Kafka clients' own metrics, bound by Quarkus' Micrometer Kafka binder: the consumer lag among them.
    // Per consumer: what the alert CascadeConsumerLagGrowing (deploy/monitoring) reads.
    assertTrue(loaded.value("kafka_consumer_fetch_manager_records_lag_max", "client_id", "loader-1-zone-registry")
        .isPresent(), loaded.toString());

    send(RegistryFacts.reloadRequested(zone, broken.toString()), null);
    awaitFacts(zone, 2);
    Scrape failed = scrape();
    assertEquals(0.0, failed.value("cascade_zone_last_load_success", "zone", zone).orElseThrow(), failed.toString());
    assertTrue(count(failed, "cascade_failures_total", "stage", "load", "reason", "zone_file")
        >= count(loaded, "cascade_failures_total", "stage", "load", "reason", "zone_file") + 1, failed.toString());

    send(RegistryFacts.zoneRemoved(zone), null);
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .until(() -> scrape().samples("cascade_zone_last_load_success", "zone", zone).isEmpty()
            && scrape().samples("cascade_zone_last_load_timestamp_seconds", "zone", zone).isEmpty());
  }

  private static Scrape scrape() {
    return Scrape.parse(RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  private static double count(Scrape scrape, String name, String... labels) {
    return scrape.value(name, labels).orElse(0);
  }

  @Test
  void missingFileBecomesZoneLoadFailed() throws Exception {
    String zone = uniqueZone();
    String missing = dir.resolve("absent.zone").toString();

    send(RegistryFacts.zoneAdded(zone, missing), null);

    ZoneLoadFailed failed = assertInstanceOf(ZoneLoadFailed.class, awaitFacts(zone, 1).get(0).value().getFact());
    assertEquals(missing, failed.getSource());
  }

  /**
   * Facts about one zone stay in order on one partition, so the version that follows the last reload is a barrier:
   * anything the unchanged reload or the duplicate had produced would sit among the three expected facts. Each file
   * keeps its content, because the loader reads a file only when it handles the event.
   */
  @Test
  void unchangedReloadAndDuplicateEventMakeNoNewFact() throws Exception {
    String zone = uniqueZone();
    Path first = Files.writeString(dir.resolve("first.zone"), zoneText(zone, 10, "www IN A 192.0.2.10"));
    Path broken = Files.writeString(dir.resolve("broken.zone"), zoneText(zone, 11, "www IN A 999.1.2.3"));
    Path next = Files.writeString(dir.resolve("next.zone"), zoneText(zone, 12, "www IN A 192.0.2.12"));

    send(RegistryFacts.zoneAdded(zone, first.toString()), null);
    send(RegistryFacts.reloadRequested(zone, first.toString()), null);
    ZoneRegistryFact brokenReload = RegistryFacts.reloadRequested(zone, broken.toString());
    send(brokenReload, null);
    send(brokenReload, null);
    ZoneRegistryFact lastReload = RegistryFacts.reloadRequested(zone, next.toString());
    send(lastReload, null);

    List<ConsumerRecord<String, UnsignedVersionFact>> facts = awaitFacts(zone, 3);
    assertEquals(3, facts.size(), "no fact for the unchanged reload or the duplicate: " + facts);
    ZoneVersionLoaded loaded = assertInstanceOf(ZoneVersionLoaded.class, facts.get(0).value().getFact());
    ZoneLoadFailed failed = assertInstanceOf(ZoneLoadFailed.class, facts.get(1).value().getFact());
    ZoneVersionLoaded reloaded = assertInstanceOf(ZoneVersionLoaded.class, facts.get(2).value().getFact());
    assertEquals(10L, loaded.getSerial());
    assertEquals(broken.toString(), failed.getSource());
    assertEquals(brokenReload.getMetadata().getEventId(), facts.get(1).value().getMetadata().getCausationId());
    assertEquals(12L, reloaded.getSerial());
    assertEquals(lastReload.getMetadata().getEventId(), facts.get(2).value().getMetadata().getCausationId());
    assertNotEquals(loaded.getVersionId(), reloaded.getVersionId());
  }

  /**
   * A reload after one delegation changed in a zone cut into many blocks parses only the changed part of the text
   * (the loader logs which way it read the file) and announces the digest a full parse of the edited file gives.
   */
  @Test
  void aReloadAfterAOneRecordEditIsIncrementalAndAnnouncesTheFullParsesDigest() throws Exception {
    String zone = uniqueZone();
    StringBuilder delegations = new StringBuilder();
    for (int i = 0; i < 20000; i++) {
      delegations.append("d").append(i).append(" IN NS ns").append(i % 9).append(".hoster.example.\n");
    }
    Path file = Files.writeString(dir.resolve("big.zone"), zoneText(zone, 30, delegations.toString()));
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord logRecord) {
        logged.add(String.valueOf(logRecord.getMessage()) + " " + Arrays.toString(logRecord.getParameters()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(ZoneRegistryConsumer.class.getName());
    log.addHandler(handler);
    try {
      send(RegistryFacts.zoneAdded(zone, file.toString()), null);
      awaitFacts(zone, 1);
      String edited = delegations.toString().replace("d12500 IN NS ns8.", "d12500 IN NS ns0.");
      Files.writeString(file, zoneText(zone, 31, edited));
      send(RegistryFacts.reloadRequested(zone, file.toString()), null);
      List<ConsumerRecord<String, UnsignedVersionFact>> facts = awaitFacts(zone, 2);

      ZoneVersionLoaded reloaded = assertInstanceOf(ZoneVersionLoaded.class, facts.get(1).value().getFact());
      ParsedZone full = ZoneFileParser.parse(file, Name.fromString(zone), 1);
      assertEquals(31L, reloaded.getSerial());
      assertEquals(CompactRecords.ofSorted(full.records()).digest(), reloaded.getContent().getDigest());
      assertEquals(full.records().size(), reloaded.getContent().getRecordCount());
      assertTrue(logged.stream().anyMatch(m -> m.contains(zone) && m.contains("incremental parse")), logged.toString());
    } finally {
      log.removeHandler(handler);
    }
  }

  @Test
  void removedZoneIsLoadedAfreshWhenAddedAgain() throws Exception {
    String zone = uniqueZone();
    Path file = Files.writeString(dir.resolve("r.zone"), zoneText(zone, 5, "www IN A 192.0.2.10"));
    send(RegistryFacts.zoneAdded(zone, file.toString()), null);
    awaitFacts(zone, 1);

    send(RegistryFacts.zoneRemoved(zone), null);
    send(RegistryFacts.zoneAdded(zone, file.toString()), null);

    List<ConsumerRecord<String, UnsignedVersionFact>> facts = awaitFacts(zone, 2);
    ZoneVersionLoaded first = assertInstanceOf(ZoneVersionLoaded.class, facts.get(0).value().getFact());
    ZoneVersionLoaded again = assertInstanceOf(ZoneVersionLoaded.class, facts.get(1).value().getFact());
    assertEquals(5L, again.getSerial());
    assertEquals(first.getContent().getDigest(), again.getContent().getDigest());
    assertNotEquals(first.getVersionId(), again.getVersionId());
  }

  /**
   * A crash between announcing a version and recording it, as the tables would be left by it: the restore finds the
   * fact on the loader's own topic and records it, and the ZoneAdded, delivered again, loads nothing. The reload sent
   * after it is the barrier: both are on the zone's partition of the registry, in that order.
   */
  @Test
  void aVersionAnnouncedButNotRecordedIsRecordedFromTheTopicAndNeverLoadedAgain() throws Exception {
    String zone = uniqueZone();
    Path file = Files.writeString(dir.resolve("crash.zone"), zoneText(zone, 20, "www IN A 192.0.2.20"));
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, file.toString());
    send(added, null);
    ZoneVersionLoaded loaded = assertInstanceOf(ZoneVersionLoaded.class, awaitFacts(zone, 1).get(0).value().getFact());
    assertEquals(ZoneRegistryConsumer.versionId(zone, added.getMetadata().getEventId()), loaded.getVersionId(),
        "derived from the event that loaded it");

    try (Connection connection = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("delete from loader.loaded_zone where zone = '" + zone + "'");
      statement.executeUpdate(
          "delete from loader.processed_event where event_id = '" + added.getMetadata().getEventId() + "'");
    }
    assertEquals(1, restore.restore(), "the one fact the tables lacked is recorded");
    assertEquals(0, restore.restore(), "a second restore finds the tables up to date");

    send(added, null);
    Path next = Files.writeString(dir.resolve("crash-next.zone"), zoneText(zone, 21, "www IN A 192.0.2.21"));
    send(RegistryFacts.reloadRequested(zone, next.toString()), null);
    List<ConsumerRecord<String, UnsignedVersionFact>> facts = awaitFacts(zone, 2);
    assertEquals(2, facts.size(), "the first version once, then the reload's: " + facts);
    ZoneVersionLoaded reloaded = assertInstanceOf(ZoneVersionLoaded.class, facts.get(1).value().getFact());
    assertEquals(21L, reloaded.getSerial());
  }

  @Test
  void readinessReportsKafkaAndDatabase() {
    RestAssured.given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("Kafka connection health check"))
        .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
        .body("checks.name", hasItem("unsigned versions restored"));
  }
}
