package dev.cascade.loader.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.loader.persistence.LoaderState;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TopicHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

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
 */
@ApplicationScoped
public class UnsignedVersionRestore extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(UnsignedVersionRestore.class);

  private final LoaderState state;
  private final Map<String, Object> consumerConfig;

  public UnsignedVersionRestore(
      LoaderState state,
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
