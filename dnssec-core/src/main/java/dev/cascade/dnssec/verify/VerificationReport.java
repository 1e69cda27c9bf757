package dev.cascade.dnssec.verify;

import java.util.List;

/**
 * Outcome of {@link ZoneVerifier#verify}: one precise sentence per problem found.
 *
 * @param problems empty when the signed zone passed every check
 * @param verified the signatures found valid, for the zone's next verification
 */
public record VerificationReport(List<String> problems, VerifiedSignatures verified) {
  public VerificationReport {
    problems = List.copyOf(problems);
  }

  /** True when no problem was found. */
  public boolean ok() {
    return problems.isEmpty();
  }
}
