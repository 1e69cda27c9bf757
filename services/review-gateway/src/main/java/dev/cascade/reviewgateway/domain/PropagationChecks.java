package dev.cascade.reviewgateway.domain;

import java.util.List;

/**
 * Where a policy's {@code auto-report} checks look, and the DS it expects ({@code [key-manager]},
 * cascade-reference.md §4).
 *
 * @param publicationNameservers {@code publication-nameservers}, {@code "<IP>[:PORT]"}; empty for the key manager's
 *     own publication servers
 * @param parentNameservers {@code parent-nameservers} (our addition, the reference finds them by resolution only);
 *     empty to find them by resolution
 * @param dsAlgorithm {@code ds-algorithm}: {@code SHA-256} or {@code SHA-384}
 */
public record PropagationChecks(
    List<String> publicationNameservers, List<String> parentNameservers, String dsAlgorithm) {

  /** The reference's: its own servers, the parent found by resolution, SHA-256. */
  public static final PropagationChecks DEFAULT = new PropagationChecks(List.of(), List.of(), "SHA-256");

  public PropagationChecks {
    publicationNameservers = List.copyOf(publicationNameservers);
    parentNameservers = List.copyOf(parentNameservers);
  }
}
