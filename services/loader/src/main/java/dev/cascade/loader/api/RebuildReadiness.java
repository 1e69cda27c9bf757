package dev.cascade.loader.api;

import dev.cascade.loader.pipeline.LoaderRebuild;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the tables are rebuilt from the events the loader consumed before: until then nothing is loaded. */
@Readiness
@ApplicationScoped
public class RebuildReadiness implements HealthCheck {

  private final LoaderRebuild rebuild;

  public RebuildReadiness(LoaderRebuild rebuild) {
    this.rebuild = rebuild;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("projection rebuilt").status(rebuild.done()).build();
  }
}
