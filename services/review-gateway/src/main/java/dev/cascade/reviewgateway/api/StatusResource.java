package dev.cascade.reviewgateway.api;

import dev.cascade.reviewgateway.config.ServerAddresses;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import dev.cascade.reviewgateway.pipeline.ProjectionRebuild;
import dev.cascade.reviewgateway.security.ApiRoles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.Optional;

/** {@code GET /status} (global view, as {@code cascade status}) and {@code GET /health} (the reference's liveness). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

  private final ProjectionStore store;
  private final ServerAddresses addresses;
  private final ProjectionRebuild rebuild;

  public StatusResource(ProjectionStore store, ServerAddresses addresses, ProjectionRebuild rebuild) {
    this.store = store;
    this.addresses = addresses;
    this.rebuild = rebuild;
  }

  /**
   * Halted zones (after a review under {@code on-reject = "halt"}, by a failed signing, by the operator) with the
   * reason, who caused it and since when, and the publisher's listener addresses; once the projection is
   * rebuilt.
   */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("status")
  public Uni<Views.ServerStatus> status() {
    return rebuild.whenRebuilt(() -> Panache.withSession(store::all)).map(zones -> new Views.ServerStatus(
        zones.size(),
        zones.stream().map(Views::halted).flatMap(Optional::stream).toList(),
        addresses.unsignedReview(), addresses.signedReview(), addresses.publication()));
  }

  /** {@code GET /status/keys}: every key of every zone, as {@code cascade status keys} shows them. */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("status/keys")
  public Uni<Views.KeysStatus> keys() {
    return rebuild.whenRebuilt(() -> Panache.withSession(store::all)).map(Views::keys);
  }

  /** The reference's {@code GET /health}; readiness with Kafka and PostgreSQL is at {@code /q/health/ready}. */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("health")
  public Map<String, Boolean> health() {
    return Map.of("healthy", true);
  }
}
