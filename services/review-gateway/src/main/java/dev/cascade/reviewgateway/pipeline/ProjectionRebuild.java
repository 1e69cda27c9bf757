package dev.cascade.reviewgateway.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.reviewgateway.domain.GateDecision;
import dev.cascade.reviewgateway.domain.ZoneState;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.database.BlockingSessions;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.RebuildHistory;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rebuilds review-gateway's projection from the log at start ({@link StartupRestore}), before any event is handled
 * and before the API answers from it: an emptied schema gets back every zone's status, its history (with the times
 * the events carry) and the processed events, so the zones show as before and nothing handled is applied twice.
 *
 * <p>The events group {@code review-gateway} consumed from every topic of its channel ({@link RebuildHistory}) are
 * applied in the order they were written (by record timestamp, a stable sort, as in the signer's rebuild), each in a
 * transaction of its own through {@link dev.cascade.reviewgateway.domain.ZoneProjector}, exactly as
 * {@link PipelineConsumer} applied them ({@link PipelineConsumer#applyOnce}); an event already marked processed is
 * skipped, as are the records the consumer could not decode or set aside on review-gateway's dead-letter topic (they
 * never reached the projection). The gateway's own topic {@code cascade.zone-reviews.v1} is also one of its inputs:
 * its records up to the committed offset are applied once, from the consumed history; the whole topic, read as the
 * service's own, only says which gate approvals are on it already.
 *
 * <p>A gate approval the projector decides again ({@link GateDecision}, review mode {@code off}) is not sent again
 * when an approval caused by the same event (causationId = that event's id, same stage and version) is on the topic.
 * One that is not there (the service died between committing the event and sending it, and the schema that held it
 * in the outbox was lost too) is kept in the outbox and sent once the rebuild is done, as the relay would have sent
 * it: the gate owes that decision, and nothing downstream has seen it. When every event the group consumed is marked
 * processed already, nothing is applied. Either way the rebuild ends with the relay's start-up flush of the outbox,
 * and with the review hooks of the versions waiting at a script gate ({@link ReviewHookRunner#resume}).
 */
@ApplicationScoped
public class ProjectionRebuild extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(ProjectionRebuild.class);

  private final ProjectionStore store;
  private final OutboxRelay relay;
  private final ReviewHookRunner hooks;
  private final ReviewMetrics metrics;
  private final Map<String, Object> consumerConfig;
  private final String group;
  private final List<String> topics;

  public ProjectionRebuild(
      ProjectionStore store,
      OutboxRelay relay,
      ReviewHookRunner hooks,
      ReviewMetrics metrics,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl,
      @ConfigProperty(name = "mp.messaging.incoming.pipeline-events.group.id") String group,
      @ConfigProperty(name = "mp.messaging.incoming.pipeline-events.topics") List<String> topics) {
    this.store = store;
    this.relay = relay;
    this.hooks = hooks;
    this.metrics = metrics;
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, registryUrl);
    this.group = group;
    this.topics = List.copyOf(topics);
  }

  @Override
  protected String what() {
    return "review-gateway projection";
  }

  /**
   * Applies the log to the projection when it lacks any of it; returns how many events it applied (0: none lacking).
   */
  @Override
  protected int restore() {
    RebuildHistory<Object, ZoneVersionReviewed> history =
        RebuildHistory.read(consumerConfig, group, topics, Topics.ZONE_REVIEWS, READ_TIMEOUT);
    Set<Approval> sent = new HashSet<>();
    for (ConsumerRecord<String, ZoneVersionReviewed> record : history.own()) {
      ZoneVersionReviewed review = record.value();
      if (review != null && review.getMetadata().getCausationId() != null) {
        sent.add(new Approval(review.getMetadata().getCausationId(), review.getStage().name(),
            review.getVersionId()));
      }
    }
    List<EventMapping.Incoming> events = events(history.consumed());
    Set<String> processed = BlockingSessions.inSession(store::processedEventIds);
    int applied = 0;
    if (!events.stream().allMatch(in -> processed.contains(in.eventId()))) {
      LOG.infof("the projection lacks events of the log: replaying %d event(s)", events.size());
      for (EventMapping.Incoming in : events) {
        boolean done = BlockingSessions.await(() -> PipelineConsumer.applyOnce(store, in,
            decision -> !sent.contains(new Approval(in.eventId(), decision.stage().name(), decision.versionId())),
            metrics))
            .isPresent();
        if (done) {
          applied++;
        }
      }
    }
    // What the outbox holds (kept above, or left by a crash before the relay sent it) goes out now, not only after
    // the next event; the consumer, which also flushes after each event, waits for this.
    BlockingSessions.await(relay::flush);
    // The hooks of versions still waiting at a script gate: those due during the replay, and those that were running
    // when the service stopped.
    List<ZoneState> zones = BlockingSessions.inSession(store::all);
    hooks.resume(zones);
    // The review waits of every zone, also those the replay did not touch (the tables held them already).
    zones.forEach(zone -> metrics.applied(zone.name, zone));
    return applied;
  }

  /**
   * {@code work} once the projection is rebuilt, on the caller's Vert.x context: the rebuild completes on a thread of
   * its own, and Hibernate Reactive sessions are bound to the context they were opened on.
   */
  public <T> Uni<T> whenRebuilt(Supplier<Uni<T>> work) {
    return Uni.createFrom().deferred(() -> {
      if (done()) {
        return work.get();
      }
      Context context = Vertx.currentContext();
      Executor resume = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
      // A stage of its own: a caller that gives up (a closed HTTP request) cancels it, not the rebuild's.
      return Uni.createFrom().completionStage(restored().thenRun(() -> { }))
          .emitOn(resume)
          .chain(() -> work.get());
    });
  }

  /** The consumed events the consumer applied, in the order they were written. */
  private static List<EventMapping.Incoming> events(List<ConsumerRecord<String, Object>> consumed) {
    Set<Location> setAside = new HashSet<>();
    String ownDeadLetters = Topics.deadLetters(OperatorEvents.PRODUCER);
    for (ConsumerRecord<String, Object> record : consumed) {
      if (record.topic().equals(ownDeadLetters) && record.value() instanceof EventDeadLettered letter) {
        setAside.add(new Location(letter.getTopic(), letter.getPartition(), letter.getOffset()));
      }
    }
    List<ConsumerRecord<String, Object>> log = new ArrayList<>(consumed);
    // A stable sort: records with the same timestamp keep their order within their partition.
    log.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
    List<EventMapping.Incoming> events = new ArrayList<>();
    for (ConsumerRecord<String, Object> record : log) {
      if (record.value() == null
          || setAside.contains(new Location(record.topic(), record.partition(), record.offset()))) {
        continue;
      }
      EventMapping.Incoming in = EventMapping.fromAvro(record.value());
      if (in != null) {
        events.add(in);
      }
    }
    return events;
  }

  /** A gate approval on the topic, by the event that caused it. */
  private record Approval(String causationId, String stage, String versionId) {}

  /** Where a record is on its topic. */
  private record Location(String topic, int partition, long offset) {}
}
