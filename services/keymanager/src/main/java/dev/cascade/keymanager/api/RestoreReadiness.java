package dev.cascade.keymanager.api;

import dev.cascade.keymanager.pipeline.KeySetRestore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the tables reflect every key set on the key-sets topic: until then no zone gets keys. */
@Readiness
@ApplicationScoped
public class RestoreReadiness implements HealthCheck {

  private final KeySetRestore restore;

  public RestoreReadiness(KeySetRestore restore) {
    this.restore = restore;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("key sets restored").status(restore.done()).build();
  }
}
