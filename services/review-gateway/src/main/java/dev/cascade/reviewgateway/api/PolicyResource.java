package dev.cascade.reviewgateway.api;

import dev.cascade.reviewgateway.config.PolicyCatalog;
import dev.cascade.reviewgateway.domain.Policy;
import dev.cascade.reviewgateway.domain.PolicyException;
import dev.cascade.reviewgateway.domain.PolicyReload;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import dev.cascade.reviewgateway.pipeline.OperatorEvents;
import dev.cascade.reviewgateway.pipeline.ProjectionRebuild;
import dev.cascade.reviewgateway.security.ApiRoles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /policy/} and {@code GET /policy/{name}}: the policy files as this service reads them;
 * {@code POST /policy/reload}: gives zones the settings of their policy's file.
 */
@Path("/policy")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

  private final PolicyCatalog catalog;
  private final ProjectionStore store;
  private final ProjectionRebuild rebuild;
  private final OperatorEvents events;

  public PolicyResource(
      PolicyCatalog catalog, ProjectionStore store, ProjectionRebuild rebuild, OperatorEvents events) {
    this.catalog = catalog;
    this.store = store;
    this.rebuild = rebuild;
    this.events = events;
  }

  /** Valid policies by name; files that do not parse are listed under {@code errors}, each naming its file. */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("/")
  public Views.PolicyList list() {
    PolicyCatalog.Listing listing = catalog.list();
    return new Views.PolicyList(List.copyOf(listing.policies().keySet()), listing.errors());
  }

  /** One policy with all its settings and the zones that were added with it, once the projection is rebuilt. */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("/{name}")
  public Uni<Views.PolicyView> show(@PathParam("name") String name) {
    Optional<Policy> policy;
    try {
      policy = catalog.find(name);
    } catch (PolicyException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Policy p = policy.orElseThrow(() -> ApiException.notFound("No such policy '" + name + "'"));
    return rebuild.whenRebuilt(() -> Panache.withSession(store::all)).map(zones -> Views.policy(p,
        zones.stream().filter(z -> z.policy.name().equals(p.name())).map(z -> z.name).toList()));
  }

  /**
   * Reads every policy file and gives each zone whose copy of its policy differs from the file the file's settings,
   * from its next version on, with a {@code ZoneReloadRequested} that carries them ({@link PolicyReload}). The zones'
   * events go out one after the other, then the policies known are stored for the next reload's report: a crash in
   * between only makes the next reload report again what this one did.
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/reload")
  public Uni<Views.PolicyReloadView> reload() {
    PolicyCatalog.Listing listing = catalog.list();
    return rebuild.whenRebuilt(() -> Panache.withSession(() -> store.all().chain(zones -> store.knownPolicies()
            .map(known -> PolicyReload.of(listing.policies(), listing.errors(), listing.unusable(), known, zones)))))
        .call(outcome -> {
          Uni<Void> sent = Uni.createFrom().voidItem();
          for (PolicyReload.ZoneUpdate update : outcome.updates()) {
            sent = sent.chain(() -> events.reloadRequested(update.zone(), update.source(), update.policy()));
          }
          return sent;
        })
        .call(outcome -> Panache.withTransaction(() -> store.replaceKnownPolicies(outcome.known())))
        .map(Views::policyReload);
  }
}
