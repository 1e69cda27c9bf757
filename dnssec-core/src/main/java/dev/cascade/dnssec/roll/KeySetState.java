package dev.cascade.dnssec.roll;

import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.KeyRoll.Stage;
import dev.cascade.dnssec.roll.RollType.Variant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A zone's keys and the rolls in progress, and the steps that move them on. Immutable: each step gives the next
 * state, or a {@link RollStepException} that says why it does not fit, and leaves this one as it was.
 *
 * <p>A KSK roll and a ZSK roll may run at the same time; a CSK or algorithm roll, which moves every key, runs alone,
 * as in the reference. A phase's cache-expired step is refused until the TTL reported with its propagation has
 * passed: that is what keeps a key in the zone as long as a cache may need it (RFC 7583 §3), and what a roll driven
 * by hand cannot get wrong either.
 *
 * @param keys every key of the zone, in the order they came in
 * @param rolls the rolls in progress
 */
public record KeySetState(List<KeyState> keys, List<KeyRoll> rolls) {

  public KeySetState {
    keys = List.copyOf(keys);
    rolls = List.copyOf(rolls);
  }

  /** A key set with no roll in progress. */
  public static KeySetState of(List<KeyState> keys) {
    return new KeySetState(keys, List.of());
  }

  /** The keys in the zone's DNSKEY RRset. */
  public List<KeyState> dnskeys() {
    return select(KeyState::published);
  }

  /** The keys that sign the DNSKEY RRset (and CDS and CDNSKEY). */
  public List<KeyState> keySigners() {
    return select(KeyState::signsKeys);
  }

  /** The keys that sign every other RRset. */
  public List<KeyState> zoneSigners() {
    return select(KeyState::signsZone);
  }

  /** The keys whose DS is to be at the parent: the content of the DS RRset, and of CDS and CDNSKEY (RFC 7344). */
  public List<KeyState> parentKeys() {
    return select(KeyState::atParent);
  }

  /** True while a roll waits for a new DS RRset at the parent: the time to offer CDS and CDNSKEY during a roll. */
  public boolean dsChanging() {
    return rolls.stream().anyMatch(roll -> roll.propagates().contains(Propagation.DS));
  }

  /** The roll of {@code variant} in progress, if any. */
  public Optional<KeyRoll> roll(Variant variant) {
    return rolls.stream().filter(roll -> roll.type().variant() == variant).findFirst();
  }

  /** The key with {@code id}, if it is in the set. */
  public Optional<KeyState> key(String id) {
    return keys.stream().filter(key -> key.id().equals(id)).findFirst();
  }

  /**
   * Starts a roll of {@code type} that brings in {@code newKeys} (made for it, not yet in the zone in any way) and
   * takes out the zone's keys of the roles it rolls; its first phase's changes are made at once.
   *
   * @throws RollStepException if another roll is in the way, the new keys do not fit the roll, or a new key's tag
   *     is taken (the key manager then makes another key: two keys with one tag cost validators work and have broken
   *     zones, reliability.md)
   */
  public KeySetState start(RollType type, List<KeyState> newKeys, Instant now) throws RollStepException {
    String roll = type.variant().word() + " roll";
    checkStart(type.variant());
    List<KeyState> old = keys.stream().filter(takenOutBy(type.variant())).toList();
    checkNewKeys(type, roll, newKeys, old);
    List<String> newIds = newKeys.stream().map(KeyState::id).toList();
    List<String> oldIds = old.stream().map(KeyState::id).toList();
    List<KeyState> all = new ArrayList<>(keys);
    all.addAll(newKeys);
    KeyRoll started = new KeyRoll(type, newIds, oldIds, 1, Stage.PROPAGATION, now, Duration.ZERO);
    List<KeyRoll> running = new ArrayList<>(rolls);
    running.add(started);
    return new KeySetState(change(all, started, type.phase(1).onNew(), type.phase(1).onOld()), running);
  }

