package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.keymanager.domain.DnskeyText;
import dev.cascade.keymanager.domain.KeyPolicy;
import dev.cascade.keymanager.domain.LatestChecks;
import dev.cascade.keymanager.domain.RollDriver;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.KeySetRows;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.keymanager.persistence.StoredZonePolicy;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.kafka.HeldZones;
import dev.cascade.service.kafka.HeldZonesTimer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Takes the key-roll steps that are due, every {@code cascade.keymanager.roll-check-interval}, for the zones this
 * instance holds ({@link HeldZones}: the tables are shared by every replica), and once more when it gains partitions.
 * Per zone, the {@link RollDriver} decides on at most one step; the new key set is announced as KeySetChanged, in a
 * transaction of its own fenced by the producer epoch (there is no consumed event to fence it by, see {@code
 * FactTransactions}), and recorded only after the announcement was committed ({@link KeySetSteps}): a crash in between
 * leaves an announcement that {@link KeySetRestore} records at the next start; a key generated for a roll that was
 * never announced is lost with nothing pointing at it. The announcement's cause is {@code roll/<uuid>}.
 *
 * <p>A key past its validity whose roll does not start by itself is logged as a WARN at every check (issue 14: a key
 * past its validity never goes on signing silently), and shown by {@code GET /keys/{zone}}.
 *
 * <p>Registry events, keyset commands and this timer change key sets under one lock ({@link KeySetLock}), so a roll
 * step never announces the keys of a zone that a ZoneRemoved has just retired. The check runs on a {@link
 * HeldZonesTimer}, as the signer's refresh does: one thread, never two checks at once.
 */
@ApplicationScoped
public class RollTimer {

  private static final Logger LOG = Logger.getLogger(RollTimer.class);
  private static final String CAUSE_PREFIX = "roll/";

  private final KeyManagerStore state;
  private final KeySetSteps steps;
  private final RollCheckEmitter checks;
  private final LatestChecks latest;
  private final KekRotation rotation;
  private final HeldZones held;
  private final KeySetLock lock;
  private final RollDriver driver;
  private final Clock clock;
  private final HeldZonesTimer timer;
  private final KeyRemoval removal;

  public RollTimer(
      KeyManagerStore state,
      KeySetSteps steps,
      RollCheckEmitter checks,
      LatestChecks latest,
      KekRotation rotation,
      HeldZones held,
      KeySetLock lock,
      RollDriver driver,
      Clock clock,
      KeyRemoval removal,
      @ConfigProperty(name = "cascade.keymanager.roll-check-interval") Duration interval) {
    this.state = state;
    this.steps = steps;
    this.checks = checks;
    this.latest = latest;
    this.rotation = rotation;
    this.held = held;
    this.lock = lock;
    this.driver = driver;
    this.clock = clock;
    this.removal = removal;
    this.timer = new HeldZonesTimer("key-rolls", interval, held, this::check);
  }

  void start(@Observes StartupEvent started) {
    timer.start();
  }

  /**
   * One check, once the key sets are restored and wrapped under the current KEK: each held zone's next roll step, then
   * the removal of keys due ({@link KeyRemoval}); one zone's failure does not stop the others.
   */
  private void check() {
    if (!rotation.done()) {
      return;
    }
    for (String zone : state.zonesWithKeys()) {
      if (!held.holds(zone)) {
        continue;
      }
      try {
        lock.run(() -> drive(zone));
      } catch (FencedWriteException e) {
        LOG.warnf("zone %s: key roll step not announced, this instance was fenced: %s", zone, e.getMessage());
      } catch (RuntimeException e) {
        LOG.errorf(e, "zone %s: key roll check failed", zone);
      }
    }
    removal.removeDue();
  }

  /** Takes the zone's next automatic roll step, if one is due. */
  private void drive(String zone) {
    StoredZonePolicy stored = state.policyOf(zone);
    if (stored == null) {
      LOG.warnf("zone %s: no policy recorded for its keys, its keys are not rolled", zone);
      return;
    }
    KeyPolicy policy = stored.keyPolicy();
    List<StoredZoneKey> all = state.keysOf(zone);
    List<StoredZoneKey> active = state.activeKeysOf(zone);
    KeySetState current = KeySetRows.state(active, state.rollsOf(zone));
    Name origin = origin(zone);
    for (RollDriver.Overdue overdue : driver.overdue(current, policy)) {
      LOG.warnf("zone %s: %s key tag %d passed its validity at %s and goes on signing: %s", zone,
          overdue.key().role(), overdue.key().keyTag(), overdue.expiredAt(), overdue.reason());
    }
    Set<Integer> tagsInUse = all.stream().map(key -> key.keyTag).collect(Collectors.toSet());
    RollDriver.Outcome outcome = driver.next(origin, current, policy, tagsInUse, dnskeys(active));
    latest.record(zone, outcome.checks(), clock.instant());
    checks.checked(zone, outcome.checks());
    if (outcome.next().isPresent()) {
      steps.announce(zone, policy, active, outcome.next().get(), outcome.generated(),
          CAUSE_PREFIX + UUID.randomUUID(), "key roll step " + outcome.step().orElseThrow());
    }
  }

  /** The DNSKEY record of each key, by its id in the key set. */
  private static Map<String, DNSKEYRecord> dnskeys(List<StoredZoneKey> keys) {
    Map<String, DNSKEYRecord> records = new HashMap<>();
    for (StoredZoneKey key : keys) {
      try {
        records.put(key.id.toString(), DnskeyText.record(key.zone, key.dnskeyTtl, key.flags, key.algorithm,
            key.publicKey));
      } catch (TextParseException e) {
        // Only names that parsed when the zone's keys were generated are stored.
        throw new IllegalStateException("stored zone name does not parse: " + key.zone, e);
      }
    }
    return records;
  }

  private static Name origin(String zone) {
    try {
      return Name.fromString(zone);
    } catch (TextParseException e) {
      // Only names that parsed when the zone's keys were generated are stored.
      throw new IllegalStateException("stored zone name does not parse: " + zone, e);
    }
  }

  @PreDestroy
  void stop() {
    timer.close();
  }
}
