package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.roll.RollType;
import dev.cascade.dnssec.roll.RollType.Variant;
import java.util.EnumSet;
import java.util.Map;

/**
 * How a zone's keys are rolled: the policy's {@code ksk.roll-type}, {@code zsk.roll-type} and {@code <variant>.auto-*}.
 *
 * @param kskRollType a KSK roll type of dnssec-core
 * @param zskRollType a ZSK roll type of dnssec-core
 * @param automation per roll variant, which steps run by themselves; every variant present
 */
public record RollSettings(RollType kskRollType, RollType zskRollType, Map<Variant, RollAutomation> automation) {

  /**
   * The reference's: KSK double signature, ZSK pre-publish (the roll types reference Cascade sets up its key manager
   * with, cascade-reference.md §5), every step automatic (§4).
   */
  public static final RollSettings REFERENCE = new RollSettings(RollType.KSK_DOUBLE_SIGNATURE, RollType.ZSK_PRE_PUBLISH,
      Map.of(Variant.KSK, RollAutomation.ALL, Variant.ZSK, RollAutomation.ALL, Variant.CSK, RollAutomation.ALL,
          Variant.ALGORITHM, RollAutomation.ALL));

  public RollSettings {
    if (kskRollType.variant() != Variant.KSK || zskRollType.variant() != Variant.ZSK) {
      throw new IllegalArgumentException("not a KSK and a ZSK roll type: " + kskRollType + ", " + zskRollType);
    }
    if (!automation.keySet().containsAll(EnumSet.allOf(Variant.class))) {
      throw new IllegalArgumentException("automation settings for every roll variant, not only " + automation.keySet());
    }
    automation = Map.copyOf(automation);
  }

  /** What the rolls of {@code variant} do by themselves. */
  public RollAutomation automation(Variant variant) {
    return automation.get(variant);
  }
}
