package dev.cascade.reviewgateway.pipeline;

import dev.cascade.reviewgateway.domain.GateDecision;
import dev.cascade.reviewgateway.domain.ReviewHookDue;
import dev.cascade.reviewgateway.domain.StepProgressBoard;
import dev.cascade.reviewgateway.domain.ZoneProjector;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import dev.cascade.service.messaging.EventHandling;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds every fact topic (all but the content and progress topics) and the services' dead-letter topics into the
 * projection and the review gates. One channel subscribes to all eleven topics, so events are applied one at a time:
 * two events about one zone can never update its row concurrently. Order holds per topic (per zone, as records are
 * keyed by apex); across topics it follows arrival. Each fact applied also ends the progress of the step it closes
 * ({@link StepProgressBoard#factApplied}).
 */
@ApplicationScoped
public class PipelineConsumer {

  private static final Logger LOG = Logger.getLogger(PipelineConsumer.class);

  private final ProjectionStore store;
  private final OutboxRelay relay;
  private final StepProgressBoard progress;
  private final EventHandling handling;
  private final ProjectionRebuild rebuild;
  private final ReviewHookRunner hooks;
  private final ReviewMetrics metrics;

  public PipelineConsumer(ProjectionStore store, OutboxRelay relay, StepProgressBoard progress,
      EventHandling handling, ProjectionRebuild rebuild, ReviewHookRunner hooks, ReviewMetrics metrics) {
    this.store = store;
    this.relay = relay;
    this.progress = progress;
    this.handling = handling;
    this.rebuild = rebuild;
    this.hooks = hooks;
    this.metrics = metrics;
  }

  /**
   * Applies one event ({@link #applyOnce}) once the projection is rebuilt ({@link ProjectionRebuild}), then sends
   * gate approvals and starts the review hooks it made due, once it is committed. Through {@link EventHandling}: a failure is tried again with backoff, and an event that still
   * fails, or cannot be decoded, is set aside on review-gateway's dead-letter topic, so the projection and both gates
   * go on for every other event.
   */
  @Incoming("pipeline-events")
  public Uni<Void> consume(ConsumerRecord<String, Object> record) {
    return handling.reactive(record, () -> {
      EventMapping.Incoming in = EventMapping.fromAvro(record.value());
      if (in == null) {
        LOG.debugf("Ignoring %s from %s", record.value().getClass(), record.topic());
        return Uni.createFrom().voidItem();
      }
      return rebuild.whenRebuilt(() -> applyOnce(store, in, decision -> true, metrics)
          .invoke(due -> due.ifPresent(list -> list.forEach(hooks::start)))
          .invoke(() -> progress.factApplied(in.zone(), in.fact()))
          .chain(relay::flush));
    });
  }

  /**
   * Applies one event in one transaction (state, history, outbox, processed marker), unless its eventId is marked
   * processed already; of the gate approvals it leads to, the outbox gets those {@code keep} accepts (the consumer
   * keeps all, a rebuild those not yet on the topic). Returns the review hooks the event made due, empty if it was
   * not applied; {@code metrics} are set from the zone's new status. Must be called on a Vert.x context.
   */
  static Uni<Optional<List<ReviewHookDue>>> applyOnce(
      ProjectionStore store, EventMapping.Incoming in, Predicate<GateDecision> keep, ReviewMetrics metrics) {
    return Panache.withTransaction(() -> store.isProcessed(in.eventId()).chain(done -> {
      if (done) {
        return Uni.createFrom().item(Optional.<List<ReviewHookDue>>empty());
      }
      return store.load(in.zone()).chain(state -> {
        ZoneProjector.Outcome outcome = ZoneProjector.apply(in.zone(), state, in.fact(), in.occurredAt());
        return store.record(in.zone(), in.eventId(), outcome.state(), outcome.history(),
            outcome.decisions().stream().filter(keep).toList())
            .invoke(() -> metrics.applied(in.zone(), outcome.state()))
            .replaceWith(Optional.of(outcome.hooks()));
      });
    }));
  }
}
