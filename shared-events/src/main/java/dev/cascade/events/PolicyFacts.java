package dev.cascade.events;

import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import java.util.Optional;

/**
 * Which registry facts set a zone's policy: every service that keeps a zone's policy reads it here, so a new fact
 * that carries one is added once.
 */
public final class PolicyFacts {

  private PolicyFacts() {}

  /**
   * The policy {@code fact} gives its zone from then on: a ZoneAdded's, or a ZoneReloadRequested's when it carries one
   * (policy reload, zone set-policy); empty for the other facts.
   */
  public static Optional<PolicySnapshot> of(ZoneRegistryFact fact) {
    if (fact.getFact() instanceof ZoneAdded added) {
      return Optional.of(added.getPolicy());
    }
    if (fact.getFact() instanceof ZoneReloadRequested reload) {
      return Optional.ofNullable(reload.getPolicy());
    }
    return Optional.empty();
  }
}
