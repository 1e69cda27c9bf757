package dev.cascade.loader.pipeline;

import dev.cascade.dnssec.xfr.PrimarySource;
import dev.cascade.dnssec.xfr.RefreshTimers;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.loader.persistence.LoaderStore;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.RebuildHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rebuilds the loader's tables from the log at start ({@link StartupRestore}), after {@link UnsignedVersionRestore}
 * and before any registry event is handled: an emptied schema gets back each zone's last loaded version and the
 * processed registry events, so an unchanged file stays unchanged and a handled event is not loaded again.
 *
 * <p>The registry events the loader's group consumed ({@link RebuildHistory}) are applied in order, each with the
 * fact it caused on {@code cascade.unsigned-versions.v1} (found by causationId): a ZoneVersionLoaded sets the zone's
 * row from the values the fact carries, a ZoneRemoved deletes it, anything else (a failed or unchanged load) only
 * marks the event processed. Facts whose cause lies after the committed offset (handled, not yet committed) are
 * applied last; their causes are delivered again and skipped. A zone added or reloaded with a primary as its source
 * gets refresh timers due at once (they are not on the log). Nothing is loaded, written or announced. When every
 * event is marked processed already, nothing is applied.
 */
@ApplicationScoped
public class LoaderRebuild extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(LoaderRebuild.class);

  private final LoaderStore state;
  private final UnsignedVersionRestore restore;
  private final Map<String, Object> consumerConfig;
  private final String group;

  public LoaderRebuild(
      LoaderStore state,
      UnsignedVersionRestore restore,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl,
      @ConfigProperty(name = "mp.messaging.incoming." + Channels.ZONE_REGISTRY + ".group.id") String group) {
    this.state = state;
    this.restore = restore;
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, registryUrl);
    this.group = group;
  }

  @Override
  protected String what() {
    return "loader projection";
  }

  @Override
  protected StartupRestore after() {
    return restore;
  }

  /** Applies the log to the tables when they lack any of it; returns how many events it applied (0: none lacking). */
  @Override
  protected int restore() {
    RebuildHistory<ZoneRegistryFact, UnsignedVersionFact> history =
        RebuildHistory.read(consumerConfig, group, List.of(Topics.ZONE_REGISTRY), Topics.UNSIGNED_VERSIONS,
            READ_TIMEOUT);
    Map<String, UnsignedVersionFact> factOfCause = new LinkedHashMap<>();
    for (ConsumerRecord<String, UnsignedVersionFact> record : history.own()) {
      if (record.value() != null && record.value().getMetadata().getCausationId() != null) {
        factOfCause.put(record.value().getMetadata().getCausationId(), record.value());
      }
    }
    List<Step> steps = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<String, ZoneRegistryFact> record : history.consumed()) {
      // An undecodable record was set aside by the handler, never processed; a redelivered one was skipped.
      if (record.value() != null && seen.add(record.value().getMetadata().getEventId())) {
        String eventId = record.value().getMetadata().getEventId();
        steps.add(new Step(ZoneApex.canonical(record.value().getZone()), eventId, record.value().getFact(),
            factOfCause.remove(eventId)));
      }
    }
    factOfCause.forEach((cause, fact) -> steps.add(new Step(ZoneApex.canonical(fact.getZone()), cause, null, fact)));

    Set<String> processed = state.processedEventIds();
    if (steps.stream().allMatch(step -> processed.contains(step.eventId()))) {
      return 0;
    }
    LOG.infof("the tables lack events of the log: replaying %d registry event(s)", steps.size());
    steps.forEach(this::apply);
    return steps.size();
  }

  private void apply(Step step) {
    String source = step.registryFact() instanceof ZoneAdded added ? added.getSource()
        : step.registryFact() instanceof ZoneReloadRequested reload ? reload.getSource() : null;
    if (source != null && PrimarySource.isPrimary(source)) {
      // The timers of a zone loaded from a primary are not on the log: it is refreshed at once (an SOA query).
      state.saveTransferState(step.zone(), source, RefreshTimers.initial(Instant.now()), null);
    } else if (source != null) {
      state.forgetTransferState(step.zone());
    }
    if (step.fact() != null && step.fact().getFact() instanceof ZoneVersionLoaded loaded) {
      state.replayVersion(step.zone(), loaded.getSource(), loaded.getContent().getDigest(),
          loaded.getVersionId(), loaded.getSerial(), step.fact().getMetadata().getOccurredAt(), step.eventId());
    } else if (step.fact() == null && step.registryFact() instanceof ZoneRemoved) {
      state.replayRemoval(step.zone(), step.eventId());
    } else {
      state.replayProcessed(step.eventId());
    }
  }

  /**
   * One registry event to apply.
   *
   * @param registryFact what the event said, or null for a fact whose cause lies after the committed offset
   * @param fact the fact the loader announced for it, or null when it announced none
   */
  private record Step(String zone, String eventId, Object registryFact, UnsignedVersionFact fact) {}
}
