package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.KeyState;
import dev.cascade.dnssec.roll.PropagationExpectation;
import dev.cascade.dnssec.roll.RollStep;
import dev.cascade.dnssec.roll.RollStepException;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.dnssec.roll.RollType.Variant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * Takes the key-roll steps a zone's policy lets run by themselves ({@code <variant>.auto-*}), one at a time: the
 * key manager's automation on top of dnssec-core's roll state machine ({@link KeySetState}), which refuses any step
 * out of order or too early.
 *
 * <ul>
 *   <li>{@code algorithm start-roll} once the keys in use are not all of the policy's {@code algorithm}, and
 *       {@code csk start-roll} once they are but not of its roles ({@code use-csk}), a conversion between a KSK and
 *       ZSK pair and a CSK: what a policy change ({@code policy reload}, {@code zone set-policy}) asks for, if
 *       {@code algorithm|csk.auto-start}, and when no other roll is in progress (both run alone).
 *   <li>{@code start-roll} once a key in use passed its validity (creation + {@code ksk|zsk|csk.validity}, the
 *       expiry each key is announced with; the reference counts from publication, cascade-reference.md §5, which for
 *       a key published when made is the same), with a new key generated for it (unique key tag,
 *       {@link KeySetGenerator}), if {@code auto-start}; otherwise the key is overdue ({@link #overdue}).
 *   <li>{@code cache-expiredN} once the TTL reported with phase N's propagation has passed, if {@code auto-expire}.
 *   <li>{@code roll-done} if {@code auto-done}.
 *   <li>{@code propagationN-complete <ttl>} once the {@link PropagationChecker} saw every server concerned serve
 *       what the phase changed (dnssec-core's {@link PropagationExpectation}), with the TTL it observed, if
 *       {@code auto-report}. Anything else (a server that times out, a parent that cannot be reached or found, a DS
 *       that does not appear) is a wait, never a report: reporting without seeing could remove a key that caches or
 *       the parent still need (the .nz outage, reliability.md). Each check's outcome is in {@link Outcome#checks}.
 * </ul>
 *
 * <p>One step per call, so that every step is announced and recorded on its own.
 */
public final class RollDriver {

  private final KeySetGenerator generator;
  private final PropagationChecker checker;
  private final Clock clock;

  public RollDriver(KeySetGenerator generator, PropagationChecker checker, Clock clock) {
    this.generator = generator;
    this.checker = checker;
    this.clock = clock;
  }

  /**
   * A key that generation added to the key set, under the id its {@link KeyState} has.
   *
   * @param id the key's id in the key set ({@link KeyState#id()})
   */
  public record GeneratedKey(UUID id, NewKey key) {}

  /**
   * The outcome of one propagation check of a roll.
   *
   * @param variant the roll's variant
   * @param phase the phase whose propagation was checked
   * @param expected what must have propagated, one line each ({@link PropagationExpectation#lines})
   * @param result what the check saw
   */
  public record Check(Variant variant, int phase, List<String> expected, PropagationChecker.Result result) {

    public Check {
      expected = List.copyOf(expected);
    }
  }

  /**
   * What the driver did to a zone's key set.
   *
   * @param next the key set after the step; empty when no step was due
   * @param generated the keys the step brought in (a started roll's); none for the other steps
   * @param step the step taken, as the operator would give it, e.g. {@code zsk start-roll}; empty when none
   * @param checks the propagation checks made on the way, in roll order
   */
  public record Outcome(
      Optional<KeySetState> next, List<GeneratedKey> generated, Optional<String> step, List<Check> checks) {

    public Outcome {
      generated = List.copyOf(generated);
      checks = List.copyOf(checks);
    }

    static Outcome none(List<Check> checks) {
      return new Outcome(Optional.empty(), List.of(), Optional.empty(), checks);
    }

    static Outcome took(KeySetState next, String step, List<Check> checks) {
      return new Outcome(Optional.of(next), List.of(), Optional.of(step), checks);
    }
  }

  /**
   * A key past its validity that is not being rolled out: its roll cannot start by itself.
   *
   * @param key the key
   * @param expiredAt when its validity ended
   * @param reason why no roll takes it out, for the operator
   */
  public record Overdue(KeyState key, Instant expiredAt, String reason) {}

  /**
   * Takes the next automatic step of {@code zone}'s rolls, if one is due now: first the steps of the rolls in
   * progress, then a new roll for a key past its validity.
   *
   * @param tagsInUse key tags of every key the zone has or had (retired ones too): a new key takes none of them
   * @param dnskeys the DNSKEY record of every key of {@code state}, by {@link KeyState#id()}: what the propagation
   *     checks expect to see
   */
  public Outcome next(
      Name zone, KeySetState state, KeyPolicy policy, Set<Integer> tagsInUse, Map<String, DNSKEYRecord> dnskeys) {
    // Milliseconds, the precision KeySetChanged carries: a roll restored from the topic has the very times it had.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<Check> checks = new ArrayList<>();
    for (KeyRoll roll : state.rolls()) {
      Variant variant = roll.type().variant();
      RollAutomation automation = policy.rolls().automation(variant);
      RollStep step = switch (roll.stage()) {
        case PROPAGATION -> automation.report() ? reported(zone, state, roll, policy, dnskeys, checks) : null;
        case CACHE_EXPIRY -> automation.expire() && !now.isBefore(roll.cachesExpireAt())
            ? new RollStep.CacheExpired(roll.phase()) : null;
        case DONE -> automation.done() ? new RollStep.RollDone() : null;
      };
      if (step != null) {
        try {
          return Outcome.took(state.apply(variant, step, now), variant.word() + " " + step.word(), checks);
        } catch (RollStepException e) {
          // The conditions above are the state machine's own: a refusal here is a bug, not a wait.
          throw new IllegalStateException("zone " + zone + ": " + e.getMessage(), e);
        }
      }
    }
    Optional<Variant> change = policyChange(state, policy);
    if (change.isPresent() && state.rolls().isEmpty() && policy.rolls().automation(change.get()).start()) {
      try {
        return start(zone, state, policy, change.get(), tagsInUse);
      } catch (RollStepException e) {
        // No roll is in progress and the keys differ from the policy's: what the state machine asks of a start.
        throw new IllegalStateException("zone " + zone + ": " + e.getMessage(), e);
      }
    }
    for (KeyState key : expired(state, policy, now)) {
      Variant variant = variant(key.role());
      if (!policy.rolls().automation(variant).start() || blocked(state, variant).isPresent()
          || key.algorithm() != policy.algorithm().number()) {
        continue;
      }
      try {
        return start(zone, state, policy, rollType(key.role(), policy), List.of(key.role()), tagsInUse, now,
            checks);
      } catch (RollStepException e) {
        // The key is in use, in no roll, nothing blocks its variant, the new key has its algorithm and an unused
        // tag: what the state machine asks of a start. A refusal here is a bug, not a wait.
        throw new IllegalStateException("zone " + zone + ": " + e.getMessage(), e);
      }
    }
    return Outcome.none(checks);
  }

  /**
   * Checks the propagation {@code roll}'s phase waits for and records the outcome in {@code checks}: the
   * {@code propagationN-complete} step with the observed TTL once everything has propagated, null while not.
   */
  private RollStep reported(Name zone, KeySetState state, KeyRoll roll, KeyPolicy policy,
      Map<String, DNSKEYRecord> dnskeys, List<Check> checks) {
    PropagationExpectation expected =
        PropagationExpectation.of(zone, state, roll, dnskeys, policy.propagation().dsDigest());
    PropagationChecker.Result result = checker.check(expected, policy.propagation());
    checks.add(new Check(roll.type().variant(), roll.phase(), expected.lines(), result));
    return result.ttl().map(ttl -> new RollStep.PropagationComplete(roll.phase(), ttl)).orElse(null);
  }

  /**
   * Starts a roll of {@code variant} now, as an operator's {@code start-roll} asks, whatever the keys' validity and
   * {@code auto-start}: a KSK or ZSK roll brings in one key of its role and rolls as the policy's {@code
   * ksk|zsk.roll-type} says; a CSK or algorithm roll brings in the policy's key set (one CSK, or a KSK and a ZSK: a CSK
   * roll thus also converts between the two, as the policy's {@code use-csk} says) in the policy's algorithm. No key is
   * made when a roll in progress is in the way.
   *
   * @param tagsInUse key tags of every key the zone has or had: a new key takes none of them
   * @throws RollStepException if the state machine refuses the start (another roll in the way, a KSK or ZSK roll while
   *     the policy names another algorithm, an algorithm roll to the zone's own algorithm)
   */
  public Outcome start(Name zone, KeySetState state, KeyPolicy policy, Variant variant, Set<Integer> tagsInUse)
      throws RollStepException {
    state.checkStart(variant);
    RollType type = switch (variant) {
      case KSK -> policy.rolls().kskRollType();
      case ZSK -> policy.rolls().zskRollType();
      case CSK -> RollType.CSK;
      case ALGORITHM -> RollType.ALGORITHM;
    };
    List<SigningRole> roles = switch (variant) {
      case KSK -> List.of(SigningRole.KSK);
      case ZSK -> List.of(SigningRole.ZSK);
      case CSK, ALGORITHM -> policy.roles();
    };
    return start(zone, state, policy, type, roles, tagsInUse, clock.instant().truncatedTo(ChronoUnit.MILLIS),
        List.of());
  }

  /**
   * Makes a key of each of {@code roles}, with tags no key of the zone has or had, and starts {@code type}.
   *
   * @param checks the propagation checks made before, which the outcome carries
   */
  private Outcome start(Name zone, KeySetState state, KeyPolicy policy, RollType type, List<SigningRole> roles,
      Set<Integer> tagsInUse, Instant now, List<Check> checks) throws RollStepException {
    Set<Integer> taken = new HashSet<>(tagsInUse);
    state.keys().forEach(key -> taken.add(key.keyTag()));
    List<GeneratedKey> generated = new ArrayList<>();
    List<KeyState> fresh = new ArrayList<>();
    for (SigningRole role : roles) {
      NewKey made = generator.generate(zone, policy, role, taken);
      taken.add(made.key().keyTag());
      UUID id = UUID.randomUUID();
      generated.add(new GeneratedKey(id, made));
      fresh.add(KeyState.created(
          id.toString(), role, made.key().dnskey().getAlgorithm(), made.key().keyTag(), made.createdAt()));
    }
    KeySetState next = state.start(type, fresh, now);
    return new Outcome(Optional.of(next), generated, Optional.of(type.variant().word() + " start-roll"), checks);
  }

  /**
   * The keys past their validity whose roll does not start by itself, and why: {@code auto-start} is off, another
   * roll is in the way, or the key's algorithm is no longer the policy's. Such a key goes on signing, which the
   * operator must hear of (issue 14: a key past its validity never goes on signing silently).
   */
  public List<Overdue> overdue(KeySetState state, KeyPolicy policy) {
    Instant now = clock.instant();
    List<Overdue> overdue = new ArrayList<>();
    for (KeyState key : expired(state, policy, now)) {
      Variant variant = variant(key.role());
      Instant expiredAt = key.createdAt().plus(policy.validity(key.role()));
      Optional<String> blocked = blocked(state, variant);
      if (!policy.rolls().automation(variant).start()) {
        overdue.add(new Overdue(key, expiredAt, variant.word() + ".auto-start is off: the " + variant.word()
            + " roll waits for an operator (start-roll)"));
      } else if (blocked.isPresent()) {
        overdue.add(new Overdue(key, expiredAt, blocked.get()));
      } else if (key.algorithm() != policy.algorithm().number()) {
        overdue.add(new Overdue(key, expiredAt, "its algorithm " + Algorithms.mnemonic(key.algorithm())
            + " is no longer the policy's " + policy.algorithm() + ": the algorithm roll replaces it"
            + (policy.rolls().automation(Variant.ALGORITHM).start() ? "" : ", once an operator starts it (algorithm."
                + "auto-start is off)")));
      }
    }
    return overdue;
  }

  /**
   * The roll that brings the keys in use to the policy's, if they differ: an algorithm roll when any key has another
   * algorithm than the policy's, a CSK roll when their roles are not the policy's ({@code use-csk}); empty when the
   * keys match, or the zone has none.
   */
  static Optional<Variant> policyChange(KeySetState state, KeyPolicy policy) {
    List<KeyState> inUse = state.keys().stream().filter(key -> !key.inert()).toList();
    if (inUse.isEmpty()) {
      return Optional.empty();
    }
    if (inUse.stream().anyMatch(key -> key.algorithm() != policy.algorithm().number())) {
      return Optional.of(Variant.ALGORITHM);
    }
    Set<SigningRole> roles = new HashSet<>();
    inUse.forEach(key -> roles.add(key.role()));
    return roles.equals(Set.copyOf(policy.roles())) ? Optional.empty() : Optional.of(Variant.CSK);
  }

  /** Keys doing something in the zone, not in any roll, past their validity (none for "forever"), oldest first. */
  private static List<KeyState> expired(KeySetState state, KeyPolicy policy, Instant now) {
    Set<String> rolling = new HashSet<>();
    for (KeyRoll roll : state.rolls()) {
      rolling.addAll(roll.newKeys());
      rolling.addAll(roll.oldKeys());
    }
    return state.keys().stream()
        .filter(key -> !key.inert() && !rolling.contains(key.id()))
        .filter(key -> {
          Duration validity = policy.validity(key.role());
          return !validity.isZero() && !now.isBefore(key.createdAt().plus(validity));
        })
        .toList();
  }

  /** Why a roll of {@code variant} cannot start now, if it cannot: a roll that runs alone is in progress. */
  private static Optional<String> blocked(KeySetState state, Variant variant) {
    boolean alone = variant == Variant.CSK || variant == Variant.ALGORITHM;
    return state.rolls().stream()
        .filter(roll -> alone || roll.type().variant() == Variant.CSK || roll.type().variant() == Variant.ALGORITHM
            || roll.type().variant() == variant)
        .findFirst()
        .map(roll -> "the " + variant.word() + " roll waits until the " + roll.type().variant().word()
            + " roll in progress is done (" + roll.nextStep() + " is next)");
  }

  private static Variant variant(SigningRole role) {
    return switch (role) {
      case KSK -> Variant.KSK;
      case ZSK -> Variant.ZSK;
      case CSK -> Variant.CSK;
    };
  }

  private static RollType rollType(SigningRole role, KeyPolicy policy) {
    return switch (role) {
      case KSK -> policy.rolls().kskRollType();
      case ZSK -> policy.rolls().zskRollType();
      case CSK -> RollType.CSK;
    };
  }
}
