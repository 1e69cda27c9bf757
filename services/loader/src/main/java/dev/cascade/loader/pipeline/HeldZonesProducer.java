package dev.cascade.loader.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.service.kafka.HeldZones;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The zones this loader instance holds: the partitions of the zone registry the group gave it. Only the holder of a
 * zone refreshes it from its primary ({@link RefreshTimer}): every replica sees every zone's timers in the shared
 * tables. The connector finds it by its identifier ({@code consumer-rebalance-listener.name=held-zones}), the
 * loader's own beans by type, as in the signer and the key manager.
 */
@Singleton
public class HeldZonesProducer {

  @Produces
  @Singleton
  @Default
  @Identifier("held-zones")
  HeldZones heldZones() {
    return new HeldZones(Topics.ZONE_REGISTRY);
  }
}
