package dev.cascade.dnssec.roll;

import static dev.cascade.dnssec.roll.Effect.ADD_DS;
import static dev.cascade.dnssec.roll.Effect.PUBLISH;
import static dev.cascade.dnssec.roll.Effect.REMOVE_DS;
import static dev.cascade.dnssec.roll.Effect.SIGN_KEYS;
import static dev.cascade.dnssec.roll.Effect.SIGN_ZONE;
import static dev.cascade.dnssec.roll.Effect.STOP_SIGNING_KEYS;
import static dev.cascade.dnssec.roll.Effect.STOP_SIGNING_ZONE;
import static dev.cascade.dnssec.roll.Effect.WITHDRAW;
import static dev.cascade.dnssec.roll.Propagation.DNSKEY;
import static dev.cascade.dnssec.roll.Propagation.DS;
import static dev.cascade.dnssec.roll.Propagation.RRSIG;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The ways to roll keys, each a list of phases. Entering a phase changes the new and the old keys; the phase then
 * waits until its changes have propagated ({@code propagationN-complete <ttl>}) and the caches have let go of what
 * was there before ({@code cache-expiredN}, at the earliest the reported TTL later). After the last phase the roll is
 * done: the old keys make their last change, and {@code roll-done} takes them out of the key set.
 *
 * <p>The reference's roll types have two phases; the algorithm roll here has four, because the issue asks for the
 * conservative order of RFC 6781 §4.1.4 (signatures, then DNSKEY, then DS), which the reference's liberal approach
 * does not follow.
 */
public enum RollType {

  /**
   * KSK roll, double signature (RFC 7583 §3.3.1, the double-KSK method; RFC 6781 §4.1.2): the new KSK joins the
   * DNSKEY RRset and signs it, then the DS is swapped, then the old KSK leaves. The reference's default for KSKs.
   */
  KSK_DOUBLE_SIGNATURE(Variant.KSK,
      List.of(
          new Phase(EnumSet.of(PUBLISH, SIGN_KEYS), EnumSet.noneOf(Effect.class), EnumSet.of(DNSKEY)),
          new Phase(EnumSet.of(ADD_DS), EnumSet.of(REMOVE_DS), EnumSet.of(DS))),
      EnumSet.of(WITHDRAW, STOP_SIGNING_KEYS)),

  /**
   * KSK roll, double DS (RFC 7583 §3.3.2): the new DS joins the old one at the parent, then the KSKs are swapped in
   * the DNSKEY RRset, then the old DS leaves.
   */
  KSK_DOUBLE_DS(Variant.KSK,
      List.of(
          new Phase(EnumSet.of(ADD_DS), EnumSet.noneOf(Effect.class), EnumSet.of(DS)),
          new Phase(EnumSet.of(PUBLISH, SIGN_KEYS), EnumSet.of(WITHDRAW, STOP_SIGNING_KEYS), EnumSet.of(DNSKEY))),
      EnumSet.of(REMOVE_DS)),

  /**
   * ZSK roll, pre-publication (RFC 7583 §3.2.1, RFC 6781 §4.1.1.1): the new ZSK is published, then it takes over the
   * signing, then the old ZSK leaves. The reference's default for ZSKs.
   */
  ZSK_PRE_PUBLISH(Variant.ZSK,
      List.of(
          new Phase(EnumSet.of(PUBLISH), EnumSet.noneOf(Effect.class), EnumSet.of(DNSKEY)),
          new Phase(EnumSet.of(SIGN_ZONE), EnumSet.of(STOP_SIGNING_ZONE), EnumSet.of(RRSIG))),
      EnumSet.of(WITHDRAW)),

  /**
   * ZSK roll, double signature (RFC 7583 §3.2.2, RFC 6781 §4.1.1.2): the new ZSK is published and signs alongside
   * the old one, then the old one leaves with its signatures.
   */
  ZSK_DOUBLE_SIGNATURE(Variant.ZSK,
      List.of(
          new Phase(EnumSet.of(PUBLISH, SIGN_ZONE), EnumSet.noneOf(Effect.class), EnumSet.of(DNSKEY, RRSIG)),
          new Phase(EnumSet.noneOf(Effect.class), EnumSet.of(WITHDRAW, STOP_SIGNING_ZONE), EnumSet.of(DNSKEY, RRSIG))),
      EnumSet.noneOf(Effect.class)),

  /**
   * CSK roll (RFC 7583 §3.3.1 for the SEP half, §3.2.1 for the signing half), also the conversion of a KSK and ZSK
   * pair to a CSK and back: the new keys are published and sign the DNSKEY RRset, then the DS and the zone's signing
   * move to them, then the old keys leave.
   */
  CSK(Variant.CSK,
      List.of(
          new Phase(EnumSet.of(PUBLISH, SIGN_KEYS), EnumSet.noneOf(Effect.class), EnumSet.of(DNSKEY)),
          new Phase(EnumSet.of(ADD_DS, SIGN_ZONE), EnumSet.of(REMOVE_DS, STOP_SIGNING_ZONE), EnumSet.of(DS, RRSIG))),
      EnumSet.of(WITHDRAW, STOP_SIGNING_KEYS)),

