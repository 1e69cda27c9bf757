package dev.cascade.reviewgateway.api;

import dev.cascade.dnssec.xfr.PrimarySource;
import dev.cascade.reviewgateway.config.KeyImportKek;
import dev.cascade.reviewgateway.config.PolicyCatalog;
import dev.cascade.reviewgateway.config.ServerAddresses;
import dev.cascade.reviewgateway.domain.GateStage;
import dev.cascade.reviewgateway.domain.HaltCause;
import dev.cascade.reviewgateway.domain.KeyImports;
import dev.cascade.reviewgateway.domain.Policy;
import dev.cascade.reviewgateway.domain.PolicyException;
import dev.cascade.reviewgateway.domain.RollCheckBoard;
import dev.cascade.reviewgateway.domain.StepProgressBoard;
import dev.cascade.reviewgateway.domain.TsigKeyUsers;
import dev.cascade.reviewgateway.domain.ZoneHalts;
import dev.cascade.reviewgateway.domain.ZoneNames;
import dev.cascade.reviewgateway.domain.ZoneProgress;
import dev.cascade.reviewgateway.domain.ZoneState;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import dev.cascade.reviewgateway.pipeline.OperatorEvents;
import dev.cascade.reviewgateway.pipeline.ProjectionRebuild;
import dev.cascade.reviewgateway.pipeline.TsigKeyDirectory;
import dev.cascade.reviewgateway.security.ApiRoles;
import dev.cascade.service.ZoneSourceDirectories;
import dev.cascade.service.tracing.ZoneSpans;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;

/**
 * Zone commands and zone views. Commands are checked against the projection, then become events; their effect shows
 * in {@code status} once the projection has consumed them (milliseconds), as the reference's "scheduled" wording
 * says. Every request that reads the projection waits until it is rebuilt ({@link ProjectionRebuild}): until then a
 * zone would look unknown, and a command checked against it could be wrong.
 */
@Path("/zone")
@Produces(MediaType.APPLICATION_JSON)
public class ZoneResource {

  private static final Logger LOG = Logger.getLogger(ZoneResource.class);

  private final ProjectionStore store;
  private final OperatorEvents events;
  private final PolicyCatalog policies;
  private final ServerAddresses addresses;
  private final StepProgressBoard progress;
  private final ProjectionRebuild rebuild;
  private final RollCheckBoard checks;
  private final KeyImportKek kek;
  private final TsigKeyDirectory tsigKeys;
  private final ZoneSourceDirectories sourceDirectories;

  public ZoneResource(ProjectionStore store, OperatorEvents events, PolicyCatalog policies, ServerAddresses addresses,
      StepProgressBoard progress, ProjectionRebuild rebuild, RollCheckBoard checks, KeyImportKek kek,
      TsigKeyDirectory tsigKeys, @ConfigProperty(name = "cascade.zone-source-dirs") String sourceDirectories) {
    this.sourceDirectories = ZoneSourceDirectories.of(sourceDirectories);
    this.kek = kek;
    this.tsigKeys = tsigKeys;
    this.store = store;
    this.events = events;
    this.policies = policies;
    this.addresses = addresses;
    this.progress = progress;
    this.checks = checks;
    this.rebuild = rebuild;
  }

  /** {@code GET /zone/}: the registered zones, by name. */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("/")
  public Uni<Views.ZoneList> list() {
    return rebuild.whenRebuilt(() -> Panache.withSession(store::all))
        .map(all -> new Views.ZoneList(all.stream().map(s -> s.name).toList()));
  }

