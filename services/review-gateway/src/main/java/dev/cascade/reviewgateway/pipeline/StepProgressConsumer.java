package dev.cascade.reviewgateway.pipeline;

import dev.cascade.events.v1.StepProgressed;
import dev.cascade.reviewgateway.domain.StepProgressBoard;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds the three progress topics (load, sign, publish) into the in-memory {@link StepProgressBoard}, apart from the
 * facts: a report touches no table and no outbox, and none is kept across a restart (progress is throw-away), so it
 * neither waits for nor holds up the projection. A record that cannot be decoded arrives as null and is skipped.
 */
@ApplicationScoped
public class StepProgressConsumer {

  private final StepProgressBoard board;

  public StepProgressConsumer(StepProgressBoard board) {
    this.board = board;
  }

  @Incoming("step-progress")
  public void consume(StepProgressed report) {
    if (report != null) {
      board.report(report.getZone(), EventMapping.progress(report));
    }
  }
}
