package dev.cascade.keymanager.pipeline;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.RollStep;
import dev.cascade.dnssec.roll.RollStepException;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.dnssec.roll.RollType.Variant;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.DsSubmissionFact;
import dev.cascade.events.v1.DsSubmissionHookCompleted;
import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.ImportedKey;
import dev.cascade.events.v1.KeyRemovalRequested;
import dev.cascade.events.v1.KeyRollStepRequested;
import dev.cascade.events.v1.KeysetCommandGiven;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeyRollProgress;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ParentDsChangeRequested;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.PropagationChecked;
import dev.cascade.events.v1.RollAutomation;
import dev.cascade.events.v1.RollPosition;
import dev.cascade.events.v1.RollStage;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.keymanager.domain.DnskeyText;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.KeySetRows;
import dev.cascade.keymanager.persistence.StoredKeyRoll;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.keymanager.propagation.KnotServer;
import dev.cascade.testinfra.FreePort;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.RegistryFacts;
import dev.cascade.testinfra.kafka.TopicReader;
import dev.cascade.testinfra.metrics.Scrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * The roll timer with Kafka, PostgreSQL and the registry running for real: a zone whose ZSK is valid for seconds gets
 * its roll started and announced by the key manager alone, the roll then waits at its propagation while the
 * publication server does not serve the new DNSKEY RRset (none runs here: its check says so, once, on
 * cascade.roll-checks.v1), and an empty schema rebuilt from the topics gives back the same keys, uses and rolls. The
 * test profile runs the timer every second.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class RollFlowComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** The ZSK validity of the test's policy. */
  private static final long ZSK_VALIDITY_SECONDS = 5;

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

  @Inject KeySetRestore restore;
  @Inject KeySetLock lock;
  @Inject KeySetEmitter emitter;
  @Inject KeyManagerStore state;
  @Inject KeyWrap keyWrap;

  private KafkaProducer<String, ZoneRegistryFact> producer;
  private TopicReader<KeySetChanged> keySets;
  private TopicReader<PropagationChecked> checks;

  @BeforeEach
  void setUp() {
    producer = AvroClients.producer(bootstrap, registryUrl);
    keySets = TopicReader.avro(bootstrap, registryUrl, Topics.KEY_SETS);
    checks = TopicReader.avro(bootstrap, registryUrl, Topics.ROLL_CHECKS);
  }

  @AfterEach
  void tearDown() {
    producer.close();
    keySets.close();
    checks.close();
  }

  private List<ConsumerRecord<String, KeySetChanged>> awaitRecords(String zone, int n) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> keySets.recordsFor(zone), records -> records.size() >= n);
  }

  private String addZoneWithShortLivedZsk() throws Exception {
    String zone = "r" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy =
        PolicySnapshot.newBuilder(RegistryFacts.defaultPolicy()).setZskValiditySeconds(ZSK_VALIDITY_SECONDS).build();
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone,
        addedWithKeys(zone, "/zones/rolled.zone", policy))).get(30, TimeUnit.SECONDS);
    return zone;
  }

  /**
   * {@code zone} added with {@code policy} and a KSK and a ZSK (or a CSK) of its algorithm imported: keys that do all
   * their jobs from the first key set on, so that the rolls below start from a signed zone. A zone whose keys are
   * generated gets them through a roll of their own first ({@link
   * #aNewZonesFirstKeysSignAtOnceAndTheirDsIsAskedForOnlyOnceTheSignedZoneHasPropagated}).
   */
  private ZoneRegistryFact addedWithKeys(String zone, String source, PolicySnapshot policy) throws Exception {
    Name origin = Name.fromString(zone);
    List<SigningRole> roles =
        policy.getUseCsk() ? List.of(SigningRole.CSK) : List.of(SigningRole.KSK, SigningRole.ZSK);
    List<ImportedKey> keys = new ArrayList<>();
    for (SigningRole role : roles) {
      SigningKey key = KeyGenerator.generate(origin, KeyAlgorithm.parse(policy.getAlgorithm()), role.flags(),
          policy.getDnskeyTtlSeconds());
      keys.add(ImportedKey.newBuilder().setRole(role.name()).setFile("K" + key.keyTag() + ".key")
          .setDnskey(key.dnskey().toString()).setWrappedPrivateKey(ByteBuffer.wrap(keyWrap.wrap(key))).build());
    }
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, source, policy);
    ((ZoneAdded) added.getFact()).setImportedKeys(keys);
    return added;
  }

  /**
   * Reports phase {@code phase} of the zone's ZSK roll propagated, with a TTL of one second, announced and recorded as
   * the key manager does: what an operator's {@code propagationN-complete} does (no publication server runs here for
   * the checks to see; {@code DnsPropagationCheckerTest} checks them against real servers).
   */
  private void reportPropagated(String zone, int phase) {
    reportPropagated(zone, Variant.ZSK, phase);
  }

  private void reportPropagated(String zone, Variant variant, int phase) {
    lock.run(() -> {
      List<StoredZoneKey> active = state.activeKeysOf(zone);
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      KeySetState next;
      try {
        next = KeySetRows.state(active, state.rollsOf(zone))
            .apply(variant, new RollStep.PropagationComplete(phase, Duration.ofSeconds(1)), now);
      } catch (RollStepException e) {
        throw new IllegalStateException(e);
      }
      List<StoredZoneKey> keys = KeySetRows.rows(next, active);
      List<StoredKeyRoll> rolls = KeySetRows.rolls(zone, next);
      String cause = "test-report/" + UUID.randomUUID();
      emitter.keySetChanged(zone, 3600, keys, rolls, cause, now);
      state.restore(zone, cause, now, keys, rolls);
    });
  }

  private static ZoneKey key(KeySetChanged set, String reference) {
    return set.getKeys().stream().filter(k -> k.getReference().equals(reference)).findFirst().orElseThrow();
  }

  @Test
  void expiredZskIsRolledOutByItselfAndTheRollWaitsForPropagationAndSurvivesARebuild() throws Exception {
    String zone = addZoneWithShortLivedZsk();

    List<ConsumerRecord<String, KeySetChanged>> sets = awaitRecords(zone, 2);
    KeySetChanged first = sets.get(0).value();
    assertTrue(first.getRolls().isEmpty());
    for (ZoneKey key : first.getKeys()) {
      assertNotNull(key.getUse(), "every key is announced with its use");
      assertTrue(key.getUse().getPublished());
      assertEquals(key.getRole() == KeyRole.ZSK, key.getUse().getSignsZone());
      assertEquals(key.getRole() == KeyRole.KSK, key.getUse().getSignsKeys() && key.getUse().getAtParent());
    }
    ZoneKey oldZsk = first.getKeys().stream().filter(k -> k.getRole() == KeyRole.ZSK).findFirst().orElseThrow();

    KeySetChanged started = sets.get(1).value();
    assertTrue(started.getMetadata().getCausationId().startsWith("roll/"), started.getMetadata().getCausationId());
    assertEquals(1, started.getRolls().size());
    KeyRollProgress roll = started.getRolls().get(0);
    assertEquals("ZSK_PRE_PUBLISH", roll.getRollType());
    assertEquals(1, roll.getPhase());
    assertEquals(RollStage.PROPAGATION, roll.getStage());
    assertEquals(List.of(oldZsk.getReference()), roll.getOldKeys());
    assertEquals(1, roll.getNewKeys().size());
    assertEquals(3, started.getKeys().size());
    ZoneKey newZsk = key(started, roll.getNewKeys().get(0));
    assertEquals(KeyRole.ZSK, newZsk.getRole());
    assertTrue(newZsk.getUse().getPublished(), "pre-published");
    assertFalse(newZsk.getUse().getSignsZone(), "not signing before its DNSKEY has propagated");
    assertTrue(key(started, oldZsk.getReference()).getUse().getSignsZone(), "the old ZSK signs on");
    assertFalse(first.getKeys().stream().anyMatch(k -> k.getKeyTag() == newZsk.getKeyTag()));
    assertTrue(started.getMetadata().getOccurredAt().isAfter(
        oldZsk.getCreatedAt().plusSeconds(ZSK_VALIDITY_SECONDS).minusMillis(1)), "not before the ZSK expired");

    // Propagation is never reported blindly: several checks later the roll still waits, and says what for.
    Thread.sleep(3000);
    assertEquals(2, keySets.recordsFor(zone).size(), "nothing announced past start-roll");
    String waiting = "the DNSKEY RRset of " + zone + ": 127.0.0.1:4542 ";
    JsonPath before = RestAssured.given()
        .get("/keys/" + zone)
        .then()
        .statusCode(200)
        .body("rolls", hasSize(1))
        .body("rolls[0].nextStep", equalTo("propagation1-complete <ttl>"))
        .body("rolls[0].waitingFor", startsWith("Wait until the new DNSKEY RRset has propagated"))
        .body("rolls[0].newKeys", equalTo(List.of(newZsk.getKeyTag())))
        .body("rolls[0].propagationCheck.propagated", equalTo(false))
        .body("rolls[0].propagationCheck.summary", startsWith(waiting))
        .body("rolls[0].propagationCheck.expected", hasSize(3))
        .body("overdue", hasSize(0))
        .extract().jsonPath();
    // Checked every second, announced once: the outcome did not change.
    List<ConsumerRecord<String, PropagationChecked>> announced = checks.recordsFor(zone);
    assertEquals(1, announced.size(), "announced when the outcome changes only: " + announced);
    assertEquals("zsk", announced.get(0).value().getVariant());
    assertEquals(1, announced.get(0).value().getPhase());
    assertFalse(announced.get(0).value().getPropagated());
    assertTrue(announced.get(0).value().getSummary().startsWith(waiting), announced.get(0).value().getSummary());

    // Under the lock the timer takes too, so that it does not act on the half-rebuilt tables.
    lock.run(() -> {
      try (Connection connection = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
          Statement statement = connection.createStatement()) {
        statement.executeUpdate("delete from keymanager.zone_key");
        statement.executeUpdate("delete from keymanager.key_roll");
        statement.executeUpdate("delete from keymanager.zone_policy");
        statement.executeUpdate("delete from keymanager.processed_event");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      assertTrue(restore.restore() >= 2);
    });
    JsonPath rebuilt = RestAssured.get("/keys/" + zone).then().statusCode(200).extract().jsonPath();
    // The same keys, uses and roll, and the zone's policy, with no key generated; the check is repeated, so only its
    // time differs.
    for (String path : List.of("keys", "overdue", "rolls.variant", "rolls.rollType", "rolls.newKeys", "rolls.oldKeys",
        "rolls.phase", "rolls.stage", "rolls.since", "rolls.nextStep", "rolls.propagationCheck.summary")) {
      assertEquals(before.getList(path), rebuilt.getList(path), path);
    }
    Thread.sleep(3000);
    List<ConsumerRecord<String, KeySetChanged>> after = keySets.recordsFor(zone);
    assertEquals(2, after.size(), "the rebuilt roll waits as before: " + after);
  }

  /**
   * With {@code auto-report}, the roll takes {@code propagation1-complete} by itself once the zone's publication server
   * (a knotd, named by the policy's {@code publication-nameservers}) serves the new DNSKEY RRset: the zone signed with
   * the keys as the started roll left them, with the DNSKEY TTL of the policy as the TTL the caches wait for.
   */
  /**
   * The key manager's metrics (docs/operations.md, "Metrics"), scraped from /q/metrics as Prometheus would: each key
   * of the announced set with its expiry, tag and role; the roll in progress with the step it waits for, what must
   * propagate first and since when (the series the alert on a DS that never appears reads, for a DS wait); and no
   * series of a removed zone.
   */
  @Test
  void keysAndTheRollInProgressShowInTheMetricsAndARemovedZoneLeavesNoSeries() throws Exception {
    String zone = addZoneWithShortLivedZsk();
    KeySetChanged started = awaitRecords(zone, 2).get(1).value();
    KeyRollProgress roll = started.getRolls().get(0);

    Scrape scrape = Scrape.parse(RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString());
    assertEquals(3, scrape.samples("cascade_key_expiration_timestamp_seconds", "zone", zone).size(),
        scrape.toString());
    for (ZoneKey key : started.getKeys()) {
      assertEquals(key.getExpiresAt().toEpochMilli() / 1000.0,
          scrape.value("cascade_key_expiration_timestamp_seconds", "zone", zone, "key_tag",
              Integer.toString(key.getKeyTag()), "role", key.getRole().name()).orElseThrow(), scrape.toString());
    }
    assertEquals(roll.getSince().toEpochMilli() / 1000.0,
        scrape.value("cascade_zone_key_roll_step_started_timestamp_seconds", "zone", zone, "roll", "ZSK_PRE_PUBLISH",
            "step", "propagation1-complete", "waits_for", "dnskey").orElseThrow(), scrape.toString());

    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone, RegistryFacts.zoneRemoved(zone)))
        .get(30, TimeUnit.SECONDS);
    await().atMost(TIMEOUT).until(() -> {
      Scrape after = Scrape.parse(RestAssured.given().get("/q/metrics").then().extract().asString());
      return after.samples("cascade_key_expiration_timestamp_seconds", "zone", zone).isEmpty()
          && after.samples("cascade_zone_key_roll_step_started_timestamp_seconds", "zone", zone).isEmpty();
    });
  }

  @Test
  void theRollTakesItsPropagationByItselfOnceThePublicationServerServesTheNewDnskeyRrset(@TempDir Path dir)
      throws Exception {
    int port = FreePort.next();
    String zone = "p" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy = PolicySnapshot.newBuilder(RegistryFacts.defaultPolicy())
        .setZskValiditySeconds(ZSK_VALIDITY_SECONDS).setPublicationNameservers(List.of("127.0.0.1:" + port)).build();
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone,
        addedWithKeys(zone, "/zones/propagated.zone", policy))).get(30, TimeUnit.SECONDS);
    KeySetChanged started = awaitRecords(zone, 2).get(1).value();
    assertEquals(RollStage.PROPAGATION, started.getRolls().get(0).getStage());
    await().atMost(TIMEOUT).until(() -> state.activeKeysOf(zone).size() == 3);
    Thread.sleep(2000);
    assertEquals(2, keySets.recordsFor(zone).size(), "no server yet: the roll waits");

    Name origin = Name.fromString(zone);
    List<SigningKey> keys = new ArrayList<>();
    for (StoredZoneKey row : state.activeKeysOf(zone)) {
      DNSKEYRecord dnskey = DnskeyText.record(zone, row.dnskeyTtl, row.flags, row.algorithm, row.publicKey);
      keys.add(new SigningKey(dnskey, keyWrap.unwrap(row.wrappedPrivateKey, dnskey),
          new KeyUse(row.published, row.signsKeys, row.signsZone)));
    }
    Name ns = Name.fromString("ns." + zone);
    List<Record> unsigned = List.of(
        new SOARecord(origin, DClass.IN, 300, ns, Name.fromString("hostmaster." + zone), 1, 3600, 600, 864000, 300),
        new NSRecord(origin, DClass.IN, 3600, ns),
        new ARecord(ns, DClass.IN, 3600, InetAddress.getLoopbackAddress()));
    SigningPolicy signing = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, new byte[0], Duration.ofHours(1),
        Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
    List<Record> signed = new ZoneSigner(Clock.systemUTC(), 1).sign(origin, unsigned, keys,
        started.getDnskeyTtl(), signing, 1).records();

    try (KnotServer server = KnotServer.start(dir, origin, signed, port)) {
      KeySetChanged reported = awaitRecords(zone, 3).get(2).value();
      assertTrue(reported.getMetadata().getCausationId().startsWith("roll/"));
      KeyRollProgress roll = reported.getRolls().get(0);
      assertEquals(RollStage.CACHE_EXPIRY, roll.getStage());
      assertEquals(1, roll.getPhase());
      assertEquals(started.getDnskeyTtl(), roll.getTtlSeconds(), "the DNSKEY TTL the server served");
      await().atMost(TIMEOUT).until(() -> checks.recordsFor(zone).stream().anyMatch(r -> r.value().getPropagated()));
    }
  }

  /**
   * Once propagation is reported (here by the test, as an operator would), the key manager takes the rest of the
   * roll by itself: cache-expired1, then cache-expired2 and roll-done, after which the old ZSK is retired and kept.
   */
  /**
   * Issue 14 items 5 and 6: the zone's first keys, imported, request their DS of the parent at once; a KSK roll entering its DS phase
   * requests the new DS RRset (the new KSK's DS to add, the old one's to remove) in the transaction of the key set it
   * follows from, and that key set carries the new KSK's CDS and CDNSKEY, which the key sets before it lack; the
   * policy's hook runs for each request, a real {@code sh -c} with the records in its environment, and its outcome
   * is written after it.
   */
  @Test
  void aKskRollEnteringItsDsPhaseRequestsTheNewDsRunsTheHookAndPublishesCds(@TempDir Path dir) throws Exception {
    String zone = "k" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    Path seen = dir.resolve("hook.log");
    PolicySnapshot policy = PolicySnapshot.newBuilder(RegistryFacts.defaultPolicy()).setKskValiditySeconds(5)
        .setDsSubmitHook("printf '%s|%s|%s|%s\\n' \"$CASCADE_ZONE\" \"$CASCADE_DS\" \"$CASCADE_DS_ADD\""
            + " \"$CASCADE_DS_REMOVE\" >> " + seen + "; echo submitted to \"$CASCADE_PARENT\"")
        .build();
    try (TopicReader<DsSubmissionFact> submissions =
        TopicReader.avro(bootstrap, registryUrl, Topics.DS_SUBMISSIONS)) {
      producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone,
          addedWithKeys(zone, "/zones/ksk.zone", policy))).get(30, TimeUnit.SECONDS);
      List<ConsumerRecord<String, KeySetChanged>> sets = awaitRecords(zone, 2);
      KeySetChanged first = sets.get(0).value();
      String oldKsk = first.getKeys().stream().filter(k -> k.getRole() == KeyRole.KSK).findFirst().orElseThrow()
          .getReference();
      List<DsSubmissionFact> initial = awaitFacts(submissions, zone, 2);
      ParentDsChangeRequested firstRequest = (ParentDsChangeRequested) initial.get(0).getFact();
      assertEquals(first.getMetadata().getEventId(), firstRequest.getKeySetEventId());
      assertEquals("example.", firstRequest.getParent());
      assertEquals("the zone's first keys", firstRequest.getCause());
      assertEquals(1, firstRequest.getDs().size());
      assertEquals(firstRequest.getDs(), firstRequest.getAdd());
      assertEquals(List.of(), firstRequest.getRemove());
      DsSubmissionHookCompleted firstRun = (DsSubmissionHookCompleted) initial.get(1).getFact();
      assertEquals(initial.get(0).getMetadata().getEventId(), firstRun.getRequestEventId());
      assertEquals(0, firstRun.getExitCode());
      assertEquals("submitted to example.\n", firstRun.getOutput());

      KeySetChanged started = sets.get(1).value();
      assertEquals("KSK_DOUBLE_SIGNATURE", started.getRolls().get(0).getRollType());
      assertEquals(List.of(), started.getCdsAndCdnskey(), "phase 1 changes the DNSKEY RRset, not the DS");
      String newKsk = started.getRolls().get(0).getNewKeys().get(0);

      reportPropagated(zone, Variant.KSK, 1);
      KeySetChanged dsPhase = awaitRecords(zone, 4).get(3).value();
      assertEquals(2, dsPhase.getRolls().get(0).getPhase());
      assertTrue(key(dsPhase, newKsk).getUse().getAtParent());
      assertFalse(key(dsPhase, oldKsk).getUse().getAtParent());
      assertEquals(List.of("CDS", "CDNSKEY"), dsPhase.getCdsAndCdnskey().stream()
          .map(text -> text.split("\\s+")[3]).sorted(Comparator.reverseOrder()).toList());
      assertTrue(dsPhase.getCdsAndCdnskey().stream().anyMatch(text -> text.startsWith(zone)
          && text.contains("CDS\t" + key(dsPhase, newKsk).getKeyTag() + " 13 2 ")),
          dsPhase.getCdsAndCdnskey().toString());

      List<DsSubmissionFact> all = awaitFacts(submissions, zone, 4);
      ParentDsChangeRequested swap = (ParentDsChangeRequested) all.get(2).getFact();
      assertEquals(dsPhase.getMetadata().getEventId(), swap.getKeySetEventId());
      assertTrue(swap.getCause().contains("ksk roll (KSK_DOUBLE_SIGNATURE) entered phase 2"), swap.getCause());
      assertEquals(swap.getDs(), swap.getAdd());
      assertEquals(firstRequest.getDs(), swap.getRemove());
      assertTrue(swap.getAdd().get(0).contains("DS\t" + key(dsPhase, newKsk).getKeyTag() + " 13 2 "));
      assertEquals(0, ((DsSubmissionHookCompleted) all.get(3).getFact()).getExitCode());
      assertEquals(List.of(
              zone + "|" + firstRequest.getDs().get(0) + "|" + firstRequest.getDs().get(0) + "|",
              zone + "|" + swap.getDs().get(0) + "|" + swap.getDs().get(0) + "|" + firstRequest.getDs().get(0)),
          Files.readAllLines(seen));
    }
  }

  /**
   * A zone whose keys are generated gets its KSK through a roll of its own (KSK_INITIAL), driven here by the
   * operator's steps: the first key set publishes both keys and has them sign, but puts no DS at the parent, asks the
   * parent for nothing and offers no CDS; only the step that ends the wait for the caches (cache-expired1) asks for the KSK's DS
   * and offers its CDS; roll-done leaves both keys doing all their jobs.
   */
  @Test
  void aNewZonesFirstKeysSignAtOnceAndTheirDsIsAskedForOnlyOnceTheSignedZoneHasPropagated() throws Exception {
    String zone = "f" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy = PolicySnapshot.newBuilder(RegistryFacts.defaultPolicy())
        .setKskAutomation(new RollAutomation(false, false, false, false)).build();
    try (TopicReader<DsSubmissionFact> submissions = TopicReader.avro(bootstrap, registryUrl, Topics.DS_SUBMISSIONS);
        KafkaProducer<String, KeysetCommandGiven> commands = AvroClients.producer(bootstrap, registryUrl)) {
      producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone,
          RegistryFacts.zoneAdded(zone, "/zones/first.zone", policy))).get(30, TimeUnit.SECONDS);
      KeySetChanged first = awaitRecords(zone, 1).get(0).value();
      KeyRollProgress roll = first.getRolls().get(0);
      assertEquals("KSK_INITIAL", roll.getRollType());
      assertEquals(List.of(), roll.getOldKeys());
      ZoneKey ksk = first.getKeys().stream().filter(k -> k.getRole() == KeyRole.KSK).findFirst().orElseThrow();
      ZoneKey zsk = first.getKeys().stream().filter(k -> k.getRole() == KeyRole.ZSK).findFirst().orElseThrow();
      assertTrue(ksk.getUse().getPublished() && ksk.getUse().getSignsKeys(), "the KSK signs the DNSKEY RRset");
      assertEquals(List.of(ksk.getReference()), roll.getNewKeys(), "the ZSK is in no roll");
      assertTrue(zsk.getUse().getPublished() && zsk.getUse().getSignsZone(), "the ZSK signs the zone");
      assertFalse(ksk.getUse().getAtParent(), "no DS yet");
      assertEquals(List.of(), first.getCdsAndCdnskey());

      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone,
          step(zone, "ksk", "propagation1-complete", 0L))).get(30, TimeUnit.SECONDS);
      assertEquals(RollStage.CACHE_EXPIRY, awaitRecords(zone, 2).get(1).value().getRolls().get(0).getStage());
      assertEquals(List.of(), submissions.recordsFor(zone), "nothing asked of the parent");

      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone, step(zone, "ksk", "cache-expired1", null)))
          .get(30, TimeUnit.SECONDS);
      KeySetChanged dsPhase = awaitRecords(zone, 3).get(2).value();
      assertEquals(2, dsPhase.getRolls().get(0).getPhase());
      assertTrue(key(dsPhase, ksk.getReference()).getUse().getAtParent());
      assertTrue(dsPhase.getCdsAndCdnskey().stream().anyMatch(text -> text.contains("CDS\t" + ksk.getKeyTag() + " ")),
          dsPhase.getCdsAndCdnskey().toString());
      ParentDsChangeRequested request = (ParentDsChangeRequested) awaitFacts(submissions, zone, 1).get(0).getFact();
      assertEquals(dsPhase.getMetadata().getEventId(), request.getKeySetEventId());
      assertEquals(1, request.getDs().size());
      assertTrue(request.getDs().get(0).contains("DS\t" + ksk.getKeyTag() + " 13 2 "), request.getDs().toString());

      for (KeysetCommandGiven next : List.of(step(zone, "ksk", "propagation2-complete", 0L),
          step(zone, "ksk", "cache-expired2", null), step(zone, "ksk", "roll-done", null))) {
        commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone, next)).get(30, TimeUnit.SECONDS);
      }
      KeySetChanged done = awaitRecords(zone, 6).get(5).value();
      assertEquals(List.of(), done.getRolls());
      assertEquals(2, done.getKeys().size());
      assertTrue(key(done, ksk.getReference()).getUse().getAtParent());
      assertTrue(key(done, zsk.getReference()).getUse().getSignsZone());
      assertEquals(1, submissions.recordsFor(zone).size(), "one request: the first DS");
    }
  }

  private static List<DsSubmissionFact> awaitFacts(TopicReader<DsSubmissionFact> reader, String zone, int n) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> reader.recordsFor(zone), records -> records.size() >= n)
        .stream().map(ConsumerRecord::value).toList();
  }

  @Test
  void oncePropagationIsReportedTheRollRunsToItsEndAndTheOldZskIsRetiredAndKept() throws Exception {
    String zone = addZoneWithShortLivedZsk();
    KeySetChanged started = awaitRecords(zone, 2).get(1).value();
    KeyRollProgress roll = started.getRolls().get(0);
    String oldZsk = roll.getOldKeys().get(0);
    String newZsk = roll.getNewKeys().get(0);

    reportPropagated(zone, 1);
    KeySetChanged expired1 = awaitRecords(zone, 4).get(3).value();
    assertTrue(expired1.getMetadata().getCausationId().startsWith("roll/"));
    assertEquals(2, expired1.getRolls().get(0).getPhase());
    assertTrue(key(expired1, newZsk).getUse().getSignsZone());
    assertFalse(key(expired1, oldZsk).getUse().getSignsZone());
    assertTrue(key(expired1, oldZsk).getUse().getPublished(), "published while caches may hold its signatures");

    reportPropagated(zone, 2);
    List<ConsumerRecord<String, KeySetChanged>> sets = awaitRecords(zone, 7);
    KeySetChanged expired2 = sets.get(5).value();
    assertEquals(RollStage.DONE, expired2.getRolls().get(0).getStage());
    assertFalse(key(expired2, oldZsk).getUse().getPublished());
    KeySetChanged done = sets.get(6).value();
    assertTrue(done.getRolls().isEmpty());
    assertEquals(2, done.getKeys().size());
    assertFalse(done.getKeys().stream().anyMatch(k -> k.getReference().equals(oldZsk)));
    // The key manager records a key set once its announcement is committed: the tables follow the topic shortly.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.given()
        .get("/keys/" + zone)
        .then()
        .statusCode(200)
        .body("keys.find { it.reference == '" + oldZsk + "' }.state", equalTo("retired"))
        .body("keys.find { it.reference == '" + newZsk + "' }.state", equalTo("active")));
  }

  /**
   * A ZSK roll another key manager began ({@code cascade migrate opendnssec}): the old ZSK signing, the new one
   * published and not signing yet. The key manager takes it over at phase 1, announces the keys as they are, and
   * the roll goes on from there to the swap.
   */
  @Test
  void aZskRollTakenOverHalfWayGoesOnFromThePhaseItsKeysAreIn() throws Exception {
    String zone = "t" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy = RegistryFacts.defaultPolicy();
    ZoneRegistryFact added = addedWithKeys(zone, "/zones/taken.zone", policy);
    ZoneAdded fact = (ZoneAdded) added.getFact();
    List<ImportedKey> keys = new ArrayList<>(fact.getImportedKeys());
    ImportedKey oldZsk = ImportedKey.newBuilder(keys.get(1))
        .setRollPosition(position("old", true, false, true, false)).build();
    SigningKey newZsk = KeyGenerator.generate(Name.fromString(zone), KeyAlgorithm.parse(policy.getAlgorithm()),
        SigningRole.ZSK.flags(), policy.getDnskeyTtlSeconds());
    keys.set(1, oldZsk);
    keys.add(ImportedKey.newBuilder().setRole("ZSK").setFile("K" + newZsk.keyTag() + ".key")
        .setDnskey(newZsk.dnskey().toString()).setWrappedPrivateKey(ByteBuffer.wrap(keyWrap.wrap(newZsk)))
        .setRollPosition(position("new", true, false, false, false)).build());
    fact.setImportedKeys(keys);
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone, added)).get(30, TimeUnit.SECONDS);

    KeySetChanged taken = awaitRecords(zone, 1).get(0).value();
    assertEquals(1, taken.getRolls().size(), "the ZSK roll is taken over, no other starts");
    KeyRollProgress roll = taken.getRolls().get(0);
    assertEquals("ZSK_PRE_PUBLISH", roll.getRollType(), "the policy's ZSK roll type fits the keys");
    assertEquals(1, roll.getPhase());
    assertEquals(RollStage.PROPAGATION, roll.getStage(), "Cascade checks the propagation again for itself");
    ZoneKey arriving = key(taken, roll.getNewKeys().get(0));
    assertEquals(newZsk.keyTag(), arriving.getKeyTag());
    assertTrue(arriving.getUse().getPublished());
    assertFalse(arriving.getUse().getSignsZone(), "not signing before its DNSKEY is in every cache");
    assertTrue(key(taken, roll.getOldKeys().get(0)).getUse().getSignsZone());

    reportPropagated(zone, 1);
    KeySetChanged swapped = awaitRecords(zone, 3).get(2).value();
    assertEquals(2, swapped.getRolls().get(0).getPhase());
    assertTrue(key(swapped, roll.getNewKeys().get(0)).getUse().getSignsZone());
    assertFalse(key(swapped, roll.getOldKeys().get(0)).getUse().getSignsZone());
  }

  private static RollPosition position(String part, boolean published, boolean signsKeys,
      boolean signsZone, boolean atParent) {
    return RollPosition.newBuilder().setPart(part).setPublished(published)
        .setSignsKeys(signsKeys).setSignsZone(signsZone).setAtParent(atParent).build();
  }

  /**
   * auto-remove: with a delay of one second, the old ZSK of a finished roll is removed, its wrapped private key gone
   * from the table and its row kept; the new ZSK, in the key set, is not.
   */
  @Test
  void anOldKeyIsRemovedOnceItsAutoRemoveDelayHasPassed() throws Exception {
    String zone = "a" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy = PolicySnapshot.newBuilder(RegistryFacts.defaultPolicy())
        .setZskValiditySeconds(ZSK_VALIDITY_SECONDS).setAutoRemoveDelaySeconds(1).build();
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone,
        addedWithKeys(zone, "/zones/removed.zone", policy))).get(30, TimeUnit.SECONDS);
    KeyRollProgress roll = awaitRecords(zone, 2).get(1).value().getRolls().get(0);
    String oldZsk = roll.getOldKeys().get(0);
    String newZsk = roll.getNewKeys().get(0);
    reportPropagated(zone, 1);
    awaitRecords(zone, 4);
    reportPropagated(zone, 2);
    assertTrue(awaitRecords(zone, 7).get(6).value().getRolls().isEmpty(), "the roll is done");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.given()
        .get("/keys/" + zone)
        .then()
        .statusCode(200)
        .body("keys.find { it.reference == '" + oldZsk + "' }.state", equalTo("removed"))
        .body("keys.find { it.reference == '" + newZsk + "' }.state", equalTo("active")));
    try (Connection db = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT id, length(wrapped_private_key), removed_at IS NOT NULL FROM "
            + "keymanager.zone_key WHERE zone = '" + zone + "'")) {
      boolean kept = false;
      while (rows.next()) {
        boolean old = StoredZoneKey.reference(rows.getString(1)).equals(oldZsk);
        assertEquals(old, rows.getInt(2) == 0, "only the removed key lost its private key");
        assertEquals(old, rows.getBoolean(3));
        kept |= old;
      }
      assertTrue(kept, "the removed key's row is kept");
    }
  }

  /**
   * A policy change (policy reload, zone set-policy: a ZoneReloadRequested that carries the policy) to another
   * algorithm and DNSKEY TTL: the key set is announced again with the new TTL, and the roll timer starts the algorithm
   * roll, with a new KSK and ZSK of the new algorithm.
   */
  @Test
  void aPolicyWithAnotherAlgorithmStartsAnAlgorithmRoll() throws Exception {
    String zone = "p" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone,
        addedWithKeys(zone, "/zones/p.zone", RegistryFacts.defaultPolicy()))).get(30, TimeUnit.SECONDS);
    KeySetChanged added = awaitRecords(zone, 1).get(0).value();
    assertEquals(Set.of(Algorithms.ECDSAP256SHA256),
        added.getKeys().stream().map(ZoneKey::getAlgorithm).collect(Collectors.toSet()));

    PolicySnapshot ed25519 = PolicySnapshot.newBuilder(RegistryFacts.defaultPolicy()).setAlgorithm("ED25519")
        .setDnskeyTtlSeconds(600).build();
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone,
        RegistryFacts.policyChanged(zone, "/zones/p.zone", ed25519))).get(30, TimeUnit.SECONDS);

    List<ConsumerRecord<String, KeySetChanged>> sets = awaitRecords(zone, 3);
    assertEquals(600, sets.get(1).value().getDnskeyTtl(), "the new DNSKEY TTL is announced at once");
    KeySetChanged started = sets.get(2).value();
    assertEquals(1, started.getRolls().size());
    KeyRollProgress roll = started.getRolls().get(0);
    assertEquals(RollType.ALGORITHM.name(), roll.getRollType());
    assertEquals(2, roll.getNewKeys().size());
    for (String id : roll.getNewKeys()) {
      assertEquals(Algorithms.ED25519, key(started, id).getAlgorithm());
    }
    assertEquals(2, roll.getOldKeys().size());
  }

  /**
   * A key imported without its private half (another signer's ZSK, RFC 8901) is announced published and signing
   * nothing, stays so through a ZSK roll that never counts it as the zone's ZSK, and leaves the key set by remove-key
   * without touching the roll.
   */
  @Test
  void aPublicOnlyKeyStaysPublishedThroughARollAndLeavesByRemoveKey() throws Exception {
    String zone = "m" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy = PolicySnapshot.newBuilder(RegistryFacts.defaultPolicy())
        .setZskAutomation(new RollAutomation(false, false, false, false)).build();
    SigningKey others = KeyGenerator.generate(Name.fromString(zone), KeyAlgorithm.of(Algorithms.ECDSAP256SHA256),
        SigningRole.ZSK.flags(), 3600);
    ZoneRegistryFact added = addedWithKeys(zone, "/zones/m.zone", policy);
    ((ZoneAdded) added.getFact()).getImportedKeys().add(ImportedKey.newBuilder().setRole("ZSK")
        .setFile("Kother.key").setDnskey(others.dnskey().toString()).setWrappedPrivateKey(null).build());
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone, added)).get(30, TimeUnit.SECONDS);
    KeySetChanged first = awaitRecords(zone, 1).get(0).value();
    assertEquals(3, first.getKeys().size(), "the zone's KSK and ZSK, and the public key");
    ZoneKey published = first.getKeys().stream().filter(k -> k.getKeyTag() == others.keyTag()).findFirst()
        .orElseThrow();
    assertEquals(0, published.getWrappedPrivateKey().remaining());
    assertNull(published.getPrivateKeyUri());
    assertTrue(published.getUse().getPublished());
    assertFalse(published.getUse().getSignsKeys() || published.getUse().getSignsZone(), "signs nothing");
    assertNull(published.getExpiresAt());

    try (KafkaProducer<String, KeysetCommandGiven> commands = AvroClients.producer(bootstrap, registryUrl)) {
      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone, step(zone, "zsk", "start-roll", null)))
          .get(30, TimeUnit.SECONDS);
      KeySetChanged started = awaitRecords(zone, 2).get(1).value();
      KeyRollProgress roll = started.getRolls().get(0);
      assertFalse(roll.getOldKeys().contains(published.getReference()), "the public key is not the zone's ZSK");
      assertEquals(published.getUse(), key(started, published.getReference()).getUse());

      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone,
          command(zone, new KeyRemovalRequested(published.getReference(), false, false)))).get(30, TimeUnit.SECONDS);
      KeySetChanged removed = awaitRecords(zone, 3).get(2).value();
      assertTrue(removed.getKeys().stream().noneMatch(k -> k.getKeyTag() == others.keyTag()));
      assertEquals(started.getRolls(), removed.getRolls(), "the roll goes on as it was");
    }
  }

  private static KeysetCommandGiven command(String zone, Object fact) {
    return KeysetCommandGiven.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), "review-gateway", null))
        .setZone(zone)
        .setFact(fact)
        .build();
  }

  private static KeysetCommandGiven step(String zone, String variant, String step, Long ttlSeconds) {
    return command(zone, new KeyRollStepRequested(variant, step, ttlSeconds));
  }

  /**
   * A ZSK roll with every automatic step off is driven by the operator's keyset commands alone, as review-gateway
   * writes them: each step is announced with the command as cause, waits for the next command, and is taken once
   * however often the command is delivered. A step out of order and the removal of a key in use are set aside on the
   * dead-letter topic at once, with the state machine's reason, and change nothing.
   */
  @Test
  void anOperatorsKeysetCommandsDriveARollThatWaitsForThemAndAStepOutOfOrderIsSetAsideWithTheReason()
      throws Exception {
    String zone = "o" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
    PolicySnapshot policy = PolicySnapshot.newBuilder(RegistryFacts.defaultPolicy())
        .setZskAutomation(new RollAutomation(false, false, false, false)).build();
    producer.send(new ProducerRecord<>(Topics.ZONE_REGISTRY, zone,
        addedWithKeys(zone, "/zones/operated.zone", policy))).get(30, TimeUnit.SECONDS);
    KeySetChanged first = awaitRecords(zone, 1).get(0).value();
    ZoneKey oldZsk = first.getKeys().stream().filter(k -> k.getRole() == KeyRole.ZSK).findFirst().orElseThrow();
    ZoneKey ksk = first.getKeys().stream().filter(k -> k.getRole() == KeyRole.KSK).findFirst().orElseThrow();

    try (KafkaProducer<String, KeysetCommandGiven> commands = AvroClients.producer(bootstrap, registryUrl);
        TopicReader<EventDeadLettered> deadLetters =
            TopicReader.avro(bootstrap, registryUrl, Topics.deadLetters("keymanager"))) {
      KeysetCommandGiven early = step(zone, "zsk", "cache-expired1", null);
      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone, early)).get(30, TimeUnit.SECONDS);
      EventDeadLettered refused = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> deadLetters.recordsFor(zone), letters -> !letters.isEmpty()).get(0).value();
      assertEquals(early.getMetadata().getEventId(), refused.getMetadata().getCausationId());
      assertEquals(Topics.KEYSET_COMMANDS, refused.getTopic());
      assertEquals("KeyRollStepRequested", refused.getEventType());
      assertEquals("no zsk roll is in progress", refused.getReason());
      assertEquals(1, refused.getAttempts(), "refused at once, not retried");

      KeysetCommandGiven start = step(zone, "zsk", "start-roll", null);
      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone, start)).get(30, TimeUnit.SECONDS);
      KeySetChanged started = awaitRecords(zone, 2).get(1).value();
      assertEquals(start.getMetadata().getEventId(), started.getMetadata().getCausationId());
      KeyRollProgress roll = started.getRolls().get(0);
      assertEquals("ZSK_PRE_PUBLISH", roll.getRollType());
      assertEquals(RollStage.PROPAGATION, roll.getStage());
      assertEquals(List.of(oldZsk.getReference()), roll.getOldKeys());
      String newZsk = roll.getNewKeys().get(0);
      assertTrue(key(started, newZsk).getUse().getPublished());
      assertFalse(key(started, newZsk).getUse().getSignsZone());

      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone,
          step(zone, "zsk", "propagation1-complete", 0L))).get(30, TimeUnit.SECONDS);
      KeySetChanged propagated = awaitRecords(zone, 3).get(2).value();
      assertEquals(RollStage.CACHE_EXPIRY, propagated.getRolls().get(0).getStage());
      KeysetCommandGiven removeKsk = command(zone, new KeyRemovalRequested(ksk.getReference(), false, false));
      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone, removeKsk)).get(30, TimeUnit.SECONDS);
      // The same start delivered again: already applied, nothing happens.
      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone, start)).get(30, TimeUnit.SECONDS);
      EventDeadLettered inUse = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> deadLetters.recordsFor(zone), letters -> letters.size() >= 2).get(1).value();
      assertEquals(removeKsk.getMetadata().getEventId(), inUse.getMetadata().getCausationId());
      assertTrue(inUse.getReason().startsWith("key " + StoredZoneKey.idOf(ksk.getReference())
          + " is still published, signing the DNSKEY RRset, at the parent (DS); --force removes it anyway"),
          inUse.getReason());

      // auto-expire is off: three roll checks later the roll still waits for the operator's cache-expired1.
      Thread.sleep(3000);
      assertEquals(3, keySets.recordsFor(zone).size(), "nothing taken without the operator, nor twice");
      assertEquals(2, deadLetters.recordsFor(zone).size());

      KeysetCommandGiven expired = step(zone, "zsk", "cache-expired1", null);
      commands.send(new ProducerRecord<>(Topics.KEYSET_COMMANDS, zone, expired)).get(30, TimeUnit.SECONDS);
      KeySetChanged phase2 = awaitRecords(zone, 4).get(3).value();
      assertEquals(expired.getMetadata().getEventId(), phase2.getMetadata().getCausationId());
      assertEquals(2, phase2.getRolls().get(0).getPhase());
      assertTrue(key(phase2, newZsk).getUse().getSignsZone());
      assertFalse(key(phase2, oldZsk.getReference()).getUse().getSignsZone());
    }
  }
}