  /**
   * {@code POST /zone/add}: checks the name, that the zone file exists and is readable (its absolute path is stored,
   * as the reference's CLI canonicalises it), that the policy exists and is valid and that the zone is new, and reads,
   * checks and wraps the imported keys ({@link KeyImports}); then emits {@code ZoneAdded} with a snapshot of the
   * policy and the imported keys. A refused key refuses the whole request: nothing is half-added.
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/add")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Views.ZoneCommandResult> add(Views.ZoneAddRequest request) {
    if (request == null || request.name() == null || request.source() == null || request.policy() == null) {
      throw ApiException.badRequest("name, source and policy are required");
    }
    return withSourceKey(request.source(), () -> addChecked(request));
  }

  private Uni<Views.ZoneCommandResult> addChecked(Views.ZoneAddRequest request) {
    String zone = zoneName(request.name());
    // The request that starts the zone's first version's trace names the zone (docs/operations.md, "Traces").
    ZoneSpans.tagCurrent(new ZoneSpans.Subject(zone, null, null));
    String source = zoneFile(request.source());
    Policy policy = policy(request.policy());
    List<KeyImports.Sealed> imported;
    try {
      // Blocking but short: parsing a few key files, one signature per key to check its pair, one wrap per key.
      imported = KeyImports.seal(zone, policy, request.keyImports(), kek.keyWrap());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("cannot import keys: " + e.getMessage());
    }
    return tsigKeys.whenRead(() -> {
      policyKeysExist(policy);
      return rebuild.whenRebuilt(() -> Panache.withSession(() -> store.load(zone)));
    }).chain(existing -> {
      if (existing != null && existing.registered()) {
        throw ApiException.conflict("Zone " + zone + " already exists");
      }
      return events.zoneAdded(zone, policy, source, imported);
    }).map(ignored -> new Views.ZoneCommandResult(zone, "Zone " + zone + " scheduled for loading"));
  }

  /**
   * Refuses with NoSuchTsigKey a policy whose {@code publication-nameservers} or {@code parent-nameservers} name a
   * TSIG key that does not exist: the key manager's propagation checks would wait on it forever. Call it inside
   * {@code tsigKeys.whenRead}.
   */
  private void policyKeysExist(Policy policy) {
    for (String server : policy.keyRolls().checks().nameServers()) {
      Optional<Name> key = TsigKeyUsers.keyOf(server);
      if (key.isPresent() && !tsigKeys.contains(key.get())) {
        throw ApiException.badRequest("NoSuchTsigKey: policy '" + policy.name() + "' names TSIG key "
            + key.get().toString(true) + " (" + server + "), which does not exist (add it with cascade tsig add)");
      }
    }
  }

  /** {@code POST /zone/{name}/remove}: emits {@code ZoneRemoved}; the publisher stops serving the zone. */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{name}/remove")
  public Uni<Views.ZoneCommandResult> remove(@PathParam("name") String name) {
    String zone = zoneName(name);
    return existing(zone)
        .chain(state -> events.removed(zone, "removed by the operator"))
        .map(ignored -> new Views.ZoneCommandResult(zone, "Removed zone " + zone));
  }

