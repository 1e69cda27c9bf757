package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.keymanager.domain.KeyPolicy;
import dev.cascade.keymanager.domain.RollDriver;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.KeySetRows;
import dev.cascade.keymanager.persistence.StoredKeyRoll;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.service.kafka.FencedWriteException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Announces a zone's key set after a roll step or a key removal, whoever took it (the {@link RollTimer}, or an
 * operator's keyset command, {@link KeysetCommandConsumer}), and records it once the announcement is committed, as
 * every key set is: a crash in between leaves an announcement that {@link KeySetRestore} records at the next start,
 * marking its cause processed. Keys a started roll generated are wrapped under the key-encryption key here and stored
 * only with the key set that names them; a key generated for a roll that was never announced is lost with nothing
 * pointing at it. Callers hold the {@link KeySetLock}.
 */
@ApplicationScoped
public class KeySetSteps {

  private static final Logger LOG = Logger.getLogger(KeySetSteps.class);

  private final KeyManagerStore state;
  private final KeySetEmitter emitter;
  private final KeyRows keyRows;
  private final Clock clock;

  public KeySetSteps(KeyManagerStore state, KeySetEmitter emitter, KeyRows keyRows, Clock clock) {
    this.state = state;
    this.emitter = emitter;
    this.keyRows = keyRows;
    this.clock = clock;
  }

  /**
   * Announces {@code next} as {@code zone}'s key set with {@code cause}, then records it.
   *
   * @param active the zone's active keys, from which {@code next} was made
   * @param generated the keys the step made (a started roll's); none for the other steps
   * @param step what was done, for the log: {@code zsk start-roll}, {@code remove-key db:keymanager/...}
   * @throws FencedWriteException when the announcement was fenced: nothing was announced, nothing recorded
   */
  void announce(String zone, KeyPolicy policy, List<StoredZoneKey> active, KeySetState next,
      List<RollDriver.GeneratedKey> generated, String cause, String step) {
    List<StoredZoneKey> rows = new ArrayList<>(active);
    for (RollDriver.GeneratedKey key : generated) {
      rows.add(keyRows.row(zone, key.id(), key.key(), policy.dnskeyTtl(), cause));
    }
    List<StoredZoneKey> keys = KeySetRows.rows(next, rows);
    List<StoredKeyRoll> rolls = KeySetRows.rolls(zone, next);
    // Milliseconds, the precision of the announcement, whose time a restore gives the keys that leave.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    emitter.keySetChanged(zone, policy.dnskeyTtl(), keys, rolls, cause, now);
    state.restore(zone, cause, now, keys, rolls);
    LOG.infof("zone %s: %s taken (%s); keys %s", zone, step, cause,
        keys.stream().map(key -> key.role + " " + key.keyTag + use(key)).toList());
  }

  private static String use(StoredZoneKey key) {
    return (key.published ? " published" : "") + (key.signsKeys ? " signs-keys" : "")
        + (key.signsZone ? " signs-zone" : "") + (key.atParent ? " at-parent" : "");
  }
}
