package dev.cascade.signer.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.content.ContentReader;
import dev.cascade.content.ContentWriter;
import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.DsDigest;
import dev.cascade.dnssec.parent.ParentRecords;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.verify.ExpectedKeys;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.VerifiedSignatures;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.CanonicalOrder;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.DenialKind;
import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.KeyUse;
import dev.cascade.events.v1.PipelineStep;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.ProgressUnit;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewMode;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SerialPolicyKind;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.SigningTrigger;
import dev.cascade.events.v1.StepPhase;
import dev.cascade.events.v1.StepProgressed;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneSigningFailed;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.kafka.TopicHistory;
import dev.cascade.service.messaging.ConsumedEvent;
import dev.cascade.service.messaging.FactTransactions;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.LaterVersion;
import dev.cascade.signer.domain.ResignTiming;
import dev.cascade.signer.domain.SignedHead;
import dev.cascade.signer.domain.SigningCause;
import dev.cascade.signer.domain.SigningStatus;
import dev.cascade.signer.domain.WrappedKey;
import dev.cascade.signer.persistence.SignerStore;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.SchemaContents;
import dev.cascade.testinfra.kafka.ConsumerGroups;
import dev.cascade.testinfra.kafka.RegistryFacts;
import dev.cascade.testinfra.kafka.TopicReader;
import dev.cascade.testinfra.metrics.Scrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The running signer: zone policy, key set (generated here and wrapped with the %test key-encryption key), an
 * unsigned version written with ContentWriter, and an approval go in on the real topics; a signed version that
 * verifies independently, or a precise failure, comes out. A later version is signed incrementally, and signatures
 * that fall due (the clock moved on, {@link AdjustableClock}) give a new signed version, unless a newer version is
 * still on its way to being signed (until the safety valve opens).
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class SignerPipelineComponentTest {

  /** The %test profile's key-encryption key (application.properties). */
  private static final byte[] TEST_KEK =
      Base64.getDecoder().decode("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Inject SignerStore store;
  @Inject SigningService signing;
  @Inject SignedVersionRestore restore;
  @Inject AdjustableClock clock;
  @Inject SignerRebuild rebuild;
  @Inject Flyway flyway;
  @Inject FactTransactions transactions;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String databaseUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String databaseUser;

  @ConfigProperty(name = "quarkus.datasource.password")
  String databasePassword;

  @Test
  void aSecondVersionIsSignedIncrementallyFromTheFirst() throws Exception {
    String zone = "incremental.test.";
    List<SigningKey> keys = keys(zone);
    String first = UUID.randomUUID().toString();
    ZoneVersionSigned firstSigned = signedFirstVersion(zone, first, 100, keys);
    assertEquals(0, firstSigned.getStats().getReusedRrsigCount(), "the first version is signed in full");
    assertEquals(SigningTrigger.LOADED, firstSigned.getTrigger());

    String second = UUID.randomUUID().toString();
    ContentLocation content = writeUnsigned(zone, second, 101, "ftp." + zone + " 3600 IN A 192.0.2.21\n");
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, second, 101, content), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, second, 101), null);

    ZoneVersionSigned signed = (ZoneVersionSigned) awaitSigned(zone, second).value().getFact();
    assertTrue(signed.getStats().getReusedRrsigCount() > 0, "RRSIGs of unchanged RRsets are carried over");
    assertTrue(signed.getStats().getReusedRrsigCount() < signed.getStats().getRrsigCount());
    assertEquals(SigningTrigger.LOADED, signed.getTrigger());
    assertNull(signed.getUnsignedVersionId(), "a loaded version is signed under its own id");
    assertTrue(signed.getSignedSerial() > firstSigned.getSignedSerial());
    assertSignedContentVerifies(zone, second, signed, keys, Instant.now());
  }

  /**
   * A signing that lasts reports its progress on cascade.sign-progress.v1 under the signed version's id: the records
   * read, signed, checked by the gate and written, of the zone's. The test profile reports every 20 ms, so a zone of
   * 5,000 names is enough to be seen (the 1 s default and "nothing before it" are ProgressThrottleTest's).
   */
  @Test
  void aLongSigningReportsItsProgress() throws Exception {
    String zone = "progress.test.";
    StringBuilder hosts = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      hosts.append("h").append(i).append('.').append(zone).append(" 3600 IN A 192.0.2.").append(i % 250).append('\n');
    }
    String versionId = UUID.randomUUID().toString();
    Bus.send(Topics.ZONE_REGISTRY, zone, zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, keys(zone), TEST_KEK), null);
    ContentLocation content = writeUnsigned(zone, versionId, 100, hosts.toString());
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, versionId, 100, content), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, versionId, 100), null);
    awaitSigned(zone, versionId);

    try (TopicReader<StepProgressed> topic = TopicReader.avro(Bus.bootstrap(), Bus.registry(), Topics.SIGN_PROGRESS)) {
      List<StepProgressed> reports = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> topic.recordsFor(zone).stream().map(ConsumerRecord::value).toList(),
              found -> found.stream().anyMatch(
                  p -> p.getPhase() == StepPhase.SIGN || p.getPhase() == StepPhase.VERIFY));
      for (StepProgressed p : reports) {
        assertEquals(versionId, p.getVersionId(), p.toString());
        assertEquals(PipelineStep.SIGN, p.getStep(), p.toString());
        assertEquals(ProgressUnit.RECORDS, p.getUnit(), p.toString());
        assertEquals("signer", p.getMetadata().getProducer(), p.toString());
        assertTrue(p.getDone() > 0 && p.getDone() <= p.getTotal(), p.toString());
        assertTrue(p.getTotal() >= content.getRecordCount(), "a phase counts the whole zone: " + p);
      }
    }
  }

  @Test
  void aSmallChangeGoesOutAsItsSignedDifferenceFromTheLastSignedVersion() throws Exception {
    String zone = "difference.test.";
    List<SigningKey> keys = keys(zone);
    StringBuilder hosts = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      hosts.append("h").append(i).append('.').append(zone).append(" 3600 IN A 192.0.2.").append(i).append('\n');
    }
    String first = UUID.randomUUID().toString();
    Bus.send(Topics.ZONE_REGISTRY, zone, zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, keys, TEST_KEK), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, zone,
        loaded(zone, first, 100, writeUnsigned(zone, first, 100, hosts.toString())), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, first, 100), null);
    ZoneVersionSigned firstSigned = (ZoneVersionSigned) awaitSigned(zone, first).value().getFact();
    assertNull(firstSigned.getContent().getBase(), "the first version goes out whole");

    String second = UUID.randomUUID().toString();
    ContentLocation content = writeUnsigned(zone, second, 101, hosts + "h100." + zone + " 3600 IN A 192.0.2.100\n");
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, second, 101, content), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, second, 101), null);

    ZoneVersionSigned signed = (ZoneVersionSigned) awaitSigned(zone, second).value().getFact();
    ContentLocation written = signed.getContent();
    assertEquals(first, written.getBase(), "written as its difference from the first signed version");
    assertEquals(1, written.getChain().size());
    CompactDiff difference;
    try (ContentReader reader = new ContentReader(Bus.consumerConfig())) {
      difference = reader.readDifference(written, zone, second);
    }
    assertTrue(difference.added().toRecords().stream().anyMatch(r -> r.getName().toString().startsWith("h100.")));
    assertTrue(difference.size() < written.getRecordCount() / 5, difference.size() + " records in the difference");
    assertSignedContentVerifies(zone, second, signed, keys, Instant.now());
  }

  @Test
  void aNewKeySetReSignsTheLastSignedVersion() throws Exception {
    String zone = "rekeyed.test.";
    String versionId = UUID.randomUUID().toString();
    ZoneVersionSigned loaded = signedFirstVersion(zone, versionId, 900, keys(zone));

    List<SigningKey> newKeys = keys(zone);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, newKeys, TEST_KEK), null);

    ZoneVersionSigned rekeyed =
        (ZoneVersionSigned)
            Bus.await(
                    Topics.SIGNED_VERSIONS,
                    (SignedVersionFact fact) ->
                        fact.getZone().equals(zone)
                            && fact.getFact() instanceof ZoneVersionSigned s
                            && s.getTrigger() == SigningTrigger.KEYS_CHANGED,
                    TIMEOUT)
                .value()
                .getFact();
    assertEquals(versionId, rekeyed.getUnsignedVersionId());
    assertNotEquals(versionId, rekeyed.getVersionId());
    assertTrue(rekeyed.getSignedSerial() > loaded.getSignedSerial());
    assertSignedContentVerifies(zone, rekeyed.getVersionId(), rekeyed, newKeys, Instant.now());
  }

  /**
   * A key set in a roll's phase is signed as the phase asks: a pre-published ZSK is in the DNSKEY RRset and makes no
   * RRSIG; the next phase, the same keys with other uses, re-signs the zone as a new key set does, with the new ZSK
   * signing in the old one's stead.
   */
  @Test
  void aPrePublishedZskIsInTheDnskeyRrsetAndSignsNothingUntilItsUseChanges() throws Exception {
    String zone = "prepublished.test.";
    String versionId = UUID.randomUUID().toString();
    List<SigningKey> keys = keys(zone);
    signedFirstVersion(zone, versionId, 700, keys);

    List<SigningKey> prePublished = prePublishing(zone, keys);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, prePublished, TEST_KEK), null);
    ZoneVersionSigned first = awaitResigned(zone, SigningTrigger.KEYS_CHANGED);
    assertSignedContentVerifies(zone, first.getVersionId(), first, prePublished, Instant.now());
    List<Record> records = signedRecords(zone, first);
    int oldZsk = keys.get(1).keyTag();
    int newZsk = prePublished.get(2).keyTag();
    assertEquals(Set.of(keys.get(0).keyTag(), oldZsk, newZsk), records.stream().filter(r -> r instanceof DNSKEYRecord)
        .map(r -> ((DNSKEYRecord) r).getFootprint()).collect(Collectors.toSet()));
    assertEquals(Set.of(keys.get(0).keyTag()), signers(records, true));
    assertEquals(Set.of(oldZsk), signers(records, false));

    // Phase 2: the new ZSK signs, the old one stays published; only the uses changed.
    List<SigningKey> swapped = List.of(prePublished.get(0),
        prePublished.get(1).withUse(new dev.cascade.dnssec.keys.KeyUse(true, false, false)),
        prePublished.get(2).withUse(new dev.cascade.dnssec.keys.KeyUse(true, false, true)));
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, swapped, TEST_KEK), null);
    ZoneVersionSigned second =
        (ZoneVersionSigned)
            Bus.await(
                    Topics.SIGNED_VERSIONS,
                    (SignedVersionFact fact) ->
                        fact.getZone().equals(zone)
                            && fact.getFact() instanceof ZoneVersionSigned s
                            && s.getTrigger() == SigningTrigger.KEYS_CHANGED
                            && !s.getVersionId().equals(first.getVersionId()),
                    TIMEOUT)
                .value()
                .getFact();
    assertTrue(second.getSignedSerial() > first.getSignedSerial());
    assertSignedContentVerifies(zone, second.getVersionId(), second, swapped, Instant.now());
    assertEquals(Set.of(newZsk), signers(signedRecords(zone, second), false));
  }

  /**
   * A key set whose KSK roll waits for the parent's DS to change comes with the CDS and CDNSKEY the key manager built
   * (issue 14 item 5): the signed zone publishes them at the apex, signed by the keys that sign the DNSKEY RRset;
   * the next key set, without them, takes them out again.
   */
  @Test
  void aKeySetWhoseRollWaitsForTheDsGivesCdsAndCdnskey() throws Exception {
    String zone = "cds.test.";
    String versionId = UUID.randomUUID().toString();
    List<SigningKey> keys = keys(zone);
    signedFirstVersion(zone, versionId, 710, keys);

    SigningKey newKsk = keys(zone).get(0).withUse(new dev.cascade.dnssec.keys.KeyUse(true, true, false));
    List<SigningKey> dsPhase = List.of(keys.get(0).withUse(new dev.cascade.dnssec.keys.KeyUse(true, true, false)),
        keys.get(1).withUse(new dev.cascade.dnssec.keys.KeyUse(true, false, true)), newKsk);
    List<Record> cds = ParentRecords.cdsAndCdnskey(name(zone), List.of(newKsk.dnskey()), true,
        CdsPublication.DURING_ROLL, DsDigest.SHA_256, 3600);
    Bus.send(Topics.KEY_SETS, zone, KeySetChanged.newBuilder(keySet(zone, dsPhase, TEST_KEK))
        .setCdsAndCdnskey(cds.stream().map(Record::toString).toList()).build(), null);
    ZoneVersionSigned signed = awaitResigned(zone, SigningTrigger.KEYS_CHANGED);
    assertSignedContentVerifies(zone, signed.getVersionId(), signed, dsPhase, Instant.now());
    List<Record> records = signedRecords(zone, signed);
    assertEquals(cds, records.stream().filter(r -> r.getType() == Type.CDS || r.getType() == Type.CDNSKEY)
        .sorted(CanonicalOrder.RECORDS).toList());
    assertEquals(Set.of(keys.get(0).keyTag(), newKsk.keyTag()), records.stream()
        .filter(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.CDS)
        .map(r -> ((RRSIGRecord) r).getFootprint()).collect(Collectors.toSet()));

    Bus.send(Topics.KEY_SETS, zone, keySet(zone, dsPhase, TEST_KEK), null);
    ZoneVersionSigned after =
        (ZoneVersionSigned)
            Bus.await(
                    Topics.SIGNED_VERSIONS,
                    (SignedVersionFact fact) ->
                        fact.getZone().equals(zone)
                            && fact.getFact() instanceof ZoneVersionSigned s
                            && s.getTrigger() == SigningTrigger.KEYS_CHANGED
                            && !s.getVersionId().equals(signed.getVersionId()),
                    TIMEOUT)
                .value()
                .getFact();
    assertSignedContentVerifies(zone, after.getVersionId(), after, dsPhase, Instant.now());
    assertTrue(signedRecords(zone, after).stream().noneMatch(r -> r.getType() == Type.CDS
        || r.getType() == Type.CDNSKEY || r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.CDS));
  }

  @Test
  void signaturesDueForRefreshGiveANewSignedVersionWithAHigherSerial() throws Exception {
    String zone = "refresh.test.";
    String versionId = UUID.randomUUID().toString();
    List<SigningKey> keys = keys(zone);
    ZoneVersionSigned loaded = signedFirstVersion(zone, versionId, 500, keys);

    signing.refreshDueZones();
    assertEquals(versionId, store.findSignedHead(zone).orElseThrow().signedVersionId(), "nothing is due yet");

    // Past lifetime − remain time (14 d − 7 d, zoneAdded's policy): every RRSIG of the first version is due.
    Instant later = Instant.now().plus(Duration.ofDays(8));
    clock.advance(Duration.ofDays(8));
    try {
      signing.refreshDueZones();
    } finally {
      clock.reset();
    }

    ConsumerRecord<String, SignedVersionFact> record =
        Bus.await(
            Topics.SIGNED_VERSIONS,
            (SignedVersionFact fact) ->
                fact.getZone().equals(zone)
                    && fact.getFact() instanceof ZoneVersionSigned s
                    && s.getTrigger() == SigningTrigger.SIGNATURE_REFRESH,
            TIMEOUT);
    ZoneVersionSigned refreshed = (ZoneVersionSigned) record.value().getFact();
    assertEquals(versionId, refreshed.getUnsignedVersionId(), "it names the unsigned version it was made from");
    assertNotEquals(versionId, refreshed.getVersionId(), "a refreshed version has an id of its own");
    String cause = record.value().getMetadata().getCausationId();
    assertEquals(SigningService.resignedVersionId(zone, SigningCause.SIGNATURE_REFRESH, cause),
        refreshed.getVersionId(), "derived from its cause, so a retry makes the same version");
    assertNotEquals(SigningService.resignedVersionId(zone, SigningCause.KEYS_CHANGED, cause), refreshed.getVersionId());
    assertEquals(500, refreshed.getUnsignedSerial());
    assertTrue(refreshed.getSignedSerial() > loaded.getSignedSerial(), "the serial goes up");
    assertSignedContentVerifies(zone, refreshed.getVersionId(), refreshed, keys, later);
    assertEquals(refreshed.getVersionId(), store.findSignedHead(zone).orElseThrow().signedVersionId());
  }

  @Test
  void aDueRefreshWaitsForANewerVersionUnderReviewAndHappensOnceThatIsRejected() throws Exception {
    String zone = "postponed.test.";
    String first = UUID.randomUUID().toString();
    List<SigningKey> keys = keys(zone);
    signedFirstVersion(zone, first, 600, keys);
    String second = UUID.randomUUID().toString();
    ContentLocation content = writeUnsigned(zone, second, 601, "ftp." + zone + " 3600 IN A 192.0.2.21\n");
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, second, 601, content), null);
    await().atMost(TIMEOUT).until(() -> store.findManifest(second).isPresent());

    // An hour after the refresh fell due, long before the safety valve (due + 3.5 d): the refresh waits for the
    // version under review.
    Instant later = store.findSignedHead(zone).orElseThrow().refreshDueAt().plus(Duration.ofHours(1));
    refreshAt(later);
    assertEquals(first, store.findSignedHead(zone).orElseThrow().signedVersionId(), "the refresh is postponed");

    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, second, 601, ReviewDecision.REJECTED), null);
    await().atMost(TIMEOUT).until(() -> store.laterVersions(zone, first)
        .equals(List.of(new LaterVersion(second, 601, LaterVersion.Stage.REJECTED))));
    refreshAt(later);

    ZoneVersionSigned refreshed = awaitResigned(zone, SigningTrigger.SIGNATURE_REFRESH);
    assertEquals(first, refreshed.getUnsignedVersionId(), "the idle zone's last signed version is re-signed");
    assertSignedContentVerifies(zone, refreshed.getVersionId(), refreshed, keys, later);
  }

  @Test
  void theSafetyValveReSignsWhenTheNewerVersionWaitsPastHalfTheRemainTime() throws Exception {
    String zone = "valve.test.";
    String first = UUID.randomUUID().toString();
    List<SigningKey> keys = keys(zone);
    signedFirstVersion(zone, first, 700, keys);
    String second = UUID.randomUUID().toString();
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, second, 701, writeUnsigned(zone, second, 701)), null);
    await().atMost(TIMEOUT).until(() -> store.findManifest(second).isPresent());

    // The valve opens half the remain time (7 d, zoneAdded's policy) after the refresh fell due.
    Instant valve =
        ResignTiming.safetyValveAt(store.findSignedHead(zone).orElseThrow().refreshDueAt(), Duration.ofDays(7));
    refreshAt(valve.minus(Duration.ofHours(1)));
    assertEquals(first, store.findSignedHead(zone).orElseThrow().signedVersionId(), "the refresh is postponed");
    Instant later = valve.plus(Duration.ofMinutes(1));
    refreshAt(later);

    ZoneVersionSigned refreshed = awaitResigned(zone, SigningTrigger.SIGNATURE_REFRESH);
    assertEquals(first, refreshed.getUnsignedVersionId());
    assertSignedContentVerifies(zone, refreshed.getVersionId(), refreshed, keys, later);
  }

  @Test
  void aNewKeySetWaitsForTheNewerVersionWhichIsSignedWithItAndNothingIsReSigned() throws Exception {
    String zone = "rekeyed-pending.test.";
    String first = UUID.randomUUID().toString();
    ZoneVersionSigned firstSigned = signedFirstVersion(zone, first, 800, keys(zone));
    String firstKeySet = store.findSignedHead(zone).orElseThrow().keySetEventId();
    String second = UUID.randomUUID().toString();
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, second, 801, writeUnsigned(zone, second, 801)), null);
    await().atMost(TIMEOUT).until(() -> store.findManifest(second).isPresent());

    List<SigningKey> newKeys = keys(zone);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, newKeys, TEST_KEK), null);
    await().atMost(TIMEOUT).until(() -> !store.findKeySet(zone).orElseThrow().eventId().equals(firstKeySet));
    signing.resignIfNeeded(zone);
    assertEquals(first, store.findSignedHead(zone).orElseThrow().signedVersionId(), "the re-signing is postponed");

    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, second, 801), null);
    ZoneVersionSigned signed = (ZoneVersionSigned) awaitSigned(zone, second).value().getFact();
    assertEquals(firstSigned.getSignedSerial() + 1, signed.getSignedSerial(),
        "no re-signed version came in between (COUNTER serials)");
    assertSignedContentVerifies(zone, second, signed, newKeys, Instant.now());
    assertEquals(store.findKeySet(zone).orElseThrow().eventId(), store.findSignedHead(zone).orElseThrow().keySetEventId());
    signing.resignIfNeeded(zone);
    assertEquals(second, store.findSignedHead(zone).orElseThrow().signedVersionId(), "the new version made it moot");
  }

  /**
   * Issue 9: an event whose handler keeps failing is tried again, then set aside on the signer's dead-letter topic,
   * and the events behind it on the same topic are handled; a record that cannot be decoded is set aside at once.
   */
  @Test
  void anEventThatKeepsFailingIsSetAsideAndTheEventsBehindItAreHandled() throws Exception {
    // Longer than a domain name may be (255 octets, RFC 1035 §2.3.4), and than the column that keys approvals.
    String tooLong = ("a".repeat(60) + ".").repeat(5) + "test.";
    assertTrue(tooLong.length() > 255);
    Bus.send(Topics.ZONE_REVIEWS, tooLong, approval(tooLong, UUID.randomUUID().toString(), 1), null);
    try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Bus.bootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
      raw.send(new ProducerRecord<>(Topics.ZONE_REVIEWS, "garbled.test.", "not avro".getBytes())).get();
    }
    String zone = "after-poison.test.";
    String versionId = UUID.randomUUID().toString();
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, versionId, 5), null);

    EventDeadLettered failed = Bus.<EventDeadLettered>await(Topics.deadLetters("signer"),
        d -> d.getZone().equals(tooLong), TIMEOUT).value();
    assertEquals("ZoneVersionReviewed", failed.getEventType());
    assertEquals(Topics.ZONE_REVIEWS, failed.getTopic());
    assertEquals(3, failed.getAttempts(), "the test profile's three attempts");
    assertEquals("signer", failed.getMetadata().getProducer());
    EventDeadLettered garbled = Bus.<EventDeadLettered>await(Topics.deadLetters("signer"),
        d -> d.getZone().equals("garbled.test."), TIMEOUT).value();
    assertEquals(0, garbled.getAttempts());
    assertNull(garbled.getEventType());
    assertTrue(garbled.getReason().startsWith("could not be decoded: "), garbled.getReason());
    await().atMost(TIMEOUT).until(() -> store.findApproval(versionId)
        .map(state -> state.status() == SigningStatus.PENDING).orElse(false));
  }

  /**
   * Exactly-once (issue 9): the signed-version fact is committed in a Kafka transaction, which a read_committed reader
   * sees, and the signer's group commits its offset past the approval that caused it.
   */
  @Test
  void theSignedFactIsCommittedAndTheGroupResumesPastItsApproval() throws Exception {
    String zone = "exactly-once.test.";
    String versionId = UUID.randomUUID().toString();
    Bus.send(Topics.ZONE_REGISTRY, zone, zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, keys(zone), TEST_KEK), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, versionId, 100, writeUnsigned(zone, versionId, 100)), null);
    RecordMetadata approval = Bus.sendAt(Topics.ZONE_REVIEWS, zone, approval(zone, versionId, 100));

    awaitSigned(zone, versionId);
    TopicPartition partition = new TopicPartition(approval.topic(), approval.partition());
    await().atMost(TIMEOUT).until(() -> committedOffset("signer", partition) > approval.offset());
    assertEquals(SigningStatus.SIGNED, store.findApproval(versionId).orElseThrow().status());
    assertEquals(List.of(versionId), versionsAnnounced(zone));
  }

  /**
   * Zombie fencing (issue 9, KIP-447): a signing done for an event whose consumer group has moved on (the instance
   * was paused past its session timeout and its member evicted; here a member the group does not know) cannot commit
   * its fact. A read_committed reader sees nothing and the tables record nothing, so the partition's owner signs the
   * version, once.
   */
  @Test
  void aZombieWhoseGroupMovedOnAnnouncesAndRecordsNothing() throws Exception {
    String zone = "zombie.test.";
    String versionId = UUID.randomUUID().toString();
    Bus.send(Topics.ZONE_REGISTRY, zone, zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, keys(zone), TEST_KEK), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, versionId, 100, writeUnsigned(zone, versionId, 100)), null);
    await().atMost(TIMEOUT).until(() ->
        store.findManifest(versionId).isPresent() && store.findKeySet(zone).isPresent()
            && store.findPolicy(zone).isPresent());
    // The approval as a handler records it, without the event that would have the running signer sign it.
    store.recordApproval(new Approval(zone, versionId, 100, UUID.randomUUID().toString(), null), Instant.now());
    ConsumedEvent evicted = new ConsumedEvent(new TopicPartition(Topics.ZONE_REVIEWS, 0), 0,
        new ConsumerGroupMetadata("signer", 1, "signer-evicted-member", Optional.empty()));

    FencedWriteException fenced = assertThrows(FencedWriteException.class,
        () -> transactions.within(evicted, () -> signing.trySign(versionId)));
    assertEquals(FencedWriteException.Fenced.CONSUMED_EVENT, fenced.fenced());
    assertEquals(SigningStatus.PENDING, store.findApproval(versionId).orElseThrow().status(), "nothing recorded");
    assertEquals(List.of(), versionsAnnounced(zone), "nothing announced");

    signing.trySign(versionId);
    assertEquals(SigningStatus.SIGNED, store.findApproval(versionId).orElseThrow().status());
    assertEquals(List.of(versionId), versionsAnnounced(zone), "signed once, by the owner");
  }

  @Test
  void approvalThatArrivesFirstIsSignedOnceEverythingElseArrives() throws Exception {
    String zone = "pending.test.";
    String versionId = UUID.randomUUID().toString();
    List<SigningKey> keys = keys(zone);

    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, versionId, 2026030100), null);
    await().atMost(TIMEOUT).until(() -> store.findApproval(versionId)
        .map(state -> state.status() == SigningStatus.PENDING).orElse(false));

    Bus.send(Topics.ZONE_REGISTRY, zone, zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, keys, TEST_KEK), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, versionId, 2026030100, writeUnsigned(zone, versionId, 2026030100)), null);

    ZoneVersionSigned signed = (ZoneVersionSigned) awaitSigned(zone, versionId).value().getFact();
    assertEquals(2026030100, signed.getUnsignedSerial());
    assertEquals(2026030100, signed.getSignedSerial(), "the first version keeps the loaded serial under COUNTER");
    assertTrue(signed.getStats().getRrsigCount() > 0);
    assertSignedContentVerifies(zone, versionId, signed, keys, Instant.now());
    assertEquals(SigningStatus.SIGNED, store.findApproval(versionId).orElseThrow().status());
  }

  @Test
  void approvalAfterEverythingElseIsSignedInTheApprovalsTraceWhenTheVersionHasNone() throws Exception {
    String approvalTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    signedAfterApproval("traced.test.", null, approvalTrace, approvalTrace);
  }

  @Test
  void approvalOfAVersionWithATraceIsSignedInTheVersionsTrace() throws Exception {
    String versionTrace = "0af7651916cd43dd8448eb211c80319c";
    signedAfterApproval("version-traced.test.", "00-" + versionTrace + "-b7ad6b7169203331-01",
        "4bf92f3577b34da6a3ce929d0e0e4736", versionTrace);
  }

  /**
   * Sends a zone, its key set and a loaded version written in {@code loadedTraceparent} (null: none), then its
   * approval in trace {@code approvalTrace}; the signed-version fact must be in trace {@code expectedTrace}.
   */
  private void signedAfterApproval(String zone, String loadedTraceparent, String approvalTrace, String expectedTrace)
      throws Exception {
    String versionId = UUID.randomUUID().toString();
    List<SigningKey> keys = keys(zone);
    Bus.send(Topics.ZONE_REGISTRY, zone, zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, keys, TEST_KEK), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, versionId, 7, writeUnsigned(zone, versionId, 7)),
        loadedTraceparent);
    await().atMost(TIMEOUT).until(() ->
        store.findManifest(versionId).isPresent() && store.findKeySet(zone).isPresent()
            && store.findPolicy(zone).isPresent());

    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, versionId, 7), "00-" + approvalTrace + "-00f067aa0ba902b7-01");

    ConsumerRecord<String, SignedVersionFact> record = awaitSigned(zone, versionId);
    assertEquals(zone, record.key());
    Header traceparent = record.headers().lastHeader("traceparent");
    assertNotNull(traceparent, "the signed-version fact carries trace context");
    assertTrue(new String(traceparent.value(), StandardCharsets.US_ASCII).contains(expectedTrace),
        "the signed-version fact is not in trace " + expectedTrace);
    assertSignedContentVerifies(zone, versionId, (ZoneVersionSigned) record.value().getFact(), keys, Instant.now());
  }

  @Test
  void keySetThatCannotBeUnwrappedGivesAFailureAndNoContent() throws Exception {
    String zone = "badkey.test.";
    String versionId = UUID.randomUUID().toString();
    byte[] otherKek = TEST_KEK.clone();
    otherKek[31] ^= 0x55;
    List<SigningKey> keys = keys(zone);
    Bus.send(Topics.ZONE_REGISTRY, zone, zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, keys, otherKek), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, versionId, 9, writeUnsigned(zone, versionId, 9)), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, versionId, 9), null);

    ConsumerRecord<String, SignedVersionFact> record =
        Bus.await(
            Topics.SIGNED_VERSIONS,
            (SignedVersionFact fact) ->
                fact.getFact() instanceof ZoneSigningFailed failed && failed.getVersionId().equals(versionId),
            TIMEOUT);
    ZoneSigningFailed failed = (ZoneSigningFailed) record.value().getFact();
    assertEquals(9, failed.getUnsignedSerial());
    assertTrue(failed.getReason().contains("cannot unwrap private key"), failed.getReason());
    assertEquals(SigningStatus.FAILED, store.findApproval(versionId).orElseThrow().status());
  }

  /**
   * The signer's metrics (docs/operations.md, "Metrics"), scraped from /q/metrics as Prometheus would: a signed version
   * sets the zone's last signing to success and counts the sign and verify stages; a key set that cannot be unwrapped
   * sets another zone's to failure, counted by reason; the gate's refusal counter is there before any refusal, for
   * its alert; a removed zone leaves no series. Counters are shared with the other tests, so they are compared.
   */
  @Test
  void signingsAndFailuresShowInTheMetricsAndARemovedZoneLeavesNoSeries() throws Exception {
    String zone = "metrics.test.";
    String failing = "metrics-badkey.test.";
    Scrape before = scrape();
    assertTrue(before.value("cascade_failures_total", "stage", "verify", "reason", "gate_refused").isPresent(),
        before.toString());

    signedFirstVersion(zone, UUID.randomUUID().toString(), 11, keys(zone));
    Scrape signed = scrape();
    assertEquals(1.0, signed.value("cascade_zone_last_signing_success", "zone", zone).orElseThrow(), signed.toString());
    assertTrue(signed.value("cascade_zone_last_signing_timestamp_seconds", "zone", zone).orElseThrow()
        > Instant.now().minus(Duration.ofMinutes(5)).getEpochSecond(), signed.toString());
    for (String stage : List.of("sign", "verify")) {
      assertTrue(count(signed, "cascade_stage_duration_seconds_count", "stage", stage)
          >= count(before, "cascade_stage_duration_seconds_count", "stage", stage) + 1, signed.toString());
      assertTrue(count(signed, "cascade_stage_records_total", "stage", stage)
          > count(before, "cascade_stage_records_total", "stage", stage), signed.toString());
    }

    byte[] otherKek = TEST_KEK.clone();
    otherKek[31] ^= 0x55;
    String versionId = UUID.randomUUID().toString();
    Bus.send(Topics.ZONE_REGISTRY, failing, zoneAdded(failing), null);
    Bus.send(Topics.KEY_SETS, failing, keySet(failing, keys(failing), otherKek), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, failing,
        loaded(failing, versionId, 12, writeUnsigned(failing, versionId, 12)), null);
    Bus.send(Topics.ZONE_REVIEWS, failing, approval(failing, versionId, 12), null);
    await().atMost(TIMEOUT).until(() -> scrape().value("cascade_zone_last_signing_success", "zone", failing)
        .orElse(-1) == 0.0);
    Scrape failed = scrape();
    assertTrue(count(failed, "cascade_failures_total", "stage", "sign", "reason", "keys")
        >= count(before, "cascade_failures_total", "stage", "sign", "reason", "keys") + 1, failed.toString());

    Bus.send(Topics.ZONE_REGISTRY, zone, RegistryFacts.zoneRemoved(zone), null);
    await().atMost(TIMEOUT).until(() -> scrape().samples("cascade_zone_last_signing_success", "zone", zone).isEmpty()
        && scrape().samples("cascade_zone_last_signing_timestamp_seconds", "zone", zone).isEmpty());
  }

  private static Scrape scrape() {
    return Scrape.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  private static double count(Scrape scrape, String name, String... labels) {
    return scrape.value(name, labels).orElse(0);
  }

  /**
   * A crash between announcing a signed version and recording it, as the tables would be left by it: the restore
   * finds the fact on the signer's own topic and records it, and the approval, delivered again, signs nothing. The
   * next version's fact is the barrier: on the zone's partition of the review topic the approval came before it.
   */
  @Test
  void aVersionAnnouncedButNotRecordedIsRecordedFromTheTopicAndNeverSignedAgain() throws Exception {
    String zone = "crashed.test.";
    List<SigningKey> keys = keys(zone);
    String first = UUID.randomUUID().toString();
    ZoneVersionSigned signed = signedFirstVersion(zone, first, 100, keys);
    try (Connection connection = DriverManager.getConnection("jdbc:" + databaseUrl, databaseUser, databasePassword);
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("update signer.signing set status = 'PENDING', signed_serial = null,"
          + " signed_digest = null, finished_at = null where version_id = '" + first + "'");
      statement.executeUpdate("delete from signer.zone_serial where zone = '" + zone + "'");
    }
    assertEquals(SigningStatus.PENDING, store.findApproval(first).orElseThrow().status());

    assertEquals(1, restore.restore(), "the one fact the tables lacked is recorded");
    assertEquals(SigningStatus.SIGNED, store.findApproval(first).orElseThrow().status());
    SignedHead head = store.findSignedHead(zone).orElseThrow();
    assertEquals(first, head.signedVersionId());
    assertEquals(signed.getSignedSerial(), head.signedSerial());
    assertEquals(signed.getKeySetEventId(), head.keySetEventId());
    assertEquals(signed.getRefreshDueAt(), head.refreshDueAt());
    assertEquals(0, restore.restore(), "a second restore finds the tables up to date");

    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, first, 100), null);
    String second = UUID.randomUUID().toString();
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, second, 101, writeUnsigned(zone, second, 101)), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, second, 101), null);
    ZoneVersionSigned next = (ZoneVersionSigned) awaitSigned(zone, second).value().getFact();
    assertTrue(next.getSignedSerial() > signed.getSignedSerial(), "the recorded serial is the one to go past");

    List<String> versions =
        TopicHistory.<SignedVersionFact>read(Bus.consumerConfig(), Topics.SIGNED_VERSIONS, TIMEOUT).stream()
            .map(ConsumerRecord::value)
            .filter(fact -> fact.getZone().equals(zone))
            .map(SignerPipelineComponentTest::versionOf)
            .toList();
    assertEquals(List.of(first, second), versions, "each version signed once");
  }

  /**
   * Projections rebuildable (issue 9): the signer's schema, dropped and migrated again empty, is rebuilt from the log
   * alone, row for row for the zones here (a signed version, a rejected one, a re-signing for a new key set, a zone
   * removed after its signing), with nothing signed or announced again; the next version goes past the last serial.
   */
  @Test
  void aDroppedSchemaIsRebuiltFromTheLogWithoutSigningAnythingAgain() throws Exception {
    String zone = "rebuilt.test.";
    String removed = "rebuilt-removed.test.";
    String first = UUID.randomUUID().toString();
    signedFirstVersion(zone, first, 100, keys(zone));
    String rejected = UUID.randomUUID().toString();
    ContentLocation content = writeUnsigned(zone, rejected, 101, "ftp." + zone + " 3600 IN A 192.0.2.21\n");
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, rejected, 101, content), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, review(zone, rejected, 101, ReviewDecision.REJECTED), null);
    List<SigningKey> newKeys = prePublishing(zone, keys(zone));
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, newKeys, TEST_KEK), null);
    ZoneVersionSigned rekeyed = awaitResigned(zone, SigningTrigger.KEYS_CHANGED);
    signedFirstVersion(removed, UUID.randomUUID().toString(), 50, keys(removed));
    Bus.send(Topics.ZONE_REGISTRY, removed, RegistryFacts.zoneRemoved(removed), null);
    await().atMost(TIMEOUT).until(() -> store.findPolicy(removed).isEmpty());
    ConsumerGroups.awaitCommittedToEnd(Bus.bootstrap(), "signer",
        List.of(Topics.ZONE_REGISTRY, Topics.KEY_SETS, Topics.UNSIGNED_VERSIONS, Topics.ZONE_REVIEWS), TIMEOUT);
    Map<String, List<String>> before = rowsOf(zone, removed);
    assertEquals(2, before.get("signing").size(), "each zone's approval (a rejection has none): " + before);
    List<String> factsBefore = factsOf(zone, removed);

    SchemaContents.drop("signer");
    flyway.migrate();
    assertTrue(rebuild.restore() > 0, "the log is applied again");

    assertEquals(before, rowsOf(zone, removed));
    assertEquals(newKeys.stream().map(SigningKey::use).toList(),
        store.findKeySet(zone).orElseThrow().keys().stream().map(WrappedKey::use).toList(), "the keys' uses");
    assertEquals(0, rebuild.restore(), "a second rebuild finds the tables up to date");
    assertEquals(factsBefore, factsOf(zone, removed), "nothing signed or announced by the rebuild");

    String next = UUID.randomUUID().toString();
    Bus.send(Topics.UNSIGNED_VERSIONS, zone,
        loaded(zone, next, 102, writeUnsigned(zone, next, 102, "mail." + zone + " 3600 IN A 192.0.2.25\n")), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, next, 102), null);
    ZoneVersionSigned signed = (ZoneVersionSigned) awaitSigned(zone, next).value().getFact();
    assertTrue(signed.getSignedSerial() > rekeyed.getSignedSerial(), "the rebuilt last serial is the one to go past");
    assertSignedContentVerifies(zone, next, signed, newKeys, Instant.now());
    assertEquals(factsBefore.size() + 1, factsOf(zone, removed).size());
  }

  @Test
  void readinessCoversKafkaAndPostgres() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(containsString("Kafka connection health check"))
        .body(containsString("Reactive PostgreSQL connections health check"))
        .body(containsString("signed versions restored"))
        .body(containsString("projection rebuilt"));
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /** Adds {@code zone} with {@code keys}, loads and approves a first version and returns it signed. */
  private ZoneVersionSigned signedFirstVersion(String zone, String versionId, long serial, List<SigningKey> keys)
      throws Exception {
    Bus.send(Topics.ZONE_REGISTRY, zone, zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet(zone, keys, TEST_KEK), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, loaded(zone, versionId, serial, writeUnsigned(zone, versionId, serial)),
        null);
    Bus.send(Topics.ZONE_REVIEWS, zone, approval(zone, versionId, serial), null);
    return (ZoneVersionSigned) awaitSigned(zone, versionId).value().getFact();
  }

  static ConsumerRecord<String, SignedVersionFact> awaitSigned(String zone, String versionId) {
    ConsumerRecord<String, SignedVersionFact> record =
        Bus.await(
            Topics.SIGNED_VERSIONS,
            (SignedVersionFact fact) -> fact.getZone().equals(zone) && versionOf(fact).equals(versionId),
            TIMEOUT);
    Object fact = record.value().getFact();
    if (fact instanceof ZoneSigningFailed failed) {
      throw new AssertionError("signing failed: " + failed.getReason());
    }
    assertInstanceOf(ZoneVersionSigned.class, fact);
    return record;
  }

  /** The rows of the signer's tables that belong to {@code zones}, table by table. */
  private static Map<String, List<String>> rowsOf(String... zones) {
    Map<String, List<String>> rows = new TreeMap<>();
    SchemaContents.of("signer", Set.of()).forEach((table, all) -> rows.put(table, all.stream()
        .filter(row -> Arrays.stream(zones).anyMatch(zone -> ("|" + row + "|").contains("|zone=" + zone + "|")))
        .toList()));
    return rows;
  }

  /** The eventIds of the signer's facts about {@code zones}, in the order written. */
  private static List<String> factsOf(String... zones) {
    List<String> wanted = List.of(zones);
    return TopicHistory.<SignedVersionFact>read(Bus.consumerConfig(), Topics.SIGNED_VERSIONS, TIMEOUT).stream()
        .map(ConsumerRecord::value)
        .filter(fact -> wanted.contains(fact.getZone()))
        .map(fact -> fact.getMetadata().getEventId())
        .toList();
  }

  /** Runs the timer's check with the signer's clock at {@code at}. */
  private void refreshAt(Instant at) {
    clock.advance(Duration.between(Instant.now(), at));
    try {
      signing.refreshDueZones();
    } finally {
      clock.reset();
    }
  }

  private static ZoneVersionSigned awaitResigned(String zone, SigningTrigger trigger) {
    return (ZoneVersionSigned)
        Bus.await(
                Topics.SIGNED_VERSIONS,
                (SignedVersionFact fact) ->
                    fact.getZone().equals(zone)
                        && fact.getFact() instanceof ZoneVersionSigned s
                        && s.getTrigger() == trigger,
                TIMEOUT)
            .value()
            .getFact();
  }

  /** The versions of {@code zone} a read_committed reader finds announced on the signed-versions topic. */
  private static List<String> versionsAnnounced(String zone) {
    return TopicHistory.<SignedVersionFact>read(Bus.consumerConfig(), Topics.SIGNED_VERSIONS, TIMEOUT).stream()
        .map(ConsumerRecord::value)
        .filter(fact -> fact.getZone().equals(zone))
        .map(SignerPipelineComponentTest::versionOf)
        .toList();
  }

  /** The offset {@code group} has committed on {@code partition}; -1 for none. */
  private static long committedOffset(String group, TopicPartition partition) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Bus.bootstrap()))) {
      OffsetAndMetadata committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
      return committed == null ? -1 : committed.offset();
    }
  }

  private static String versionOf(SignedVersionFact fact) {
    return fact.getFact() instanceof ZoneVersionSigned signed
        ? signed.getVersionId()
        : ((ZoneSigningFailed) fact.getFact()).getVersionId();
  }

  /** The records of the signed version {@code signed} announces, as read from its content topic. */
  static List<Record> signedRecords(String zone, ZoneVersionSigned signed) {
    try (ContentReader reader = new ContentReader(Bus.consumerConfig())) {
      return reader.readCompact(signed.getContent(), zone, signed.getVersionId()).toRecords();
    }
  }

  private static void assertSignedContentVerifies(
      String zone, String versionId, ZoneVersionSigned signed, List<SigningKey> keys, Instant at) {
    assertEquals(Topics.SIGNED_CONTENT, signed.getContent().getTopic());
    List<Record> records;
    try (ContentReader reader = new ContentReader(Bus.consumerConfig())) {
      records = reader.readCompact(signed.getContent(), zone, versionId).toRecords();
    }
    SOARecord soa = (SOARecord) records.stream().filter(r -> r.getType() == Type.SOA).findFirst().orElseThrow();
    assertEquals(signed.getSignedSerial(), soa.getSerial());
    VerificationReport report =
        ZoneVerifier.verify(
            name(zone),
            records.stream().sorted(CanonicalOrder.RECORDS).toList(),
            ExpectedKeys.of(keys),
            at,
            Duration.ofDays(7),
            VerifiedSignatures.none(),
            Progress.NONE);
    assertTrue(report.ok(), report.problems().toString());
  }

  /**
   * {@code keys} (a KSK and a ZSK) in the first phase of a ZSK pre-publication roll (RFC 7583 §3.2.1): the KSK signs
   * the DNSKEY RRset, the ZSK the rest, and a new ZSK is published and signs nothing.
   */
  private static List<SigningKey> prePublishing(String zone, List<SigningKey> keys) {
    return List.of(keys.get(0).withUse(new dev.cascade.dnssec.keys.KeyUse(true, true, false)),
        keys.get(1).withUse(new dev.cascade.dnssec.keys.KeyUse(true, false, true)),
        keys(zone).get(1).withUse(new dev.cascade.dnssec.keys.KeyUse(true, false, false)));
  }

  /** The keys of the RRSIGs in {@code records} over RRsets of {@code type} (or of every other type), by key tag. */
  private static Set<Integer> signers(List<Record> records, boolean dnskey) {
    return records.stream().filter(r -> r instanceof RRSIGRecord sig && (sig.getTypeCovered() == Type.DNSKEY) == dnskey)
        .map(r -> ((RRSIGRecord) r).getFootprint()).collect(Collectors.toSet());
  }

  private static List<SigningKey> keys(String zone) {
    return List.of(
        KeyGenerator.generate(name(zone), Algorithms.ECDSAP256SHA256, KeyGenerator.FLAGS_SEP, 3600),
        KeyGenerator.generate(name(zone), Algorithms.ECDSAP256SHA256, KeyGenerator.FLAGS_ZSK, 3600));
  }

  static ContentLocation writeUnsigned(String zone, String versionId, long serial, String... extraLines)
      throws Exception {
    String text =
        zone + " 3600 IN SOA ns1." + zone + " hostmaster." + zone + " " + serial + " 7200 3600 1209600 300\n"
            + zone + " 3600 IN NS ns1." + zone + "\n"
            + "ns1." + zone + " 3600 IN A 192.0.2.53\n"
            + "www." + zone + " 3600 IN A 192.0.2.80\n"
            + "child." + zone + " 3600 IN NS ns.example.net.\n"
            + String.join("", extraLines);
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    try (ContentWriter writer = new ContentWriter(Bus.producerConfig())) {
      return writer.write(Topics.UNSIGNED_CONTENT, zone, versionId, CompactRecords.of(records));
    }
  }

  static EventMetadata metadata(String producer) {
    return EventMetadataFactory.next(Clock.systemUTC(), producer, null);
  }

  static ZoneRegistryFact zoneAdded(String zone) {
    PolicySnapshot policy =
        PolicySnapshot.newBuilder()
            .setName("default")
            .setUnsignedReview(ReviewMode.OFF)
            .setSignedReview(ReviewMode.OFF)
            .setAlgorithm("ECDSAP256SHA256")
            .setUseCsk(false)
            .setKskValiditySeconds(Duration.ofDays(365).toSeconds())
            .setZskValiditySeconds(Duration.ofDays(90).toSeconds())
            .setDnskeyTtlSeconds(3600)
            .setSerialPolicy(SerialPolicyKind.COUNTER)
            .setSignatureInceptionOffsetSeconds(Duration.ofHours(1).toSeconds())
            .setSignatureLifetimeSeconds(Duration.ofDays(14).toSeconds())
            .setSignatureRemainTimeSeconds(Duration.ofDays(7).toSeconds())
            .setSignatureRefreshIntervalSeconds(Duration.ofDays(1).toSeconds())
            .setDenial(DenialKind.NSEC)
            .setNsec3OptOut(false)
            .setNsec3Iterations(0)
            .setNsec3Salt("")
            .build();
    return ZoneRegistryFact.newBuilder()
        .setMetadata(metadata("review-gateway"))
        .setZone(zone)
        .setFact(ZoneAdded.newBuilder().setPolicy(policy).setSource("/zones/" + zone + "zone").build())
        .build();
  }

  private static KeySetChanged keySet(String zone, List<SigningKey> keys, byte[] kek) {
    KeyWrap wrap = new KeyWrap(kek);
    List<ZoneKey> zoneKeys = new ArrayList<>();
    for (SigningKey key : keys) {
      zoneKeys.add(
          ZoneKey.newBuilder()
              .setKeyTag(key.keyTag())
              .setAlgorithm(key.algorithm())
              .setFlags(key.dnskey().getFlags())
              .setRole(key.isSep() ? KeyRole.KSK : KeyRole.ZSK)
              .setPublicKey(Base64.getEncoder().encodeToString(key.dnskey().getKey()))
              .setWrappedPrivateKey(ByteBuffer.wrap(wrap.wrap(key)))
              .setReference("db:keymanager/" + UUID.randomUUID())
              .setCreatedAt(Instant.now())
              .setExpiresAt(null)
              .setUse(key.use() == null ? null : KeyUse.newBuilder()
                  .setPublished(key.use().published())
                  .setSignsKeys(key.use().signsKeys())
                  .setSignsZone(key.use().signsZone())
                  .setAtParent(key.isSep() && key.use().signsKeys())
                  .build())
              .build());
    }
    return KeySetChanged.newBuilder()
        .setMetadata(metadata("keymanager"))
        .setZone(zone)
        .setDnskeyTtl(3600)
        .setKeys(zoneKeys)
        .build();
  }

  static UnsignedVersionFact loaded(String zone, String versionId, long serial, ContentLocation content) {
    return UnsignedVersionFact.newBuilder()
        .setMetadata(metadata("loader"))
        .setZone(zone)
        .setFact(
            ZoneVersionLoaded.newBuilder()
                .setVersionId(versionId)
                .setSerial(serial)
                .setSource("/zones/" + zone + "zone")
                .setByteCount(300)
                .setContent(content)
                .setWarnings(List.of())
                .build())
        .build();
  }

  static ZoneVersionReviewed approval(String zone, String versionId, long serial) {
    return review(zone, versionId, serial, ReviewDecision.APPROVED);
  }

  private static ZoneVersionReviewed review(String zone, String versionId, long serial, ReviewDecision decision) {
    return ZoneVersionReviewed.newBuilder()
        .setMetadata(metadata("review-gateway"))
        .setZone(zone)
        .setStage(ReviewStage.UNSIGNED)
        .setVersionId(versionId)
        .setSerial(serial)
        .setDecision(decision)
        .setReviewer(decision == ReviewDecision.APPROVED ? "policy" : "operator")
        .build();
  }

  static Name name(String zone) {
    try {
      return Name.fromString(zone);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
