package dev.cascade.cli;

import dev.cascade.content.ContentWriter;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SignedZone;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneFileParser;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.SigningTrigger;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.testinfra.RegistrySetup;
import dev.cascade.testinfra.Services;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.RegistryFacts;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Writes a zone's event sequence to the test broker as the five services write it, each fact caused by the one
 * before ({@code causationId}): {@code ZoneAdded}, the keymanager's {@code KeySetChanged} (keys from dnssec-core's
 * {@link KeyGenerator}), the loader's content and {@code ZoneVersionLoaded} (dnssec-core's {@link ZoneFileParser}),
 * the operator's UNSIGNED approval, the signer's content and {@code ZoneVersionSigned} (dnssec-core's {@link
 * ZoneSigner}, the signer's own code), the SIGNED approval and the publisher's {@code ZoneVersionPublished}. Content
 * goes through zone-content's {@link ContentWriter}, as the loader and the signer write it.
 */
final class AuditChain implements AutoCloseable {

  /** The shipped default policy's signing settings (RegistryFacts.defaultPolicy): NSEC, 14 days, 7 days remain. */
  static final SigningPolicy SIGNING = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, new byte[0],
      Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofDays(1));

  private static boolean prepared;

  private final Clock clock = Clock.systemUTC();
  private final KafkaProducer<String, Object> producer;
  private final ContentWriter content;
  final String zone;
  final Name origin;
  private final List<SigningKey> keys;
  private String keySetEventId;
  private String addedEventId;

  AuditChain(String zone) throws Exception {
    synchronized (AuditChain.class) {
      if (!prepared) {
        RegistrySetup.prepare(Services.registryUrl());
        prepared = true;
      }
    }
    this.zone = zone;
    this.origin = Name.fromString(zone);
    this.producer = AvroClients.producer(Services.kafkaBootstrap(), Services.registryUrl());
    this.content = new ContentWriter(KafkaSettings.producer(Services.kafkaBootstrap(), Services.registryUrl()));
    this.keys = List.of(KeyGenerator.generate(origin, 13, KeyGenerator.FLAGS_SEP, 3600),
        KeyGenerator.generate(origin, 13, KeyGenerator.FLAGS_ZSK, 3600));
  }

  /** The operator's {@code zone add} and the keymanager's key set it caused. */
  void added() throws Exception {
    ZoneRegistryFact added = RegistryFacts.zoneAdded(zone, "/zones/" + zone + "zone");
    addedEventId = added.getMetadata().getEventId();
    send(Topics.ZONE_REGISTRY, added);
    List<ZoneKey> zoneKeys = new ArrayList<>();
    for (SigningKey key : keys) {
      zoneKeys.add(ZoneKey.newBuilder().setKeyTag(key.keyTag()).setAlgorithm(key.algorithm())
          .setFlags(key.dnskey().getFlags()).setRole(key.isSep() ? KeyRole.KSK : KeyRole.ZSK)
          .setPublicKey(Base64.getEncoder().encodeToString(key.dnskey().getKey()))
          .setWrappedPrivateKey(ByteBuffer.allocate(0)).setReference("db:keymanager/" + UUID.randomUUID())
          .setCreatedAt(clock.instant()).setExpiresAt(null).setUse(null).setPrivateKeyUri(null).build());
    }
    KeySetChanged keySet = KeySetChanged.newBuilder().setMetadata(metadata("keymanager", addedEventId)).setZone(zone)
        .setDnskeyTtl(3600).setKeys(zoneKeys).setRolls(List.of()).setCdsAndCdnskey(List.of()).build();
    keySetEventId = keySet.getMetadata().getEventId();
    send(Topics.KEY_SETS, keySet);
  }

  /**
   * One version from {@code zoneText} through the whole pipeline: loaded, approved by the operator, signed,
   * approved, published. {@code tamper} changes the signed records before they are written (identity for an
   * honest signer); {@code digestOf} chooses the records whose digest the manifest carries (null: the written ones).
   *
   * @return the signed records, as the signer made them
   */
  List<Record> publish(String zoneText, UnaryOperator<List<Record>> tamper, boolean keepOriginalDigest)
      throws Exception {
    Path file = Files.createTempFile("audit", ".zone");
    Files.writeString(file, zoneText);
    ParsedZone parsed = ZoneFileParser.parse(file, origin);
    String versionId = UUID.randomUUID().toString();
    CompactRecords unsigned = CompactRecords.of(parsed.records());
    ContentLocation unsignedAt = content.write(Topics.UNSIGNED_CONTENT, zone, versionId, unsigned);
    UnsignedVersionFact loaded = UnsignedVersionFact.newBuilder().setMetadata(metadata("loader", addedEventId))
        .setZone(zone).setFact(ZoneVersionLoaded.newBuilder().setVersionId(versionId).setSerial(parsed.serial())
            .setSource(file.toString()).setByteCount(parsed.byteCount()).setContent(unsignedAt)
            .setWarnings(List.of()).build()).build();
    send(Topics.UNSIGNED_VERSIONS, loaded);
    ZoneVersionReviewed unsignedReview = review(ReviewStage.UNSIGNED, versionId, parsed.serial(),
        unsignedAt.getDigest(), loaded.getMetadata().getEventId());

    SignedZone signed = new ZoneSigner(clock, 1).sign(origin, parsed.records(), keys, 3600, SIGNING, parsed.serial());
    CompactRecords honest = CompactRecords.of(signed.records());
    CompactRecords written = CompactRecords.of(tamper.apply(new ArrayList<>(signed.records())));
    ContentLocation signedAt = content.write(Topics.SIGNED_CONTENT, zone, versionId, written);
    if (keepOriginalDigest) {
      signedAt = ContentLocation.newBuilder(signedAt).setDigest(honest.digest()).build();
    }
    dev.cascade.events.v1.SigningStats stats = dev.cascade.events.v1.SigningStats.newBuilder()
        .setUnsignedRrCount(parsed.records().size()).setDenialRrCount(signed.stats().denialRrCount())
        .setRrsigCount(signed.stats().rrsigCount()).setStartedAt(clock.instant()).setFinishedAt(clock.instant())
        .setThreads(1).build();
    SignedVersionFact signedFact = SignedVersionFact.newBuilder()
        .setMetadata(metadata("signer", unsignedReview.getMetadata().getEventId())).setZone(zone)
        .setFact(ZoneVersionSigned.newBuilder().setVersionId(versionId).setUnsignedSerial(parsed.serial())
            .setSignedSerial(parsed.serial()).setContent(signedAt).setStats(stats).setTrigger(SigningTrigger.LOADED)
            .setUnsignedVersionId(versionId).setKeySetEventId(keySetEventId).build()).build();
    send(Topics.SIGNED_VERSIONS, signedFact);
    ZoneVersionReviewed signedReview = review(ReviewStage.SIGNED, versionId, parsed.serial(), signedAt.getDigest(),
        signedFact.getMetadata().getEventId());
    send(Topics.PUBLISHED_VERSIONS, ZoneVersionPublished.newBuilder()
        .setMetadata(metadata("publisher", signedReview.getMetadata().getEventId())).setZone(zone)
        .setVersionId(versionId).setUnsignedSerial(parsed.serial()).setSignedSerial(parsed.serial())
        .setRecordCount(written.size()).setPublisherInstance("publisher-0").build());
    return signed.records();
  }

  /** The operator's approval at {@code stage}, as review-gateway writes it. */
  private ZoneVersionReviewed review(ReviewStage stage, String versionId, long serial, String digest, String cause)
      throws Exception {
    ZoneVersionReviewed review = ZoneVersionReviewed.newBuilder().setMetadata(metadata("review-gateway", cause))
        .setZone(zone).setStage(stage).setVersionId(versionId).setSerial(serial).setDecision(ReviewDecision.APPROVED)
        .setReviewer("operator").setContentDigest(digest).setNote(null).build();
    send(Topics.ZONE_REVIEWS, review);
    return review;
  }

  /** A zone file of {@code zone} with {@code serial}: SOA, NS, addresses, a TXT and a delegation. */
  static String zoneText(String zone, long serial) {
    return "$ORIGIN " + zone + "\n$TTL 3600\n"
        + "@ IN SOA ns1 hostmaster " + serial + " 7200 3600 1209600 3600\n"
        + "@ IN NS ns1\n@ IN NS ns2\nns1 IN A 192.0.2.1\nns2 IN A 192.0.2.2\nwww IN A 192.0.2.10\n"
        + "www IN TXT \"audit\"\nsub IN NS ns.sub\nns.sub IN A 192.0.2.53\n";
  }

  /** The signed records with the first RRSIG over {@code www}'s A RRset given a wrong signature (one bit flipped). */
  static List<Record> brokenRrsig(List<Record> records) {
    List<Record> out = new ArrayList<>(records);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i) instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.A
          && sig.getName().getLabelString(0).equals("www")) {
        byte[] signature = sig.getSignature().clone();
        signature[signature.length / 2] ^= 1;
        out.set(i, new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(),
            sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(),
            sig.getSigner(), signature));
        return out;
      }
    }
    throw new IllegalStateException("no RRSIG over www A");
  }

  private EventMetadata metadata(String producer, String cause) {
    return EventMetadataFactory.next(clock, producer, cause);
  }

  private void send(String topic, Object value) throws Exception {
    producer.send(new ProducerRecord<>(topic, zone, value)).get();
  }

  @Override
  public void close() {
    producer.close();
    content.close();
  }
}