  /**
   * {@code POST /zone/{name}/reload}: asks the loader to read the zone file again; refused while the zone is halted
   * (the reference's {@code ZoneHalted(reason)}), since the version would not be taken up.
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{name}/reload")
  public Uni<Views.ZoneCommandResult> reload(@PathParam("name") String name) {
    String zone = zoneName(name);
    return existing(zone)
        .map(ZoneResource::notHalted)
        .chain(state -> events.reloadRequested(zone, state.source, null))
        .map(ignored -> new Views.ZoneCommandResult(zone, "Sent zone reload command for " + zone));
  }

  /**
   * {@code POST /zone/{name}/set-policy}: the zone takes the named policy's settings from its next version on, which
   * a reload brings (the reference's missing zone edit, its #868 and #906); nothing is sent when the zone has those
   * settings already. The services apply them as their parts need: new review modes at the next version's gates, new
   * signing settings at its signing, a new algorithm or {@code use-csk} starts a key roll (docs/operations.md).
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{name}/set-policy")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Views.ZoneCommandResult> setPolicy(@PathParam("name") String name, Views.SetPolicyRequest request) {
    String zone = zoneName(name);
    if (request == null || request.policy() == null) {
      throw ApiException.badRequest("policy is required");
    }
    Policy policy = policy(request.policy());
    return existing(zone).chain(state -> state.policy.equals(policy)
        ? Uni.createFrom().item(new Views.ZoneCommandResult(zone,
            "Zone " + zone + " has the settings of policy '" + policy.name() + "' already"))
        : events.reloadRequested(zone, state.source, policy).map(ignored -> new Views.ZoneCommandResult(zone,
            "Zone " + zone + " uses policy '" + policy.name() + "' from its next version; sent a reload")));
  }

  /**
   * {@code POST /zone/{name}/set-source}: the zone loads from another zone file from now on, starting with a reload
   * from it; the file is checked as {@code zone add} checks it.
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{name}/set-source")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Views.ZoneCommandResult> setSource(@PathParam("name") String name, Views.SetSourceRequest request) {
    String zone = zoneName(name);
    if (request == null || request.source() == null) {
      throw ApiException.badRequest("source is required");
    }
    return withSourceKey(request.source(), () -> {
      String source = zoneFile(request.source());
      return existing(zone).map(ZoneResource::notHalted).chain(state -> events.reloadRequested(zone, source, null))
          .map(ignored -> new Views.ZoneCommandResult(zone,
              "Zone " + zone + " loads from " + source + " from now on; sent a reload"));
    });
  }

  /**
   * Runs {@code work} if the source names no TSIG key ({@code <IP>[:<PORT>]^<key>}) or one that exists; else refuses
   * with the reference's NoSuchTsigKey.
   */
  private <T> Uni<T> withSourceKey(String source, Supplier<Uni<T>> work) {
    Optional<Name> key;
    try {
      key = TsigKeyUsers.keyOf(source);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("source '" + source + "': " + e.getMessage());
    }
    if (key.isEmpty()) {
      return work.get();
    }
    return tsigKeys.whenRead(() -> {
      if (!tsigKeys.contains(key.get())) {
        throw ApiException.badRequest("NoSuchTsigKey: the source names TSIG key "
            + key.get().toString(true) + ", which does not exist (add it with cascade tsig add)");
      }
      return work.get();
    });
  }

  /**
   * A zone's primary in canonical form ({@code ip:port[^key]}, port 53 by default: cascade-reference.md §1.2) when
   * {@code given} parses as one, else the absolute path of a zone file inside the zone source directories that exists
   * and can be read (as the reference's CLI canonicalises it). Nothing here reads the file's content.
   */
  private String zoneFile(String given) {
    java.util.Optional<PrimarySource> primary = PrimarySource.of(given);
    if (primary.isPresent()) {
      return primary.get().toString();
    }
    java.nio.file.Path source;
    try {
      source = java.nio.file.Path.of(given).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw ApiException.badRequest("source '" + given + "' is not a path");
    }
    sourceDirectories.refusal(source).ifPresent(refusal -> {
      throw ApiException.badRequest(refusal);
    });
    if (!Files.isRegularFile(source) || !Files.isReadable(source)) {
      throw ApiException.badRequest("zone file " + source + " does not exist or is not readable");
    }
    return source.toString();
  }

  /** The policy called {@code name}, which must exist and be usable. */
  private Policy policy(String name) {
    try {
      return policies.find(name).orElseThrow(() -> ApiException.badRequest("No such policy '" + name + "'"));
    } catch (PolicyException e) {
      throw ApiException.badRequest("policy '" + name + "' is not usable: " + e.getMessage());
    }
  }

  /**
   * {@code GET /zone/{name}/status}: the projection, plus the progress of the long step the zone is in, if its
   * service reported any ({@link StepProgressBoard#current}).
   */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("/{name}/status")
  public Uni<Views.ZoneStatusView> status(@PathParam("name") String name) {
    String zone = zoneName(name);
    Instant now = Instant.now();
    return existing(zone).map(s -> Views.status(s, progress.current(s, now).orElse(null),
        addresses.unsignedReview(), addresses.signedReview(), addresses.publication(), now, checks));
  }

