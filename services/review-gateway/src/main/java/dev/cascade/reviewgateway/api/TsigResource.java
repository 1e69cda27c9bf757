package dev.cascade.reviewgateway.api;

import dev.cascade.dnssec.tsig.TsigAlgorithm;
import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.reviewgateway.config.KeyImportKek;
import dev.cascade.reviewgateway.config.PolicyCatalog;
import dev.cascade.reviewgateway.config.ServerTsigSettings;
import dev.cascade.reviewgateway.domain.TsigKeyUsers;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import dev.cascade.reviewgateway.pipeline.ProjectionRebuild;
import dev.cascade.reviewgateway.pipeline.TsigKeyDirectory;
import dev.cascade.reviewgateway.security.ApiRoles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Name;

/**
 * The TSIG keys (RFC 8945), as the reference's {@code cascade tsig add|list|remove}: each command becomes a fact on
 * {@code cascade.tsig-keys.v1}, the secret wrapped under the key-encryption key, so the gateway refuses to add keys
 * without one, as it refuses key imports. No answer ever holds a secret: the list shows names, algorithms and users.
 */
@Path("/tsig")
@Produces(MediaType.APPLICATION_JSON)
public class TsigResource {

  private final TsigKeyDirectory keys;
  private final KeyImportKek kek;
  private final ProjectionStore store;
  private final ProjectionRebuild rebuild;
  private final ServerTsigSettings servers;
  private final PolicyCatalog policies;

  public TsigResource(TsigKeyDirectory keys, KeyImportKek kek, ProjectionStore store, ProjectionRebuild rebuild,
      ServerTsigSettings servers, PolicyCatalog policies) {
    this.keys = keys;
    this.kek = kek;
    this.store = store;
    this.rebuild = rebuild;
    this.servers = servers;
    this.policies = policies;
  }

  /** {@code GET /tsig/}: every key with its algorithm and users, by name. */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("/")
  public Uni<Views.TsigKeyList> list() {
    return users().map(zoneSources -> {
      Map<String, Views.TsigKeyInfo> info = new TreeMap<>();
      for (var key : keys.list()) {
        info.put(key.name(), new Views.TsigKeyInfo(key.algorithm(),
            TsigKeyUsers.of(TsigKey.nameOf(key.name()), zoneSources, servers.entries(), policyServers())));
      }
      return new Views.TsigKeyList(info);
    });
  }

  /**
   * {@code POST /tsig/add}: {@code name}, {@code secret} (base64), {@code algorithm} (IANA name or the reference's
   * {@code HmacSha256}; hmac-sha256 if absent). Refused if the name is taken (409), or the input is bad (400).
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/add")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Views.TsigCommandResult> add(Views.TsigAddRequest request) {
    if (request == null || request.name() == null || request.secret() == null) {
      throw ApiException.badRequest("name and secret are required");
    }
    if (kek.keyWrap() == null) {
      throw ApiException.badRequest("TSIG keys cannot be added: review-gateway has no key-encryption key to wrap the"
          + " secret (set CASCADE_KEY_ENCRYPTION_KEY)");
    }
    TsigKey key;
    try {
      TsigAlgorithm algorithm = request.algorithm() == null || request.algorithm().isBlank()
          ? TsigAlgorithm.DEFAULT : TsigAlgorithm.parse(request.algorithm());
      key = TsigKey.of(request.name(), algorithm, request.secret());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return keys.whenRead(() -> {
      if (keys.contains(key.name())) {
        throw ApiException.conflict("TSIG key " + key.displayName() + " already exists");
      }
      return keys.added(key, kek.keyWrap());
    }).map(ignored -> new Views.TsigCommandResult(key.displayName(),
        "Added TSIG key " + key.displayName() + " (" + key.algorithm().mnemonic() + ")"));
  }

  /**
   * {@code POST /tsig/{name}/remove}: refused while a zone source, a server setting or a policy names the key (409).
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{name}/remove")
  public Uni<Views.TsigCommandResult> remove(@PathParam("name") String name) {
    Name key;
    try {
      key = TsigKey.nameOf(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    String shown = TsigKey.displayName(key);
    return users().chain(zoneSources -> {
      if (!keys.contains(key)) {
        throw ApiException.notFound("No such TSIG key " + shown);
      }
      List<String> users = TsigKeyUsers.of(key, zoneSources, servers.entries(), policyServers());
      if (!users.isEmpty()) {
        throw ApiException.conflict("TSIG key " + shown + " is in use by " + String.join(", ", users));
      }
      return keys.removed(key);
    }).map(ignored -> new Views.TsigCommandResult(shown, "Removed TSIG key " + shown));
  }

  /** Each valid policy's publication and parent name servers, by policy name, as the policy files say now. */
  private Map<String, List<String>> policyServers() {
    Map<String, List<String>> servers = new TreeMap<>();
    policies.list().policies().forEach((name, policy) -> servers.put(name, policy.keyRolls().checks().nameServers()));
    return servers;
  }

  /** Each registered zone's source, by apex, once the projection and the keys are read. */
  private Uni<Map<String, String>> users() {
    return keys.whenRead(() -> rebuild.whenRebuilt(() -> Panache.withSession(store::all))).map(all -> {
      Map<String, String> sources = new TreeMap<>();
      all.stream().filter(s -> s.registered() && s.source != null).forEach(s -> sources.put(s.name, s.source));
      return sources;
    });
  }
}
