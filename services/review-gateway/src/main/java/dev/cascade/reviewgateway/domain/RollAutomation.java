package dev.cascade.reviewgateway.domain;

/**
 * Which steps of one variant's key rolls run without an operator ({@code [key-manager] <variant>.auto-start},
 * {@code auto-report}, {@code auto-expire}, {@code auto-done}; cascade-reference.md §4).
 *
 * @param start start a roll once a key passed its validity
 * @param report report {@code propagationN-complete} once the name servers serve the change
 * @param expire take {@code cache-expiredN} once the reported TTL has passed
 * @param done take {@code roll-done}
 */
public record RollAutomation(boolean start, boolean report, boolean expire, boolean done) {

  /** Reference Cascade default: every step automatic. */
  public static final RollAutomation ALL = new RollAutomation(true, true, true, true);
}
