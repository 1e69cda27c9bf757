package dev.cascade.keymanager.api;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.keymanager.domain.DnskeyText;
import dev.cascade.keymanager.domain.LatestChecks;
import dev.cascade.keymanager.domain.RollDriver;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.KeySetRows;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.keymanager.persistence.StoredZonePolicy;
import dev.cascade.service.ZoneApex;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.TextParseException;

/**
 * {@code GET /keys/{zone}}: the zone's keys, active and retired, public information only, with what each does in the
 * zone, the rolls in progress and what they wait for, and the keys past their validity that go on signing.
 */
@Path("/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {

  private final KeyManagerStore state;
  private final RollDriver driver;
  private final LatestChecks checks;
  private final Clock clock;

  public KeysResource(KeyManagerStore state, RollDriver driver, LatestChecks checks, Clock clock) {
    this.state = state;
    this.driver = driver;
    this.checks = checks;
    this.clock = clock;
  }

  /** Blocking, as the store is (Quarkus REST runs a method that returns no Uni on a worker thread). */
  @GET
  @Path("/{zone}")
  public Response keys(@PathParam("zone") String zoneParam) {
    String zone = ZoneApex.canonical(zoneParam);
    List<StoredZoneKey> keys = state.keysOf(zone);
    if (keys.isEmpty()) {
      return Response.status(Response.Status.NOT_FOUND).entity(Map.of("error", "no keys for zone " + zone)).build();
    }
    List<StoredZoneKey> active = keys.stream().filter(key -> key.retiredAt == null).toList();
    KeySetState current = KeySetRows.state(active, state.rollsOf(zone));
    Map<String, Integer> tags = new HashMap<>();
    keys.forEach(key -> tags.put(key.id.toString(), key.keyTag));
    StoredZonePolicy policy = state.policyOf(zone);
    List<ZoneKeysView.Overdue> overdue = policy == null ? List.of()
        : driver.overdue(current, policy.keyPolicy()).stream()
            .map(o -> new ZoneKeysView.Overdue(o.key().keyTag(), o.key().role().name(), o.expiredAt(), o.reason()))
            .toList();
    return Response.ok(new ZoneKeysView(
        zone,
        keys.stream().map(KeysResource::view).toList(),
        current.rolls().stream().map(roll -> view(zone, roll, tags)).toList(),
        overdue)).build();
  }

  private ZoneKeysView.Roll view(String zone, KeyRoll roll, Map<String, Integer> tags) {
    ZoneKeysView.PropagationCheck check = roll.stage() != KeyRoll.Stage.PROPAGATION ? null
        : checks.latest(zone, roll.type().variant(), roll.phase())
            .map(c -> new ZoneKeysView.PropagationCheck(c.check().result().isPropagated(),
                c.check().result().summary(), c.check().expected(), c.at()))
            .orElse(null);
    return new ZoneKeysView.Roll(
        roll.type().variant().word(),
        roll.type().name(),
        roll.newKeys().stream().map(tags::get).toList(),
        roll.oldKeys().stream().map(tags::get).toList(),
        roll.phase(),
        roll.stage().name(),
        roll.since(),
        roll.nextStep(),
        roll.waitingFor(clock.instant()),
        check);
  }

  private static ZoneKeysView.Key view(StoredZoneKey key) {
    String dnskey;
    try {
      dnskey = DnskeyText.record(key.zone, key.dnskeyTtl, key.flags, key.algorithm, key.publicKey).toString();
    } catch (TextParseException e) {
      // Only names that parsed when the keys were generated are stored.
      throw new IllegalStateException("stored zone name does not parse: " + key.zone, e);
    }
    return new ZoneKeysView.Key(
        key.keyTag,
        key.role.name(),
        Algorithms.mnemonic(key.algorithm),
        key.algorithm,
        key.flags,
        key.removedAt != null ? "removed" : key.retiredAt != null ? "retired"
            : key.publicOnly() ? "public-only" : "active",
        key.published,
        key.signsKeys,
        key.signsZone,
        key.atParent,
        key.createdAt,
        key.expiresAt,
        key.retiredAt,
        key.reference(),
        dnskey);
  }
}