  /**
   * The key set of keys taken over from another key manager: each key of {@code keys} does all its role's jobs,
   * unless {@code positions} places it (by id) in a roll in progress; the keys placed make one roll per role, each
   * taken over as {@link #resume} does, its type among {@link RollType#candidates} with {@code preferred}'s first.
   *
   * @throws RollStepException if a role's placed keys lack a new or an old key, or fit no phase of a roll
   */
  public static KeySetState takeOver(List<KeyState> keys, Map<String, RollPosition> positions,
      Function<Variant, RollType> preferred, Instant now) throws RollStepException {
    KeySetState state = of(keys.stream().filter(key -> !positions.containsKey(key.id()))
        .map(key -> KeyState.active(key.id(), key.role(), key.algorithm(), key.keyTag(), key.createdAt())).toList());
    for (SigningRole role : SigningRole.values()) {
      List<KeyState> arriving = new ArrayList<>();
      List<KeyState> leaving = new ArrayList<>();
      for (KeyState key : keys) {
        RollPosition position = positions.get(key.id());
        if (key.role() == role && position != null) {
          KeyState placed = position.state(key.id(), role, key.algorithm(), key.keyTag(), key.createdAt());
          (position.arriving() ? arriving : leaving).add(placed);
        }
      }
      if (arriving.isEmpty() && leaving.isEmpty()) {
        continue;
      }
      if (arriving.isEmpty() || leaving.isEmpty()) {
        throw new RollStepException("a " + role + " roll taken over needs a key it brings in and a key it takes "
            + "out; it has " + describe(arriving) + " new and " + describe(leaving) + " old");
      }
      Variant variant = Variant.valueOf(role.name());
      state = state.resume(arriving, leaving, RollType.candidates(variant, preferred.apply(variant)), now);
    }
    return state;
  }

  /**
   * This key set with a roll that another key manager began taken over half-way (cascade migrate opendnssec): {@code
   * newKeys} and {@code oldKeys} are that roll's keys as they are in the zone now. The roll is put at the phase whose
   * changes give exactly these states, found by running each candidate type from its start, the old keys doing all
   * their role's jobs and the new keys nothing; it then waits for that phase's propagation to be reported again.
   * Cascade so checks and waits out for itself what the other key manager may have seen already: later than needed,
   * never earlier (RFC 7583 §3).
   *
   * @param candidates the roll types to try, in order (the policy's first): the first whose phase fits is taken
   * @throws RollStepException if no phase of any candidate gives these states, or the roll may not start beside
   *     the rolls in progress
   */
  public KeySetState resume(List<KeyState> newKeys, List<KeyState> oldKeys, List<RollType> candidates, Instant now)
      throws RollStepException {
    List<KeyState> before = new ArrayList<>(keys);
    oldKeys.forEach(key -> before.add(KeyState.active(key.id(), key.role(), key.algorithm(), key.keyTag(),
        key.createdAt())));
    List<KeyState> fresh = newKeys.stream()
        .map(key -> KeyState.created(key.id(), key.role(), key.algorithm(), key.keyTag(), key.createdAt())).toList();
    List<KeyState> wanted = new ArrayList<>(newKeys);
    wanted.addAll(oldKeys);
    List<String> refusals = new ArrayList<>();
    for (RollType type : candidates) {
      KeySetState run;
      try {
        run = new KeySetState(before, rolls).start(type, fresh, now);
      } catch (RollStepException e) {
        refusals.add(type.name() + ": " + e.getMessage());
        continue;
      }
      Variant variant = type.variant();
      for (int phase = 1; ; phase++) {
        if (run.sameUses(wanted)) {
          return run;
        }
        if (phase > type.phaseCount()) {
          break;
        }
        run = run.apply(variant, new RollStep.PropagationComplete(phase, Duration.ZERO), now)
            .apply(variant, new RollStep.CacheExpired(phase), now);
      }
      refusals.add(type.name() + ": no phase has these keys' states");
    }
    throw new RollStepException("the roll in progress cannot be taken over (" + String.join("; ", refusals)
        + "): new keys " + describe(newKeys) + ", old keys " + describe(oldKeys));
  }