  /** {@code GET /zone/{name}/history}: also answers for a removed zone, whose history is kept. */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("/{name}/history")
  public Uni<Views.HistoryView> history(@PathParam("name") String name) {
    String zone = zoneName(name);
    return rebuild.whenRebuilt(() -> Panache.withSession(() -> store.history(zone))).map(entries -> {
      if (entries.isEmpty()) {
        throw ApiException.notFound("No such zone");
      }
      return new Views.HistoryView(zone, entries.stream()
          .map(h -> new Views.HistoryItem(h.when(), h.serial(), h.event())).toList());
    });
  }

  /**
   * {@code POST /zone/{name}/{unsigned|signed}/{serial}/{approve|reject}}: accepted only for the version now waiting
   * at that gate, identified by its serial (unsigned serial at the unsigned gate, signed serial at the signed gate).
   * The decision names the person whose token made the request ({@code ZoneVersionReviewed.reviewer}), which
   * {@code zone history} and the log show.
   */
  @POST
  @RolesAllowed(ApiRoles.APPROVER)
  @Path("/{name}/{stage:unsigned|signed}/{serial}/{action:approve|reject}")
  public Uni<Views.ZoneCommandResult> review(
      @PathParam("name") String name,
      @PathParam("stage") String stageText,
      @PathParam("serial") String serialText,
      @PathParam("action") String action,
      @Context SecurityContext caller) {
    String person = caller.getUserPrincipal().getName();
    String zone = zoneName(name);
    long serial;
    try {
      serial = Long.parseLong(serialText);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("serial '" + serialText + "' is not a number");
    }
    GateStage stage = stageText.equals("unsigned") ? GateStage.UNSIGNED : GateStage.SIGNED;
    boolean approve = action.equals("approve");
    return existing(zone).chain(state -> {
      // A halted zone's gates take no decision until the operator resumes, overrides or resets it.
      String versionId = versionUnderReview(notHalted(state), stage, serial);
      if (versionId == null) {
        throw ApiException.conflict(zone + " is not being reviewed right now");
      }
      if (approve && stage == GateStage.SIGNED && state.policy.reviews().fourEyes()
          && person.equals(state.unsignedReviewer)) {
        throw new ApiException(403, "four-eyes: " + person + " approved the unsigned version of " + zone
            + "; its signed version needs another approver (policy '" + state.policy.name() + "')");
      }
      String digest = stage == GateStage.UNSIGNED ? state.unsignedDigest : state.signedDigest;
      // The request's span names the version it decides on: the version's trace links to it (docs/operations.md).
      ZoneSpans.tagCurrent(new ZoneSpans.Subject(zone, versionId, serial));
      LOG.infof("%s %s %s zone %s with serial %d", person, approve ? "approved" : "rejected", stageText, zone, serial);
      return events.reviewed(UUID.randomUUID().toString(), null, zone, stage, versionId, serial, digest, approve,
          person, null);
    }).map(ignored -> new Views.ZoneCommandResult(zone,
        (approve ? "Approved " : "Rejected ") + stageText + " zone '" + zone + "' with serial number " + serial));
  }

  /**
   * {@code POST /zone/{name}/halt}: the operator halts the zone where it stands (our addition, issue 13 item 2): its
   * gates decide nothing and nothing new is published until {@code resume}. Refused (409) if it is halted already.
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{name}/halt")
  public Uni<Views.ZoneCommandResult> halt(@PathParam("name") String name, Views.HaltRequest request,
      @Context SecurityContext caller) {
    String person = caller.getUserPrincipal().getName();
    String zone = zoneName(name);
    String reason = request == null || request.reason() == null || request.reason().isBlank()
        ? "no reason given" : request.reason();
    return legal(zone, ZoneHalts.Command.HALT)
        .chain(state -> events.halted(zone, reason, person))
        .map(ignored -> new Views.ZoneCommandResult(zone, "Halted zone " + zone
            + "; nothing new is published for it until cascade zone resume " + zone));
  }

  /** {@code POST /zone/{name}/resume}: lifts the operator's halt; refused (409) for any other state. */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{name}/resume")
  public Uni<Views.ZoneCommandResult> resume(@PathParam("name") String name, @Context SecurityContext caller) {
    String person = caller.getUserPrincipal().getName();
    String zone = zoneName(name);
    return legal(zone, ZoneHalts.Command.RESUME)
        .chain(state -> events.resumed(zone, person))
        .map(ignored -> new Views.ZoneCommandResult(zone, "Resumed zone " + zone));
  }

