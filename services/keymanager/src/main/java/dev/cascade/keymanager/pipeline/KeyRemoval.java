package dev.cascade.keymanager.pipeline;

import dev.cascade.keymanager.domain.HsmKeys;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.keymanager.persistence.StoredZonePolicy;
import dev.cascade.service.kafka.HeldZones;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Removes the keys that left their key set ({@code retired}: a roll's old keys after roll-done, a removed zone's keys)
 * once their zone's policy says so: {@code [key-manager] auto-remove} with {@code auto-remove-delay} after the key
 * left (the reference's defaults, true and 7 days). A removed key's private key is gone: the wrapped copy is emptied
 * and a PKCS#11 object destroyed. Its row stays, so that its key tag is never another key's in the zone, and it is
 * never brought back when the zone is added again.
 *
 * <p>The delay is what makes removal safe: a retired key no longer signs anything the zone serves, and for the delay
 * it stays at hand for an operator who finds a roll went wrong. A zone without a recorded policy keeps its keys.
 * Only the zones this instance holds are looked at, as for roll steps.
 *
 * <p>The key-sets topic still holds the wrapped copies the announcements carried until compaction drops them; a
 * keymanager rebuilt from it takes them back as retired keys and removes them again at its next check.
 */
@ApplicationScoped
class KeyRemoval {

  private static final Logger LOG = Logger.getLogger(KeyRemoval.class);

  private final KeyManagerStore state;
  private final HsmKeys hsmKeys;
  private final HeldZones held;
  private final Clock clock;

  KeyRemoval(KeyManagerStore state, HsmKeys hsmKeys, HeldZones held, Clock clock) {
    this.state = state;
    this.hsmKeys = hsmKeys;
    this.held = held;
    this.clock = clock;
  }

  /** Removes every retired key of a held zone whose delay has passed; one key's failure does not stop the others. */
  void removeDue() {
    Instant now = clock.instant();
    Map<String, Optional<Duration>> delays = new HashMap<>();
    for (StoredZoneKey key : state.retiredKeys()) {
      if (!held.holds(key.zone)) {
        continue;
      }
      Optional<Duration> delay = delays.computeIfAbsent(key.zone, this::autoRemoveDelay);
      if (delay.isEmpty() || now.isBefore(key.retiredAt.plus(delay.get()))) {
        continue;
      }
      try {
        remove(key, delay.get(), now);
      } catch (RuntimeException e) {
        LOG.errorf(e, "zone %s: key tag %d could not be removed, it is tried again at the next check", key.zone,
            key.keyTag);
      }
    }
  }

  /** The zone's {@code auto-remove-delay}, read once per check for all its retired keys; empty to keep them. */
  private Optional<Duration> autoRemoveDelay(String zone) {
    StoredZonePolicy policy = state.policyOf(zone);
    return policy == null ? Optional.empty() : policy.autoRemoveDelay();
  }

  private void remove(StoredZoneKey key, Duration delay, Instant now) {
    String where;
    if (key.privateKeyUri != null) {
      where = hsmKeys.destroy(key.privateKeyUri) ? "destroyed in the PKCS#11 token" : "already gone from the token";
    } else {
      where = key.wrappedPrivateKey.length > 0 ? "its wrapped copy deleted" : "no private key held";
    }
    state.removed(key.id, now);
    LOG.infof("zone %s: %s key tag %d removed, %s after it left the key set (auto-remove-delay %s): %s", key.zone,
        key.role, key.keyTag, Duration.between(key.retiredAt, now), delay, where);
  }
}
