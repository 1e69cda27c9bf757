package dev.cascade.reviewgateway.api;

import dev.cascade.reviewgateway.config.PolicyCatalog;
import dev.cascade.reviewgateway.domain.Policy;
import dev.cascade.reviewgateway.domain.PolicyException;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import dev.cascade.reviewgateway.pipeline.ProjectionRebuild;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;

/** {@code GET /policy/} and {@code GET /policy/{name}}: the policy files as this service reads them. */
@Path("/policy")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

  private final PolicyCatalog catalog;
  private final ProjectionStore store;
  private final ProjectionRebuild rebuild;

  public PolicyResource(PolicyCatalog catalog, ProjectionStore store, ProjectionRebuild rebuild) {
    this.catalog = catalog;
    this.store = store;
    this.rebuild = rebuild;
  }

  /** Valid policies by name; files that do not parse are listed under {@code errors}, each naming its file. */
  @GET
  @Path("/")
  public Views.PolicyList list() {
    PolicyCatalog.Listing listing = catalog.list();
    return new Views.PolicyList(List.copyOf(listing.policies().keySet()), listing.errors());
  }

  /** One policy with all its settings and the zones that were added with it, once the projection is rebuilt. */
  @GET
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
}
