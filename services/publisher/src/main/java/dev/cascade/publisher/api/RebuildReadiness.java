package dev.cascade.publisher.api;

import dev.cascade.publisher.pipeline.PublisherRebuild;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the tables are rebuilt from the events the publisher consumed before: until then none is handled. */
@Readiness
@ApplicationScoped
public class RebuildReadiness implements HealthCheck {

  private final PublisherRebuild rebuild;

  public RebuildReadiness(PublisherRebuild rebuild) {
    this.rebuild = rebuild;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("projection rebuilt").status(rebuild.done()).build();
  }
}
