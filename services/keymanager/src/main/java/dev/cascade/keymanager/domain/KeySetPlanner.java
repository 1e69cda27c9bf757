package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.SigningRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides, on ZoneAdded, whether a zone needs new keys.
 *
 * <p>Keys are never regenerated on a restart or a replay of the registry: a new KSK would break the chain of trust
 * from the parent's DS (RFC 4035 §5) until the DS is replaced. A zone that was removed keeps its keys, retired; when
 * it is added again they come back if they still fit the policy (same algorithm, same KSK/ZSK or CSK scheme, not
 * past their validity), because the parent may still publish a DS for the old KSK. Otherwise a new set is generated.
 */
public final class KeySetPlanner {

  private KeySetPlanner() {}

  /**
   * @param keys every key the zone has, active and retired
   * @param eventId eventId of the ZoneAdded being handled
   * @param now the current time, to skip keys past their validity
   */
  public static KeySetPlan plan(List<ExistingKey> keys, KeyPolicy policy, String eventId, Instant now) {
    List<ExistingKey> active = keys.stream().filter(k -> !k.retired()).toList();
    if (!active.isEmpty()) {
      boolean madeForThisEvent = active.stream().anyMatch(k -> eventId.equals(k.activatedBy()));
      return madeForThisEvent ? new KeySetPlan.AnnounceActive() : new KeySetPlan.KeepQuiet();
    }
    List<UUID> reusable = new ArrayList<>();
    for (SigningRole role : policy.roles()) {
      Optional<ExistingKey> candidate =
          keys.stream()
              .filter(k -> k.role() == role && k.algorithm() == policy.algorithm().number())
              .filter(k -> k.expiresAt() == null || k.expiresAt().isAfter(now))
              // The longest-lived key first: reactivating one that expires soonest would force an early rollover.
              .max(Comparator.comparing(k -> k.expiresAt() == null ? Instant.MAX : k.expiresAt()));
      if (candidate.isEmpty()) {
        return new KeySetPlan.Generate();
      }
      reusable.add(candidate.get().id());
    }
    return new KeySetPlan.Reactivate(List.copyOf(reusable));
  }
}
