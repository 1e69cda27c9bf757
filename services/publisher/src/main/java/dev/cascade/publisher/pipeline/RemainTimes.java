package dev.cascade.publisher.pipeline;

import dev.cascade.events.PolicyFacts;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.publisher.domain.IncomingNotify;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TopicHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;

/**
 * Each zone's signature remain time, from the policy snapshot its ZoneAdded carries, or a later ZoneReloadRequested
 * (policy reload, zone set-policy): how long every signature of a version must still be valid when the version is
 * published (reference §4, {@code signature-remain-time}).
 *
 * <p>Kept in memory, read from the registry topic at start (it holds every ZoneAdded, and is small) and kept up to
 * date by the registry consumer, which waits for that reading first. Nothing else of the policy concerns the publisher
 * but the signature refresh interval, which it exports with the remain time for the alert rules ({@link
 * PublisherMetrics#policy}).
 */
@ApplicationScoped
public class RemainTimes extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(RemainTimes.class);

  private final Map<String, Duration> byZone = new ConcurrentHashMap<>();
  private final Map<String, Object> consumerConfig;
  /** Fed here too, with each zone's source: which NOTIFYs the publication server takes in. */
  private final IncomingNotify notifies;
  /** Fed here too, with each zone's refresh interval and remain time, which alert rules compare with. */
  private final PublisherMetrics metrics;

  public RemainTimes(
      IncomingNotify notifies,
      PublisherMetrics metrics,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, registryUrl);
    this.notifies = notifies;
    this.metrics = metrics;
  }

  /** The zone's remain time, if its ZoneAdded was seen. */
  Optional<Duration> of(String zone) {
    return Optional.ofNullable(byZone.get(zone));
  }

  /** Takes in one registry fact: one that sets the zone's policy sets its remain time, a ZoneRemoved forgets it. */
  void apply(ZoneRegistryFact fact) {
    String zone = ZoneApex.canonical(fact.getZone());
    if (fact.getFact() instanceof ZoneRemoved) {
      byZone.remove(zone);
      notifies.forget(Name.fromConstantString(zone));
      metrics.forget(zone);
    } else if (fact.getFact() instanceof ZoneAdded added) {
      notifies.sourceSet(Name.fromConstantString(zone), added.getSource());
    } else if (fact.getFact() instanceof ZoneReloadRequested reload) {
      notifies.sourceSet(Name.fromConstantString(zone), reload.getSource());
    }
    PolicyFacts.of(fact).ifPresent(p -> {
      byZone.put(zone, Duration.ofSeconds(p.getSignatureRemainTimeSeconds()));
      metrics.policy(zone, Duration.ofSeconds(p.getSignatureRefreshIntervalSeconds()),
          Duration.ofSeconds(p.getSignatureRemainTimeSeconds()));
    });
  }

  @Override
  protected String what() {
    return "zone policies";
  }

  /** Reads every registry fact; the registry consumer waits for it ({@link #await()}). */
  @Override
  protected int restore() {
    int read = 0;
    for (ConsumerRecord<String, ZoneRegistryFact> record :
        TopicHistory.<ZoneRegistryFact>read(consumerConfig, Topics.ZONE_REGISTRY, READ_TIMEOUT)) {
      if (record.value() == null) {
        LOG.errorf("%s offset %d of partition %d cannot be decoded; skipped", Topics.ZONE_REGISTRY, record.offset(),
            record.partition());
        continue;
      }
      apply(record.value());
      read++;
    }
    return read;
  }
}
