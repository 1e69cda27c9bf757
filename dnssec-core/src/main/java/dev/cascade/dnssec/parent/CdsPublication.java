package dev.cascade.dnssec.parent;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When the zone publishes CDS and CDNSKEY ({@code [key-manager.records] cds}). The reference publishes them only
 * while a roll waits for the parent's DS to change, with no way to choose (its issues #352 and #662 ask for one);
 * that is the default here too.
 */
public enum CdsPublication {
  /** Never: the operator tells the parent by other means (the DS submission hook, a registrar's web form). */
  NEVER,
  /** While a roll waits for the DS at the parent to change (the reference's behaviour). */
  DURING_ROLL,
  /** Always, for the keys at the parent: a parent that scans CDS (RFC 7344 §6) sees the DS it is to hold. */
  ALWAYS,
  /**
   * The delete forms (RFC 8078 §4): the zone asks its parent to remove every DS, the first step of going insecure.
   * The zone stays signed; the keys are removed by hand once the DS is gone from the parent and its TTL has passed.
   */
  DELETE;

  /** The default, the reference's behaviour. */
  public static final CdsPublication DEFAULT = DURING_ROLL;

  /** The policy's spelling: {@code never}, {@code during-roll}, {@code always}, {@code delete}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The publication spelled {@code word}.
   *
   * @throws IllegalArgumentException naming the accepted spellings
   */
  public static CdsPublication fromWord(String word) {
    return Arrays.stream(values()).filter(p -> p.word().equals(word)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("cds must be one of "
            + Arrays.stream(values()).map(p -> "\"" + p.word() + "\"").collect(Collectors.joining(", "))
            + ", got \"" + word + "\""));
  }
}
