package dev.cascade.signer.api;

import dev.cascade.signer.pipeline.SignerRebuild;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the tables are rebuilt from the events the signer consumed before: until then nothing is signed. */
@Readiness
@ApplicationScoped
public class RebuildReadiness implements HealthCheck {

  private final SignerRebuild rebuild;

  public RebuildReadiness(SignerRebuild rebuild) {
    this.rebuild = rebuild;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("projection rebuilt").status(rebuild.done()).build();
  }
}
