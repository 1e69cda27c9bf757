package dev.cascade.reviewgateway.domain;

/**
 * How a policy's zones roll their keys ({@code [key-manager]}, cascade-reference.md §4).
 *
 * @param kskRollType {@code ksk.roll-type}
 * @param zskRollType {@code zsk.roll-type}
 * @param ksk {@code ksk.auto-*}
 * @param zsk {@code zsk.auto-*}
 * @param csk {@code csk.auto-*}
 * @param algorithm {@code algorithm.auto-*}
 * @param checks where {@code auto-report} checks the propagation, and the DS it expects
 */
public record KeyRolls(
    RollMethod kskRollType,
    RollMethod zskRollType,
    RollAutomation ksk,
    RollAutomation zsk,
    RollAutomation csk,
    RollAutomation algorithm,
    PropagationChecks checks) {

  /**
   * The reference's: KSK double signature and ZSK pre-publish (its key manager is set up with {@code ksk-roll-type
   * double-signature-ksk-roll} and {@code zsk-roll-type pre-publish-zsk-roll}), every step automatic.
   */
  public static final KeyRolls DEFAULT = new KeyRolls(RollMethod.KSK_DOUBLE_SIGNATURE, RollMethod.ZSK_PRE_PUBLISH,
      RollAutomation.ALL, RollAutomation.ALL, RollAutomation.ALL, RollAutomation.ALL, PropagationChecks.DEFAULT);
}