  /** Whether every key of {@code wanted} is in this set and does just what it does there. */
  private boolean sameUses(List<KeyState> wanted) {
    return wanted.stream().allMatch(w -> key(w.id()).filter(k -> k.published() == w.published()
        && k.signsKeys() == w.signsKeys() && k.signsZone() == w.signsZone() && k.atParent() == w.atParent())
        .isPresent());
  }

  private static String describe(List<KeyState> keys) {
    return keys.stream().map(k -> k.role() + " " + k.keyTag() + " " + (k.inert() ? "unused" : uses(k))).toList()
        .toString();
  }

  /**
   * Checks that a roll of {@code variant} may start now, as far as the rolls in progress go: what {@link #start}
   * checks before it looks at new keys, for a caller that has none yet (an operator's {@code start-roll}, checked
   * before the key manager makes the keys).
   *
   * @throws RollStepException if a roll of {@code variant} is in progress, or one that must run alone
   */
  public void checkStart(Variant variant) throws RollStepException {
    for (KeyRoll running : rolls) {
      Variant other = running.type().variant();
      if (other == variant || exclusive(other) || exclusive(variant)) {
        throw new RollStepException("cannot start a " + variant.word() + " roll while a " + other.word()
            + " roll is in progress (" + running.nextStep() + " is next)");
      }
    }
  }

  /**
   * Takes the key {@code id} out of the key set, as an operator's {@code remove-key} asks.
   *
   * <p>A key that still does something in the zone is refused unless {@code force}: removed while published or
   * signing, it leaves signatures that no DNSKEY validates (RFC 4035 §5.3.1), and removed while its DS is at the
   * parent, a chain of trust that ends nowhere, which makes the zone bogus if it was the only one (RFC 4035 §5).
   * A key that a roll in progress takes out is refused unless {@code continueRoll}: the roll then goes on without it.
   * A key that a roll brings in is always refused: the roll cannot go on without it.
   *
   * @throws RollStepException if the key is not in the key set, or the removal is refused as above
   */
  public KeySetState remove(String id, boolean force, boolean continueRoll) throws RollStepException {
    KeyState key = key(id).orElseThrow(() -> new RollStepException("key " + id + " is not in the key set"));
    for (KeyRoll roll : rolls) {
      String variant = roll.type().variant().word();
      if (roll.newKeys().contains(id)) {
        throw new RollStepException("key " + id + " is the new key of the " + variant + " roll in progress ("
            + roll.nextStep() + " is next); it cannot be removed");
      }
      if (roll.oldKeys().contains(id) && !continueRoll) {
        throw new RollStepException("key " + id + " is taken out by the " + variant + " roll in progress ("
            + roll.nextStep() + " is next); --continue removes it now and lets the roll go on without it");
      }
    }
    if (!key.inert() && !force) {
      throw new RollStepException("key " + id + " is still " + uses(key) + "; --force removes it anyway, at the"
          + " risk of signatures no DNSKEY validates and a DS that points at no key: the zone can turn bogus");
    }
    List<KeyRoll> running = rolls.stream().map(roll -> roll.oldKeys().contains(id)
        ? new KeyRoll(roll.type(), roll.newKeys(), roll.oldKeys().stream().filter(old -> !old.equals(id)).toList(),
            roll.phase(), roll.stage(), roll.since(), roll.ttl())
        : roll).toList();
    return new KeySetState(keys.stream().filter(other -> other != key).toList(), running);
  }

  /** What a key in use does, for a refusal: "published, signing the zone and at the parent". */
  private static String uses(KeyState key) {
    List<String> uses = new ArrayList<>();
    if (key.published()) {
      uses.add("published");
    }
    if (key.signsKeys()) {
      uses.add("signing the DNSKEY RRset");
    }
    if (key.signsZone()) {
      uses.add("signing the zone");
    }
    if (key.atParent()) {
      uses.add("at the parent (DS)");
    }
    return String.join(", ", uses);
  }

