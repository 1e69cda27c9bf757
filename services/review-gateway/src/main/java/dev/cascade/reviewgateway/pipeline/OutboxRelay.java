package dev.cascade.reviewgateway.pipeline;

import dev.cascade.reviewgateway.domain.GateDecision;
import dev.cascade.reviewgateway.domain.GateStage;
import dev.cascade.reviewgateway.persistence.OutboxRecord;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executor;

/**
 * Sends the gate approvals waiting in the outbox and deletes each row once Kafka acknowledged it. Runs after every
 * consumed event, before its offset is committed: if the service dies between the projection commit and the send,
 * the event is redelivered at restart, recognised as already applied, and this relay sends what is still waiting.
 * Also runs once at start, at the end of {@link ProjectionRebuild}, so that what waits goes out without a next event.
 */
@ApplicationScoped
public class OutboxRelay {

  /** {@code ZoneVersionReviewed.reviewer} of an approval made because the policy has that review off. */
  static final String POLICY_REVIEWER = GateDecision.REVIEWER;

  private final ProjectionStore store;
  private final OperatorEvents events;

  public OutboxRelay(ProjectionStore store, OperatorEvents events) {
    this.store = store;
    this.events = events;
  }

  /** Must be called on the Vert.x context of the consumed message (Hibernate Reactive sessions are bound to it). */
  public Uni<Void> flush() {
    Context context = Vertx.currentContext();
    // Kafka acknowledges on its producer thread; come back to our context before touching the database again.
    Executor onContext = task -> context.runOnContext(ignored -> task.run());
    return Panache.withSession(store::pendingOutbox)
        .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
        .onItem().transformToUniAndConcatenate(row -> send(row)
            .emitOn(onContext)
            .chain(() -> Panache.withTransaction(() -> store.sent(row.eventId))))
        .collect().last()
        .replaceWithVoid();
  }

  private Uni<Void> send(OutboxRecord row) {
    return events.reviewed(row.eventId, row.causationId, row.zone, GateStage.valueOf(row.stage), row.versionId,
        row.serial, row.contentDigest, true, POLICY_REVIEWER, null);
  }
}
