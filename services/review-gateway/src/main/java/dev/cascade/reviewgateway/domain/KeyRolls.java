package dev.cascade.reviewgateway.domain;

import java.time.Duration;

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
 * @param autoRemove {@code auto-remove}: a key that left the key set has its private key destroyed after
 *     {@code autoRemoveDelay} ({@code auto-remove-delay})
 */
public record KeyRolls(
    RollMethod kskRollType,
    RollMethod zskRollType,
    RollAutomation ksk,
    RollAutomation zsk,
    RollAutomation csk,
    RollAutomation algorithm,
    PropagationChecks checks,
    boolean autoRemove,
    Duration autoRemoveDelay) {

  /**
   * The reference's: KSK double signature and ZSK pre-publish (its key manager is set up with {@code ksk-roll-type
   * double-signature-ksk-roll} and {@code zsk-roll-type pre-publish-zsk-roll}), every step automatic, and keys
   * removed 7 days after they left the key set (cascade-reference.md §"Policy": {@code auto-remove},
   * {@code auto-remove-delay}).
   */
  public static final KeyRolls DEFAULT = new KeyRolls(RollMethod.KSK_DOUBLE_SIGNATURE, RollMethod.ZSK_PRE_PUBLISH,
      RollAutomation.ALL, RollAutomation.ALL, RollAutomation.ALL, RollAutomation.ALL, PropagationChecks.DEFAULT, true,
      Duration.ofDays(7));
}