  /**
   * Takes {@code step} in the roll of {@code variant}.
   *
   * @throws RollStepException if no such roll is in progress, the step is not the one it waits for, or the caches
   *     it must wait for have not expired yet
   */
  public KeySetState apply(Variant variant, RollStep step, Instant now) throws RollStepException {
    KeyRoll roll = roll(variant)
        .orElseThrow(() -> new RollStepException("no " + variant.word() + " roll is in progress"));
    String expected = "the " + variant.word() + " roll waits for " + roll.nextStep() + ", not " + step.word();
    KeyRoll next;
    List<KeyState> changed = keys;
    if (step instanceof RollStep.PropagationComplete propagated) {
      if (roll.stage() != Stage.PROPAGATION || roll.phase() != propagated.phase()) {
        throw new RollStepException(expected);
      }
      next = new KeyRoll(roll.type(), roll.newKeys(), roll.oldKeys(), roll.phase(), Stage.CACHE_EXPIRY, now,
          propagated.ttl());
    } else if (step instanceof RollStep.CacheExpired expired) {
      if (roll.stage() != Stage.CACHE_EXPIRY || roll.phase() != expired.phase()) {
        throw new RollStepException(expected);
      }
      if (now.isBefore(roll.cachesExpireAt())) {
        throw new RollStepException("the caches may hold what phase " + roll.phase() + " of the " + variant.word()
            + " roll replaced until " + roll.cachesExpireAt() + " (propagation reported at " + roll.since()
            + ", TTL " + roll.ttl().toSeconds() + " s)");
      }
      boolean last = roll.phase() == roll.type().phaseCount();
      next = new KeyRoll(roll.type(), roll.newKeys(), roll.oldKeys(), roll.phase() + 1,
          last ? Stage.DONE : Stage.PROPAGATION, now, Duration.ZERO);
      changed = last
          ? change(keys, roll, Set.of(), roll.type().doneOnOld())
          : change(keys, roll, roll.type().phase(next.phase()).onNew(), roll.type().phase(next.phase()).onOld());
    } else {
      if (roll.stage() != Stage.DONE) {
        throw new RollStepException(expected);
      }
      Set<String> leaving = new HashSet<>(roll.oldKeys());
      return new KeySetState(
          keys.stream().filter(key -> !leaving.contains(key.id())).toList(),
          rolls.stream().filter(r -> r != roll).toList());
    }
    List<KeyRoll> running = rolls.stream().map(r -> r == roll ? next : r).toList();
    return new KeySetState(changed, running);
  }

  private static boolean exclusive(Variant variant) {
    return variant == Variant.CSK || variant == Variant.ALGORITHM;
  }

  /** The keys a roll of {@code variant} takes out: those of its roles that no other roll is bringing in. */
  private Predicate<KeyState> takenOutBy(Variant variant) {
    Set<String> arriving = rolls.stream().flatMap(roll -> roll.newKeys().stream()).collect(Collectors.toSet());
    return key -> !arriving.contains(key.id()) && switch (variant) {
      case KSK -> key.role() == SigningRole.KSK;
      case ZSK -> key.role() == SigningRole.ZSK;
      case CSK, ALGORITHM -> true;
    };
  }

  private void checkNewKeys(RollType type, String roll, List<KeyState> newKeys, List<KeyState> old)
      throws RollStepException {
    List<SigningRole> roles = newKeys.stream().map(KeyState::role).toList();
    if (type.initial()) {
      checkFirstKeys(type, roles);
    } else {
      checkReplacement(type, roll, roles, newKeys, old);
    }
    List<KeyState> seen = new ArrayList<>(keys);
    for (KeyState key : newKeys) {
      if (!key.inert()) {
        throw new RollStepException("key " + key.id() + " is already in use, not new");
      }
      for (KeyState other : seen) {
        if (other.id().equals(key.id())) {
          throw new RollStepException("key " + key.id() + " is already in the key set");
        }
        if (other.keyTag() == key.keyTag()) {
          throw new RollStepException("the key tag " + key.keyTag() + " of the new key " + key.id()
              + " is taken by key " + other.id());
        }
      }
      seen.add(key);
    }
  }

