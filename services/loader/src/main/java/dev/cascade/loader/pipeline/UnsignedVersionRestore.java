package dev.cascade.loader.pipeline;

import dev.cascade.content.ContentException;
import dev.cascade.content.ContentReader;
import dev.cascade.dnssec.xfr.PrimarySource;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.loader.persistence.LoaderStore;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TopicHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Record;

/**
 * Brings the loader's tables up to its own topic, {@code cascade.unsigned-versions.v1}, before any registry event is
 * handled ({@link StartupRestore}).
 *
 * <p>The loader announces a version (or a failed load) in a Kafka transaction and then records it with the registry
 * event that caused it (see {@link ZoneRegistryConsumer}); a crash in between would have that event handled again, and
 * the file, now different from the last recorded digest, announced as a second version. Events of one zone are handled
 * one after another, so only a zone's last fact can be missing from the tables; this records it and marks its cause
 * processed, so the event delivered again is skipped. Only committed facts are read ({@link
 * KafkaSettings#historyConsumer} reads {@code read_committed}): one that a fenced instance aborted was never announced,
 * and its cause is handled again by the partition's owner.
 *
 * <p>It also keeps, from the same reading, each zone's last loaded version ({@link #transferBase}): the base the first
 * IXFR after a restart applies its differences to, read back from the content topic.
 */
@ApplicationScoped
public class UnsignedVersionRestore extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(UnsignedVersionRestore.class);

  private final LoaderStore state;
  private final Map<String, Object> consumerConfig;
  /**
   * Each zone's last ZoneVersionLoaded at start, when a primary was its source, until {@link #transferBase} takes it.
   */
  private final Map<String, ZoneVersionLoaded> loadedAtStart = new ConcurrentHashMap<>();

  public UnsignedVersionRestore(
      LoaderStore state,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    this.state = state;
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, registryUrl);
  }

  @Override
  protected String what() {
    return "unsigned versions";
  }

  /** Records the last fact of each zone where the tables lack it; registry events wait for it. */
  @Override
  protected int restore() {
    Map<String, UnsignedVersionFact> lastOfZone = new LinkedHashMap<>();
    for (ConsumerRecord<String, UnsignedVersionFact> record :
        TopicHistory.<UnsignedVersionFact>read(consumerConfig, Topics.UNSIGNED_VERSIONS, READ_TIMEOUT)) {
      if (record.value() == null) {
        LOG.errorf("%s offset %d of partition %d cannot be decoded; skipped", Topics.UNSIGNED_VERSIONS,
            record.offset(), record.partition());
      } else if (record.value().getMetadata().getCausationId() != null) {
        lastOfZone.put(ZoneApex.canonical(record.value().getZone()), record.value());
        if (record.value().getFact() instanceof ZoneVersionLoaded loaded) {
          keepTransferBase(ZoneApex.canonical(record.value().getZone()), loaded);
        }
      }
    }
    int recorded = 0;
    for (Map.Entry<String, UnsignedVersionFact> last : lastOfZone.entrySet()) {
      if (record(last.getKey(), last.getValue())) {
        recorded++;
      }
    }
    return recorded;
  }

  /**
   * The records of {@code zone}'s last loaded version, when it is the one of {@code serial} from {@code source}: the
   * base an IXFR applies its differences to (RFC 1995 §4) after a restart, which emptied the loader's memory of the
   * last transfer. Read from the content topic once per zone; a later refresh keeps its own transfer. The content is
   * the transfer normalised (ZoneNormaliser), which holds the same RRsets, so the differences apply to it as to the
   * transfer: a difference that deletes a record it lacks fails the IXFR as malformed, and the next refresh, with no
   * base left, transfers the whole zone. Empty when there is no such version or its content cannot be read.
   */
  Optional<List<Record>> transferBase(String zone, String source, long serial) {
    ZoneVersionLoaded loaded = loadedAtStart.remove(zone);
    if (loaded == null || !source.equals(loaded.getSource()) || loaded.getSerial() != serial) {
      return Optional.empty();
    }
    try (ContentReader reader = new ContentReader(consumerConfig)) {
      List<Record> records = reader.readCompact(loaded.getContent(), zone, loaded.getVersionId()).toRecords();
      LOG.infof("zone %s: serial %d read back as the base of the next IXFR", zone, serial);
      return Optional.of(records);
    } catch (ContentException e) {
      LOG.warnf("zone %s: serial %d cannot be read back (%s); the next transfer is an AXFR", zone, serial,
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Keeps {@code loaded} as {@code zone}'s transfer base when a primary was its source; a later version from a file
   * drops the base, as no IXFR follows it.
   */
  private void keepTransferBase(String zone, ZoneVersionLoaded loaded) {
    if (PrimarySource.isPrimary(loaded.getSource())) {
      loadedAtStart.put(zone, loaded);
    } else {
      loadedAtStart.remove(zone);
    }
  }

  /** Records {@code event}, the last fact of {@code zone}, unless its cause is marked processed; whether it did. */
  private boolean record(String zone, UnsignedVersionFact event) {
    String cause = event.getMetadata().getCausationId();
    if (state.alreadyProcessed(cause)) {
      return false;
    }
    if (event.getFact() instanceof ZoneVersionLoaded loaded) {
      LOG.warnf("zone %s version %s: announced but not recorded (a crash in between): recorded now", zone,
          loaded.getVersionId());
      state.recordVersion(zone, loaded.getSource(), loaded.getContent().getDigest(), loaded.getVersionId(),
          loaded.getSerial(), event.getMetadata().getOccurredAt(), cause);
    } else {
      LOG.warnf("zone %s: a failed load was announced but not recorded (a crash in between): recorded now", zone);
      state.markProcessed(cause);
    }
    return true;
  }
}
