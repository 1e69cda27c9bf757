package dev.cascade.keymanager.domain;

/**
 * Which steps of one roll variant's rolls the key manager takes by itself ({@code [key-manager] <variant>.auto-start},
 * {@code auto-report}, {@code auto-expire}, {@code auto-done}; cascade-reference.md §4). A step that is not automatic
 * waits for an operator.
 *
 * @param start {@code start-roll} once a key passed its validity
 * @param report {@code propagationN-complete} once the name servers are seen to serve the change
 *     ({@link PropagationChecker})
 * @param expire {@code cache-expiredN} once the TTL reported with the propagation has passed
 * @param done {@code roll-done}
 */
public record RollAutomation(boolean start, boolean report, boolean expire, boolean done) {

  /** Reference Cascade default: every step automatic. */
  public static final RollAutomation ALL = new RollAutomation(true, true, true, true);
}
