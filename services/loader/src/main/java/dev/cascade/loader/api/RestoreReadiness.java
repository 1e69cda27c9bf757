package dev.cascade.loader.api;

import dev.cascade.loader.pipeline.UnsignedVersionRestore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the tables hold every zone's last fact of the loader's own topic: until then nothing is loaded. */
@Readiness
@ApplicationScoped
public class RestoreReadiness implements HealthCheck {

  private final UnsignedVersionRestore restore;

  public RestoreReadiness(UnsignedVersionRestore restore) {
    this.restore = restore;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("unsigned versions restored").status(restore.done()).build();
  }
}
