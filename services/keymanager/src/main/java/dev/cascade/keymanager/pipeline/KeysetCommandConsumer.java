package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.RollStep;
import dev.cascade.dnssec.roll.RollStepException;
import dev.cascade.dnssec.roll.RollType.Variant;
import dev.cascade.events.v1.KeyRemovalRequested;
import dev.cascade.events.v1.KeyRollStepRequested;
import dev.cascade.events.v1.KeysetCommandGiven;
import dev.cascade.keymanager.domain.KeyPolicy;
import dev.cascade.keymanager.domain.RollDriver;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.KeySetRows;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.keymanager.persistence.StoredZonePolicy;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.messaging.EventHandling;
import dev.cascade.service.messaging.EventRefusedException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Applies the operator's keyset commands ({@code cascade keyset <zone> ...}, KeysetCommandGiven): a roll step, taken
 * with dnssec-core's state machine ({@code start-roll} generating the new keys as the automation does, {@link
 * RollDriver#start}), or a key's removal ({@link KeySetState#remove}). The new key set is announced with the command's
 * eventId as cause and recorded by {@link KeySetSteps}, as the roll timer's steps are.
 *
 * <p>Exactly once, as the registry events are ({@link ZoneRegistryConsumer}): the announcement goes out in a
 * transaction fenced by the consumer group membership the command was consumed under, and recording it marks the
 * command processed, since the cause is the command's own eventId; a command delivered again is skipped, and one whose
 * announcement a crash left unrecorded is recorded by {@link KeySetRestore} before any command is handled. The topic is
 * co-partitioned with the registry and read in the same consumer group with the RangeAssignor, so the instance that
 * holds a zone's registry partition, and runs its roll timer, also takes its commands, under the same {@link
 * KeySetLock}.
 *
 * <p>The gateway checks a command against the key set it last saw, so a refusal here means the key set moved on in
 * between (the automation took a step, or another command came first). The refusal is set aside at once on the
 * keymanager's dead-letter topic with the state machine's message as reason ({@link EventRefusedException}): the
 * gateway shows it in the zone's history and status, next to the command, and nothing else changes. A dead letter, not
 * a fact of its own, because it is the pipeline's one way to say "this event was not applied, and why", which the
 * gateway already projects for every service; a wrong step never halts the zone (the reference's #579).
 */
@ApplicationScoped
public class KeysetCommandConsumer {

  private static final Logger LOG = Logger.getLogger(KeysetCommandConsumer.class);

  private final KeyManagerStore state;
  private final KeySetSteps steps;
  private final KekRotation rotation;
  private final EventHandling handling;
  private final KeySetLock lock;
  private final RollDriver driver;
  private final Clock clock;

  public KeysetCommandConsumer(KeyManagerStore state, KeySetSteps steps, KekRotation rotation,
      EventHandling handling, KeySetLock lock, RollDriver driver, Clock clock) {
    this.state = state;
    this.steps = steps;
    this.rotation = rotation;
    this.handling = handling;
    this.lock = lock;
    this.driver = driver;
    this.clock = clock;
  }

  /** Waits for the key sets to be restored and wrapped under the current KEK, then applies the command once. */
  @Incoming(Channels.KEYSET_COMMANDS)
  @Blocking
  public CompletionStage<Void> onCommand(Message<KeysetCommandGiven> message) {
    rotation.await();
    return handling.exactlyOnce(message, () -> lock.run(() -> handle(message.getPayload())));
  }

  /**
   * Applies one command unless it was applied before.
   *
   * @throws EventRefusedException when the zone's key set does not allow it
   */
  void handle(KeysetCommandGiven command) {
    String eventId = command.getMetadata().getEventId();
    String zone = ZoneApex.canonical(command.getZone());
    if (state.alreadyProcessed(eventId)) {
      LOG.debugf("zone %s: keyset command %s already applied, skipped", zone, eventId);
      return;
    }
    StoredZonePolicy stored = state.policyOf(zone);
    List<StoredZoneKey> active = state.activeKeysOf(zone);
    if (stored == null || active.isEmpty()) {
      throw refused("zone " + zone + " has no key set (not added, or removed)", null);
    }
    KeyPolicy policy = stored.keyPolicy();
    KeySetState current = KeySetRows.state(active, state.rollsOf(zone));
    Object what = command.getFact();
    List<StoredZoneKey> kept = active;
    RollDriver.Outcome outcome;
    try {
      if (what instanceof KeyRollStepRequested step) {
        outcome = rollStep(zone, current, policy, step);
      } else if (what instanceof KeyRemovalRequested removal) {
        String id = StoredZoneKey.idOf(removal.getKey()).toString();
        // A key only published is in no roll: it leaves the key set, which stays as it is otherwise.
        boolean publicOnly = active.stream().anyMatch(key -> key.publicOnly() && key.id.toString().equals(id));
        if (publicOnly) {
          kept = active.stream().filter(key -> !key.id.toString().equals(id)).toList();
        }
        outcome = new RollDriver.Outcome(
            Optional.of(publicOnly ? current : current.remove(id, removal.getForce(), removal.getContinueRoll())),
            List.of(), Optional.of("remove-key " + removal.getKey()), List.of());
      } else {
        throw refused("unknown keyset command " + (what == null ? null : what.getClass().getSimpleName()), null);
      }
    } catch (RollStepException | IllegalArgumentException e) {
      throw refused(e.getMessage(), e);
    }
    steps.announce(zone, policy, kept, outcome.next().orElseThrow(), outcome.generated(), eventId,
        "keyset command '" + outcome.step().orElseThrow() + "'");
  }

  private RollDriver.Outcome rollStep(String zone, KeySetState current, KeyPolicy policy, KeyRollStepRequested step)
      throws RollStepException {
    Variant variant = Variant.valueOf(step.getVariant().toUpperCase(Locale.ROOT));
    if (step.getStep().equals("start-roll")) {
      Set<Integer> tagsInUse = state.keysOf(zone).stream().map(key -> key.keyTag).collect(Collectors.toSet());
      return driver.start(origin(zone), current, policy, variant, tagsInUse);
    }
    RollStep parsed = RollStep.parse(step.getStep(), step.getTtlSeconds());
    // Milliseconds, the precision KeySetChanged carries, as the roll timer's steps.
    KeySetState next = current.apply(variant, parsed, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    return new RollDriver.Outcome(Optional.of(next), List.of(), Optional.of(variant.word() + " " + parsed.word()),
        List.of());
  }

  private static EventRefusedException refused(String reason, Exception cause) {
    return new EventRefusedException(reason, cause);
  }

  private static Name origin(String zone) {
    try {
      return Name.fromString(zone);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone " + zone + " is not a domain name", e);
    }
  }
}
