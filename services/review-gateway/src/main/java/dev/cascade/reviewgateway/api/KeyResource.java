package dev.cascade.reviewgateway.api;

import dev.cascade.dnssec.roll.RollStepException;
import dev.cascade.reviewgateway.domain.KeysetCommands;
import dev.cascade.reviewgateway.domain.ZoneNames;
import dev.cascade.reviewgateway.domain.ZoneState;
import dev.cascade.reviewgateway.persistence.ProjectionStore;
import dev.cascade.reviewgateway.pipeline.OperatorEvents;
import dev.cascade.reviewgateway.pipeline.ProjectionRebuild;
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
import java.time.Instant;

/**
 * The operator's keyset commands ({@code cascade keyset <zone> ...}), at the reference's paths ({@code
 * /key/{zone}/roll}, {@code /remove}, {@code /get}, cascade-reference.md §3.2) in this API's style: JSON, GET for what
 * only reads. A command is checked against the zone's key set as last announced ({@link KeysetCommands}, dnssec-core's
 * state machine): refused at once with the state machine's message (409), or for bad input (400); otherwise it becomes
 * a KeysetCommandGiven for the key manager, and the answer says it was accepted. Whether the key manager applied it
 * shows in {@code zone history} ("Keyset command '…' succeeded" or "failed with error: …").
 */
@Path("/key")
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

  private final ProjectionStore store;
  private final OperatorEvents events;
  private final ProjectionRebuild rebuild;

  public KeyResource(ProjectionStore store, OperatorEvents events, ProjectionRebuild rebuild) {
    this.store = store;
    this.events = events;
    this.rebuild = rebuild;
  }

  /** {@code POST /key/{zone}/roll}: a step, {@code {"variant":"zsk","step":"propagation1-complete","ttl":"1h"}}. */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{zone}/roll")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Views.ZoneCommandResult> roll(@PathParam("zone") String name, Views.RollStepRequest request) {
    if (request == null) {
      throw ApiException.badRequest("variant and step are required");
    }
    String zone = zoneName(name);
    return existing(zone).chain(state -> {
      KeysetCommands.Step step = checked(() -> KeysetCommands.rollStep(state, request.variant(), request.step(),
          request.ttl(), Instant.now()));
      return events.rollStepRequested(zone, step.variant(), step.step(), step.ttlSeconds())
          .map(ignored -> new Views.ZoneCommandResult(zone,
              "Keyset command '" + step.wording() + "' accepted for " + zone));
    });
  }

  /** {@code POST /key/{zone}/remove}: {@code {"key":"db:keymanager/…" or a tag, "force":false, "continue":false}}. */
  @POST
  @RolesAllowed(ApiRoles.OPERATOR)
  @Path("/{zone}/remove")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Views.ZoneCommandResult> remove(@PathParam("zone") String name, Views.KeyRemovalRequest request) {
    if (request == null) {
      throw ApiException.badRequest("key is required");
    }
    String zone = zoneName(name);
    return existing(zone).chain(state -> {
      String reference = checked(() -> KeysetCommands.removal(state, request.key(), request.force(),
          request.continueRoll()));
      return events.keyRemovalRequested(zone, reference, request.force(), request.continueRoll())
          .map(ignored -> new Views.ZoneCommandResult(zone,
              "Keyset command 'remove-key " + reference + "' accepted for " + zone));
    });
  }

  /** {@code GET /key/{zone}/{ds|dnskey|cds}}: the records in zone-file text ({@link KeysetCommands#records}). */
  @GET
  @RolesAllowed({ApiRoles.VIEWER, ApiRoles.OPERATOR, ApiRoles.APPROVER})
  @Path("/{zone}/{type}")
  public Uni<Views.RecordsView> records(@PathParam("zone") String name, @PathParam("type") String typeWord) {
    String zone = zoneName(name);
    KeysetCommands.ParentRecord type = KeysetCommands.parentRecord(typeWord)
        .orElseThrow(() -> ApiException.badRequest(
            "unknown record type '" + typeWord + "': expected ds, dnskey or cds"));
    return existing(zone).map(state -> {
      if (state.keys.isEmpty()) {
        throw ApiException.conflict("zone " + zone + " has no keys yet");
      }
      try {
        return new Views.RecordsView(zone, type.name(), KeysetCommands.records(state, type));
      } catch (IllegalArgumentException e) {
        throw ApiException.conflict(e.getMessage());
      }
    });
  }

  /** A check of {@link KeysetCommands}. */
  private interface Check<T> {
    T run() throws RollStepException;
  }

  /** {@code check}'s result; its refusal as 409 (the key set does not allow it) or 400 (bad input). */
  private static <T> T checked(Check<T> check) {
    try {
      return check.run();
    } catch (RollStepException e) {
      throw ApiException.conflict(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
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
