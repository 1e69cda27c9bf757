package dev.cascade.signer.api;

import dev.cascade.signer.pipeline.SignedVersionRestore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the tables hold every fact of the signer's own topic: until then no version is signed. */
@Readiness
@ApplicationScoped
public class RestoreReadiness implements HealthCheck {

  private final SignedVersionRestore restore;

  public RestoreReadiness(SignedVersionRestore restore) {
    this.restore = restore;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("signed versions restored").status(restore.done()).build();
  }
}
