package dev.cascade.keymanager.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.service.kafka.HeldZones;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The zones this key manager instance holds: the partitions of the zone registry the group gave it, the only topic it
 * consumes, so the roll timer rolls only the keys of zones whose registry events reach this instance. The connector
 * finds it by its identifier ({@code consumer-rebalance-listener.name=held-zones}), the key manager's beans by type.
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
