package dev.cascade.publisher.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.publisher.domain.SignedVersion;
import dev.cascade.publisher.persistence.PublisherStore.Approval;
import dev.cascade.publisher.persistence.PublisherStore.Held;
import dev.cascade.publisher.persistence.PublisherStore;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.RebuildHistory;
import dev.cascade.service.messaging.TransactionsConfig;
import dev.cascade.service.tracing.ZoneSpans;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rebuilds the publisher's tables from the log at start ({@link StartupRestore}), before any event is handled: an
 * emptied schema gets back every signed version heard of with its approval, and each zone's published version, which
 * {@link PublishedVersionRestore} then serves again; nothing is published or announced.
 *
 * <p>The events the publisher's group consumed ({@link RebuildHistory}: signed versions, reviews, the registry) and
 * the ZoneVersionPublished facts of this instance (every publisher replica announces what it serves itself; one that
 * names no instance was made before announcements did, and is taken as this instance's) are applied as the consumers
 * recorded them, in the order they were written (by record timestamp; an announcement is written after the approval
 * that led to it), each with the time its event carries: a ZoneVersionSigned and a signed-gate approval fill a
 * version's row, a ZoneVersionPublished makes that version the zone's published one, a ZoneRemoved forgets the zone.
 * When the tables hold what the log gives (every signed version of a zone not removed since, each zone's last
 * published version), nothing is applied.
 *
 * <p>The publisher's restores write no table (one serves what the tables hold, one keeps remain times in memory): the
 * rebuild waits for none of them, and serves what it rebuilt itself.
 */
@ApplicationScoped
public class PublisherRebuild extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(PublisherRebuild.class);
  /** The topics the publisher's group consumes that its tables come from (unsigned versions only go to review). */
  private static final List<String> INPUTS = List.of(Topics.SIGNED_VERSIONS, Topics.ZONE_REVIEWS, Topics.ZONE_REGISTRY);

  private final PublisherStore store;
  private final PublishedVersionRestore publishedRestore;
  private final Map<String, Object> consumerConfig;
  private final String group;
  private final String instance;

  public PublisherRebuild(
      PublisherStore store,
      PublishedVersionRestore restore,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl,
      @ConfigProperty(name = "mp.messaging.incoming.signed-versions.group.id") String group,
      TransactionsConfig transactions) {
    this.store = store;
    this.publishedRestore = restore;
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, registryUrl);
    this.group = group;
    this.instance = transactions.instance();
  }

  @Override
  protected String what() {
    return "publisher projection";
  }

  /** Applies the log to the tables when they lack any of it; returns how many records it applied (0: none lacking). */
  @Override
  protected int restore() {
    RebuildHistory<SpecificRecord, ZoneVersionPublished> history =
        RebuildHistory.read(consumerConfig, group, INPUTS, Topics.PUBLISHED_VERSIONS, READ_TIMEOUT);
    List<ConsumerRecord<String, ? extends SpecificRecord>> log = new ArrayList<>(history.consumed());
    history.own().stream().filter(this::announcedByThisInstance).forEach(log::add);
    // A stable sort: records with the same timestamp keep their topic order.
    log.sort(Comparator.comparingLong(record -> record.timestamp()));
    if (!lacksAny(log, store.held())) {
      return 0;
    }
    LOG.infof("the tables lack facts of the log: replaying %d record(s)", log.size());
    int applied = 0;
    for (ConsumerRecord<String, ? extends SpecificRecord> record : log) {
      if (record.value() != null) {
        apply(record.value(), ZoneSpans.traceparentOf(record));
        applied++;
      }
    }
    publishedRestore.restore();
    return applied;
  }

  private boolean announcedByThisInstance(ConsumerRecord<String, ZoneVersionPublished> record) {
    String by = record.value() == null ? null : record.value().getPublisherInstance();
    return by == null || by.equals(instance);
  }

  /** Whether the tables lack a signed version or a publication that the log, applied in order, leaves. */
  private static boolean lacksAny(List<ConsumerRecord<String, ? extends SpecificRecord>> log, Held held) {
    Map<String, String> zoneOfSigned = new HashMap<>();
    Map<String, String> published = new HashMap<>();
    for (ConsumerRecord<String, ? extends SpecificRecord> record : log) {
      SpecificRecord event = record.value();
      if (event instanceof SignedVersionFact fact && fact.getFact() instanceof ZoneVersionSigned signed) {
        zoneOfSigned.put(signed.getVersionId(), ZoneApex.canonical(fact.getZone()));
      } else if (event instanceof ZoneVersionPublished announced) {
        published.put(ZoneApex.canonical(announced.getZone()), announced.getVersionId());
      } else if (event instanceof ZoneRegistryFact registry && registry.getFact() instanceof ZoneRemoved) {
        String zone = ZoneApex.canonical(registry.getZone());
        zoneOfSigned.values().removeIf(zone::equals);
        published.remove(zone);
      }
    }
    return !held.signedVersions().containsAll(zoneOfSigned.keySet())
        || published.entrySet().stream().anyMatch(p -> !p.getValue().equals(held.published().get(p.getKey())));
  }

  /**
   * What the consumer of {@code event}, received in {@code traceparent}, recorded, or the publication that announced
   * it.
   */
  private void apply(SpecificRecord event, String traceparent) {
    if (event instanceof SignedVersionFact fact && fact.getFact() instanceof ZoneVersionSigned signed) {
      store.saveSignedVersion(EventMapping.signedVersion(fact.getZone(), signed, traceparent),
          fact.getMetadata().getOccurredAt());
    } else if (event instanceof ZoneVersionReviewed review && review.getStage() == ReviewStage.SIGNED
        && review.getDecision() == ReviewDecision.APPROVED) {
      store.approve(ZoneApex.canonical(review.getZone()), review.getVersionId(),
          new Approval(review.getMetadata().getEventId(), review.getContentDigest()),
          review.getMetadata().getOccurredAt());
    } else if (event instanceof ZoneRegistryFact registry && registry.getFact() instanceof ZoneRemoved) {
      store.forgetZone(ZoneApex.canonical(registry.getZone()));
    } else if (event instanceof ZoneVersionPublished announced) {
      applyPublished(announced);
    }
  }

  private void applyPublished(ZoneVersionPublished announced) {
    String zone = ZoneApex.canonical(announced.getZone());
    Optional<SignedVersion> current = store.findPublished(zone);
    if (current.isPresent() && current.get().versionId().equals(announced.getVersionId())) {
      // Announced again for a redelivered approval: the publication, and its time, are the first announcement's.
      return;
    }
    Optional<SignedVersion> version = store.findSignedVersion(announced.getVersionId());
    if (version.isEmpty()) {
      LOG.errorf("zone %s version %s: announced as published, but its signed-version fact is not in the log;"
          + " not rebuilt", zone, announced.getVersionId());
      return;
    }
    store.savePublished(version.get(), announced.getMetadata().getOccurredAt());
  }
}
