package dev.cascade.publisher.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.publisher.domain.TestRecords;
import dev.cascade.publisher.persistence.PublisherStore;
import dev.cascade.publisher.persistence.PublisherStore.Approval;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.kafka.TopicHistory;
import dev.cascade.service.messaging.ConsumedEvent;
import dev.cascade.service.messaging.FactTransactions;
import dev.cascade.service.messaging.TransactionsConfig;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.kafka.AvroClients;
import dev.cascade.testinfra.kafka.ConsumerGroups;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once publications (issue 9): every ZoneVersionPublished is written in a Kafka transaction fenced by the
 * approval it answers, the publisher's group commits its offset past that approval in a transaction, an announcement
 * made again for the same approval is the same fact (the same eventId), and a fenced announcement is seen by no one.
 * Read as a {@code read_committed} consumer reads the topic (the review-gateway, the rebuild).
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class PublicationExactlyOnceComponentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  /** The publisher's consumer group in the tests (application.properties, CASCADE_GROUP_ID unset). */
  private static final String GROUP = "publisher";

  @Inject PublicationService publication;
  @Inject FactTransactions transactions;
  @Inject PublisherStore store;
  @Inject PublisherRebuild rebuild;
  @Inject TransactionsConfig instance;

  @Test
  void aPublicationIsAnnouncedOnceInATransactionByThisInstanceAndTheGroupResumesPastIt() throws Exception {
    String zone = uniqueZone();
    String versionId = UUID.randomUUID().toString();
    send(Topics.SIGNED_VERSIONS, zone, signedVersion(zone, versionId, 2026120701));
    ZoneVersionReviewed approval = approval(zone, versionId, 2026120701);

    ConsumerGroups.awaitCommittedPast(Bus.bootstrap(), GROUP, send(Topics.ZONE_REVIEWS, zone, approval), TIMEOUT);

    List<ZoneVersionPublished> facts = committedFacts(zone);
    assertEquals(1, facts.size(), "one fact, seen by a read_committed reader: " + facts);
    ZoneVersionPublished published = facts.get(0);
    assertEquals(versionId, published.getVersionId());
    assertEquals(instance.instance(), published.getPublisherInstance(), "names the instance that serves it");
    assertEquals(eventId(approval), published.getMetadata().getCausationId());
    assertEquals(versionId, store.findPublished(zone).orElseThrow().versionId());
    assertEquals(Optional.of(published.getMetadata().getOccurredAt()), store.publishedAt(zone),
        "recorded at the time the fact carries");
  }

  /**
   * An approval delivered again after its publication was announced (a crash between the transaction and the offset
   * move; review-gateway's outbox may also send an approval twice): the publication is announced again as the same
   * fact, the same eventId and the same content, so a reader that dedupes on eventIds sees one.
   */
  @Test
  void anApprovalDeliveredAgainAnnouncesTheSameFact() throws Exception {
    String zone = uniqueZone();
    String versionId = UUID.randomUUID().toString();
    send(Topics.SIGNED_VERSIONS, zone, signedVersion(zone, versionId, 2026120702));
    ZoneVersionReviewed approval = approval(zone, versionId, 2026120702);
    ConsumerGroups.awaitCommittedPast(Bus.bootstrap(), GROUP, send(Topics.ZONE_REVIEWS, zone, approval), TIMEOUT);
    ZoneVersionPublished first = committedFacts(zone).get(0);

    ConsumerGroups.awaitCommittedPast(Bus.bootstrap(), GROUP, send(Topics.ZONE_REVIEWS, zone, approval), TIMEOUT);

    List<ZoneVersionPublished> facts = committedFacts(zone);
    assertEquals(2, facts.size(), "announced again for the approval delivered again: " + facts);
    assertEquals(first, facts.get(1), "the same fact: eventId, time and content");
  }

  /**
   * Zombie fencing (KIP-447): an approval handled for a consumer group member the group does not know (this instance
   * paused past its session timeout) cannot announce its publication: a read_committed reader sees nothing. The
   * publication was recorded before its transaction, as a crash between the two would leave it; the approval,
   * delivered again, finds the version published and announces it once, under the eventId the fenced announcement
   * had.
   */
  @Test
  void aFencedAnnouncementIsNotSeenAndTheApprovalDeliveredAgainAnnouncesItOnce() throws Exception {
    String zone = uniqueZone();
    String versionId = UUID.randomUUID().toString();
    ConsumerGroups.awaitCommittedPast(Bus.bootstrap(), GROUP,
        send(Topics.SIGNED_VERSIONS, zone, signedVersion(zone, versionId, 2026120703)), TIMEOUT);
    ZoneVersionReviewed approval = approval(zone, versionId, 2026120703);
    ConsumedEvent evicted = new ConsumedEvent(new TopicPartition(Topics.ZONE_REVIEWS, 0), 0,
        new ConsumerGroupMetadata(GROUP, 1, "publisher-evicted-member", Optional.empty()));

    FencedWriteException fenced = assertThrows(FencedWriteException.class,
        () -> transactions.within(evicted, () -> publication.approveSigned(zone, versionId,
            new Approval(eventId(approval), approval.getContentDigest()), approval.getMetadata().getOccurredAt())));
    assertEquals(FencedWriteException.Fenced.CONSUMED_EVENT, fenced.fenced());
    assertEquals(List.of(), committedFacts(zone), "nothing announced");
    assertEquals(versionId, store.findPublished(zone).orElseThrow().versionId(), "recorded before the transaction");

    ConsumerGroups.awaitCommittedPast(Bus.bootstrap(), GROUP, send(Topics.ZONE_REVIEWS, zone, approval), TIMEOUT);

    List<ZoneVersionPublished> facts = committedFacts(zone);
    assertEquals(1, facts.size(), "announced once: " + facts);
    assertEquals(versionId, facts.get(0).getVersionId());
    assertEquals(
        PublicationService.announcementId(store.findPublished(zone).orElseThrow(), eventId(approval),
            instance.instance()),
        facts.get(0).getMetadata().getEventId(),
        "the eventId derived from the approval and the instance, as the fenced announcement had it");
  }

  /**
   * Every publisher replica announces what it serves itself: another instance's announcement of a version is no
   * publication of this one's, and a rebuild of this instance's tables does not take it for one.
   */
  @Test
  void theRebuildTakesNoOtherInstancesAnnouncementForItsOwn() throws Exception {
    String zone = uniqueZone();
    String versionId = UUID.randomUUID().toString();
    RecordMetadata signed = send(Topics.SIGNED_VERSIONS, zone, signedVersion(zone, versionId, 2026120704));
    ConsumerGroups.awaitCommittedPast(Bus.bootstrap(), GROUP, signed, TIMEOUT);
    ZoneVersionPublished byAnother = ZoneVersionPublished.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), "publisher", null))
        .setZone(zone)
        .setVersionId(versionId)
        .setUnsignedSerial(2026120704)
        .setSignedSerial(2026120704)
        .setRecordCount(10)
        .setPublisherInstance(instance.instance() + "-other")
        .build();
    send(Topics.PUBLISHED_VERSIONS, zone, byAnother);

    rebuild.restore();

    assertEquals(Optional.empty(), store.findPublished(zone), "not published by this instance");
    assertTrue(store.findSignedVersion(versionId).isPresent(), "the signed version is known");
  }

  private static String uniqueZone() {
    return "eos" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ".example.";
  }

  private static SignedVersionFact signedVersion(String zone, String versionId, long serial) {
    ContentLocation content =
        PublisherPipelineComponentTest.write(Topics.SIGNED_CONTENT, zone, versionId, TestRecords.zone(zone, serial, 10));
    return PublisherPipelineComponentTest.signed(zone, versionId, serial, content);
  }

  private static ZoneVersionReviewed approval(String zone, String versionId, long serial) {
    return PublisherPipelineComponentTest.review(zone, versionId, ReviewStage.SIGNED, serial, ReviewDecision.APPROVED);
  }

  private static String eventId(ZoneVersionReviewed review) {
    return review.getMetadata().getEventId();
  }

  private static RecordMetadata send(String topic, String zone, SpecificRecord event) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = AvroClients.producer(Bus.bootstrap(), Bus.registry())) {
      return producer.send(new ProducerRecord<>(topic, zone, event)).get(30, TimeUnit.SECONDS);
    }
  }

  /** The announcements about {@code zone} a read_committed reader finds on the published-versions topic, in order. */
  private static List<ZoneVersionPublished> committedFacts(String zone) {
    return TopicHistory.<ZoneVersionPublished>read(Bus.consumerConfig(), Topics.PUBLISHED_VERSIONS, TIMEOUT).stream()
        .filter(record -> zone.equals(record.key()))
        .map(ConsumerRecord::value)
        .toList();
  }
}
