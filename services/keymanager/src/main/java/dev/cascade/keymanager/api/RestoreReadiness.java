package dev.cascade.keymanager.api;

import dev.cascade.keymanager.pipeline.KekRotation;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the tables reflect every key set on the key-sets topic and every current key is wrapped under the
 * current key-encryption key ({@link KekRotation}, which runs after the restore): until then no zone gets keys.
 */
@Readiness
@ApplicationScoped
public class RestoreReadiness implements HealthCheck {

  private final KekRotation rotation;

  public RestoreReadiness(KekRotation rotation) {
    this.rotation = rotation;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("key sets restored").status(rotation.done()).build();
  }
}
