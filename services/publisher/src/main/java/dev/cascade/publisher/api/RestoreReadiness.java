package dev.cascade.publisher.api;

import dev.cascade.publisher.pipeline.PublishedVersionRestore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the published versions of before a restart are served again (or found unreadable). */
@Readiness
@ApplicationScoped
public class RestoreReadiness implements HealthCheck {

  private final PublishedVersionRestore restore;

  public RestoreReadiness(PublishedVersionRestore restore) {
    this.restore = restore;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("published versions restored").status(restore.done()).build();
  }
}
