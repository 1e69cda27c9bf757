package dev.cascade.publisher.api;

import dev.cascade.publisher.pipeline.PublishedVersionRestore;
import dev.cascade.publisher.pipeline.RemainTimes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the published versions of before a restart are served again (or found unreadable) and the zones'
 * remain times are read from the registry.
 */
@Readiness
@ApplicationScoped
public class RestoreReadiness implements HealthCheck {

  private final PublishedVersionRestore restore;
  private final RemainTimes remainTimes;

  public RestoreReadiness(PublishedVersionRestore restore, RemainTimes remainTimes) {
    this.restore = restore;
    this.remainTimes = remainTimes;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("published versions restored").status(restore.done() && remainTimes.done()).build();
  }
}