  /**
   * Algorithm roll, conservative (RFC 6781 §4.1.4): the new keys sign every RRset first, DNSKEY RRset included, while
   * they are not yet published, so no cache holds a DNSKEY RRset with an algorithm that its RRsets lack signatures of
   * (RFC 4035 §2.2); then they are published; then the DS is swapped; then the old keys leave the DNSKEY RRset; and
   * their signatures go last.
   */
  ALGORITHM(Variant.ALGORITHM,
      List.of(
          new Phase(EnumSet.of(SIGN_KEYS, SIGN_ZONE), EnumSet.noneOf(Effect.class), EnumSet.of(RRSIG)),
          new Phase(EnumSet.of(PUBLISH), EnumSet.noneOf(Effect.class), EnumSet.of(DNSKEY)),
          new Phase(EnumSet.of(ADD_DS), EnumSet.of(REMOVE_DS), EnumSet.of(DS)),
          new Phase(EnumSet.noneOf(Effect.class), EnumSet.of(WITHDRAW), EnumSet.of(DNSKEY))),
      EnumSet.of(STOP_SIGNING_KEYS, STOP_SIGNING_ZONE)),

  /**
   * A zone's first KSK, the zone going from unsigned to signed: the KSK is published and signs at once, beside a ZSK
   * that does all its jobs from the start, and only once the signed zone has propagated and the caches have let go
   * of its unsigned answers is the DS added at the parent. A DS any sooner makes validators expect signatures that
   * the answers they still hold lack, and the zone is bogus (RFC 4035 §5: a DS at the parent is what makes a zone
   * secure). The reference starts an algorithm roll for this; its first phase, signatures without a DNSKEY, has no
   * use where no DS exists yet. A KSK roll in name: the ZSK may roll meanwhile.
   */
  KSK_INITIAL(Variant.KSK, initialPhases(), EnumSet.noneOf(Effect.class)),

  /** A zone's first CSK, as {@link #KSK_INITIAL}; a CSK roll in name. */
  CSK_INITIAL(Variant.CSK, initialPhases(), EnumSet.noneOf(Effect.class));

  private static List<Phase> initialPhases() {
    return List.of(
        new Phase(EnumSet.of(PUBLISH, SIGN_KEYS, SIGN_ZONE), EnumSet.noneOf(Effect.class), EnumSet.of(DNSKEY, RRSIG)),
        new Phase(EnumSet.of(ADD_DS), EnumSet.noneOf(Effect.class), EnumSet.of(DS)));
  }

  /** Whether the roll brings in a zone's first KSK or CSK, taking out none: {@link #KSK_INITIAL}, {@link #CSK_INITIAL}. */
  public boolean initial() {
    return this == KSK_INITIAL || this == CSK_INITIAL;
  }

  /**
   * The types a roll of {@code variant} may be of, {@code preferred} first (the policy's): those {@link
   * KeySetState#resume} tries on a roll taken over, whose type the other key manager did not say. The first-signing
   * types are not among them: they take no key out.
   */
  public static List<RollType> candidates(Variant variant, RollType preferred) {
    List<RollType> types = new ArrayList<>();
    if (preferred != null && preferred.variant == variant) {
      types.add(preferred);
    }
    for (RollType type : values()) {
      if (type.variant == variant && !type.initial() && !types.contains(type)) {
        types.add(type);
      }
    }
    return List.copyOf(types);
  }

  /** The roll as the operator names it: {@code cascade keyset <zone> ksk|zsk|csk|algorithm <step>}. */
  public enum Variant {
    KSK, ZSK, CSK, ALGORITHM;

    /** The CLI word. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One phase: what entering it does to the new keys and to the old ones, and what must then propagate.
   */
  record Phase(Set<Effect> onNew, Set<Effect> onOld, Set<Propagation> propagates) {}

  private final Variant variant;
  private final List<Phase> phases;
  private final Set<Effect> doneOnOld;

  RollType(Variant variant, List<Phase> phases, Set<Effect> doneOnOld) {
    this.variant = variant;
    this.phases = phases;
    this.doneOnOld = doneOnOld;
  }

  public Variant variant() {
    return variant;
  }

  /** How many phases the roll has: the N of its last {@code propagationN-complete} and {@code cache-expiredN}. */
  public int phaseCount() {
    return phases.size();
  }

  /** Phase {@code n}, counted from 1. */
  Phase phase(int n) {
    return phases.get(n - 1);
  }

  /** What the old keys do last, once the last phase's caches have expired. */
  Set<Effect> doneOnOld() {
    return doneOnOld;
  }
}
