package dev.cascade.reviewgateway.config;

import dev.cascade.reviewgateway.domain.RollCheckBoard;
import dev.cascade.reviewgateway.domain.StepProgressBoard;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI producers for the plain-Java domain objects review-gateway shares between its beans. */
public class DomainBeans {

  /** One board for the whole service: the progress consumer writes it, the pipeline consumer and the API read it. */
  @Produces
  @Singleton
  StepProgressBoard stepProgressBoard() {
    return new StepProgressBoard();
  }

  /** One board of propagation checks: the roll-check consumer writes it, the API reads it. */
  @Produces
  @Singleton
  RollCheckBoard rollCheckBoard() {
    return new RollCheckBoard();
  }
}
