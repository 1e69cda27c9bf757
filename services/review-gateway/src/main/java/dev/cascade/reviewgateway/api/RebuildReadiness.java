package dev.cascade.reviewgateway.api;

import dev.cascade.reviewgateway.pipeline.ProjectionRebuild;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the projection is rebuilt from the events review-gateway consumed before: until then no event is
 * applied and the API waits.
 */
@Readiness
@ApplicationScoped
public class RebuildReadiness implements HealthCheck {

  private final ProjectionRebuild rebuild;

  public RebuildReadiness(ProjectionRebuild rebuild) {
    this.rebuild = rebuild;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("projection rebuilt").status(rebuild.done()).build();
  }
}
