package dev.cascade.dnssec.verify;

import java.util.List;

/**
 * The verdict of the gate for a change ({@link ChangeVerifier#verify}): passed, failed with its problems, or not
 * decidable from the change alone, in which case the caller must run the whole-zone gate ({@link ZoneVerifier}). A
 * sealed type rather than a report with a flag: "not decided" has no problems, and a caller testing for an empty
 * problem list would otherwise take it for a pass. Only {@link Passed} answers {@link #passed()} with true.
 */
public sealed interface ChangeReport {

  /** True only for {@link Passed}. */
  default boolean passed() {
    return this instanceof Passed;
  }

  /**
   * The new version passed every check the change could affect.
   *
   * @param namesChecked the owner names whose records were checked: the change's, their NSEC predecessors and those
   *     holding unchanged signatures that no longer meet the validity window
   */
  record Passed(int namesChecked) implements ChangeReport {}

  /**
   * The new version is not correctly signed.
   *
   * @param problems one sentence per problem, worded as the whole-zone gate words it; never empty
   */
  record Failed(List<String> problems) implements ChangeReport {
    public Failed {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("a failed verification names at least one problem");
      }
    }
  }

  /**
   * The change is of a kind this gate does not decide; the whole-zone gate must verify the new version.
   *
   * @param reason what made the change undecidable here, for the log
   */
  record FullVerificationNeeded(String reason) implements ChangeReport {}
}