  /**
   * A zone's first secure entry point: a KSK beside the zone's ZSKs, or a CSK in a zone with no key; no key of the
   * zone is at the parent or signs the DNSKEY RRset yet.
   */
  private void checkFirstKeys(RollType type, List<SigningRole> roles) throws RollStepException {
    boolean csk = type.variant() == Variant.CSK;
    if (keys.stream().anyMatch(key -> key.role() != SigningRole.ZSK || key.atParent() || key.signsKeys())
        || csk && !keys.isEmpty()) {
      throw new RollStepException("the zone has a secure entry point already; a " + type.name()
          + " roll brings in its first one");
    }
    List<SigningRole> expected = List.of(csk ? SigningRole.CSK : SigningRole.KSK);
    if (!roles.equals(expected)) {
      throw new RollStepException("a " + type.name() + " roll brings in " + expected + ", not " + roles);
    }
  }

  /** The new keys of a roll that replaces keys: of the variant's roles, replacing keys of the right algorithm. */
  private static void checkReplacement(RollType type, String roll, List<SigningRole> roles, List<KeyState> newKeys,
      List<KeyState> old) throws RollStepException {
    boolean fits = switch (type.variant()) {
      case KSK -> roles.equals(List.of(SigningRole.KSK));
      case ZSK -> roles.equals(List.of(SigningRole.ZSK));
      case CSK, ALGORITHM -> roles.equals(List.of(SigningRole.CSK))
          || roles.equals(List.of(SigningRole.KSK, SigningRole.ZSK));
    };
    if (!fits) {
      throw new RollStepException("a " + roll + " brings in " + switch (type.variant()) {
        case KSK -> "one KSK";
        case ZSK -> "one ZSK";
        case CSK, ALGORITHM -> "one CSK, or a KSK and a ZSK";
      } + ", not " + roles);
    }
    if (old.isEmpty()) {
      throw new RollStepException("the zone has no key for a " + roll + " to take out");
    }
    Set<Integer> oldAlgorithms = old.stream().map(KeyState::algorithm).collect(Collectors.toSet());
    Set<Integer> newAlgorithms = newKeys.stream().map(KeyState::algorithm).collect(Collectors.toSet());
    if (newAlgorithms.size() != 1) {
      throw new RollStepException("the new keys of a " + roll + " share one algorithm, not " + newAlgorithms);
    }
    if (type.variant() == Variant.ALGORITHM && oldAlgorithms.containsAll(newAlgorithms)) {
      throw new RollStepException("an algorithm roll brings in another algorithm than the zone's " + oldAlgorithms);
    }
    if (type.variant() != Variant.ALGORITHM && !oldAlgorithms.equals(newAlgorithms)) {
      throw new RollStepException("a " + roll + " keeps the algorithm " + oldAlgorithms + "; another algorithm"
          + " needs an algorithm roll");
    }
  }

  /** {@code keys} with {@code onNew} applied to the roll's new keys and {@code onOld} to its old ones. */
  private static List<KeyState> change(List<KeyState> keys, KeyRoll roll, Set<Effect> onNew, Set<Effect> onOld) {
    return keys.stream().map(key -> {
      Set<Effect> effects = roll.newKeys().contains(key.id()) ? onNew
          : roll.oldKeys().contains(key.id()) ? onOld
          : Set.of();
      KeyState changed = key;
      for (Effect effect : effects) {
        changed = changed.with(effect);
      }
      return changed;
    }).toList();
  }

  private List<KeyState> select(Predicate<KeyState> which) {
    return keys.stream().filter(which).toList();
  }
}
