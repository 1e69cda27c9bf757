package dev.cascade.reviewgateway.pipeline;

import dev.cascade.events.v1.PropagationChecked;
import dev.cascade.reviewgateway.domain.RollCheckBoard;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds the key manager's propagation checks ({@code cascade.roll-checks.v1}) into the in-memory
 * {@link RollCheckBoard}, apart from the facts, as {@link StepProgressConsumer} does with progress. A record that
 * cannot be decoded arrives as null and is skipped.
 */
@ApplicationScoped
public class RollCheckConsumer {

  private final RollCheckBoard board;

  public RollCheckConsumer(RollCheckBoard board) {
    this.board = board;
  }

  @Incoming("roll-checks")
  public void consume(PropagationChecked check) {
    if (check != null) {
      board.report(check.getZone(), new RollCheckBoard.RollCheck(check.getVariant(), check.getPhase(),
          check.getPropagated(), check.getTtlSeconds(), check.getSummary(), List.copyOf(check.getExpected()),
          check.getMetadata().getOccurredAt()));
    }
  }
}
