package dev.cascade.signer.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.service.kafka.HeldZones;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The zones this signer instance holds: the partitions of unsigned-versions the group gave it, which stand for all
 * four topics the signer reads. The connector finds it by its identifier ({@code
 * consumer-rebalance-listener.name=held-zones}), the signer's own beans by type ({@code @Default}, which a qualifier
 * would otherwise take away).
 */
@Singleton
public class HeldZonesProducer {

  @Produces
  @Singleton
  @Default
  @Identifier("held-zones")
  HeldZones heldZones() {
    return new HeldZones(Topics.UNSIGNED_VERSIONS);
  }
}
