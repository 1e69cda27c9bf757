package dev.cascade.keymanager.api;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.keymanager.domain.DnskeyText;
import dev.cascade.keymanager.persistence.KeyManagerState;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.service.ZoneApex;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.TextParseException;

/** {@code GET /keys/{zone}}: the zone's keys, active and retired, public information only. */
@Path("/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {

  private final KeyManagerState state;

  public KeysResource(KeyManagerState state) {
    this.state = state;
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
    return Response.ok(new ZoneKeysView(zone, keys.stream().map(KeysResource::view).toList())).build();
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
        key.retiredAt == null ? "active" : "retired",
        key.createdAt,
        key.expiresAt,
        key.retiredAt,
        key.reference(),
        dnskey);
  }
}