  /**
   * {@code POST /zone/{name}/reset}: a zone halted after a review or by a failed signing goes back to waiting, the
   * version that halted it dropped (the reference's reset; {@code NotHalted} otherwise, 409).
   */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{name}/reset")
  public Uni<Views.ZoneCommandResult> reset(@PathParam("name") String name, @Context SecurityContext caller) {
    String person = caller.getUserPrincipal().getName();
    String zone = zoneName(name);
    return legal(zone, ZoneHalts.Command.RESET)
        .chain(state -> events.reset(zone, person,
            ZoneHalts.current(state).map(ZoneState.Halt::versionId).orElse(null)))
        .map(ignored -> new Views.ZoneCommandResult(zone, "Reset zone " + zone
            + "; it waits for its next version (cascade zone reload " + zone + ")"));
  }

  /**
   * {@code POST /zone/{name}/{unsigned|signed}/override}: the version whose rejection halted the zone goes on as if
   * approved (the reference's override; {@code NotRejected} otherwise, 409).
   */
  @POST
  @RolesAllowed(ApiRoles.APPROVER)
  @Path("/{name}/{stage:unsigned|signed}/override")
  public Uni<Views.ZoneCommandResult> override(@PathParam("name") String name, @PathParam("stage") String stageText,
      @Context SecurityContext caller) {
    String person = caller.getUserPrincipal().getName();
    String zone = zoneName(name);
    GateStage stage = stageText.equals("unsigned") ? GateStage.UNSIGNED : GateStage.SIGNED;
    return legal(zone, stage == GateStage.UNSIGNED ? ZoneHalts.Command.OVERRIDE_UNSIGNED
        : ZoneHalts.Command.OVERRIDE_SIGNED)
        .chain(state -> events.overridden(zone, stage, state.halt.versionId(), state.halt.serial(),
            state.halt.digest(), person)
            .map(ignored -> new Views.ZoneCommandResult(zone, "Overrode the rejection of the " + stageText
                + " zone '" + zone + "' with serial number " + state.halt.serial())));
  }

  /** The zone, if {@code command} is legal in its state; else 409 naming the state. */
  private Uni<ZoneState> legal(String zone, ZoneHalts.Command command) {
    return existing(zone).map(state -> {
      ZoneHalts.refusal(state, command).ifPresent(refusal -> {
        throw ApiException.conflict(refusal);
      });
      return state;
    });
  }

  /** {@code state}, unless the zone is halted: then 409 with the halt and how to recover. */
  private static ZoneState notHalted(ZoneState state) {
    ZoneHalts.current(state).filter(h -> h.cause() != HaltCause.SIGNING_FAILED).ifPresent(h -> {
      throw ApiException.conflict("ZoneHalted: zone " + state.name + " is " + ZoneHalts.label(state) + ": "
          + h.reason() + "; run " + String.join(" or ", ZoneHalts.recovery(state.name, h.cause())));
    });
    return state;
  }

  /** The versionId waiting at {@code stage} with {@code serial}, or {@code null} if none is. */
  static String versionUnderReview(ZoneState state, GateStage stage, long serial) {
    if (stage == GateStage.UNSIGNED) {
      return state.progress == ZoneProgress.WAITING_FOR_LOADED_REVIEW && Objects.equals(state.unsignedSerial, serial)
          ? state.unsignedVersionId : null;
    }
    return state.progress == ZoneProgress.WAITING_FOR_SIGNED_REVIEW && Objects.equals(state.signedSerial, serial)
        ? state.signedVersionId : null;
  }

  private Uni<ZoneState> existing(String zone) {
    return rebuild.whenRebuilt(() -> Panache.withSession(() -> store.load(zone))).map(state -> {
      if (state == null || !state.registered()) {
        throw ApiException.notFound("No such zone");
      }
      return state;
    });
  }

  private static String zoneName(String name) {
    try {
      return ZoneNames.normalise(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
