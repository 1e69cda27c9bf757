package dev.cascade.reviewgateway.domain;

import java.util.List;
import java.util.stream.Stream;

/**
 * Where a policy's {@code auto-report} checks look ({@code [key-manager]}, cascade-reference.md §4); the DS digest
 * they expect is {@link ParentSettings#dsAlgorithm}.
 *
 * @param publicationNameservers {@code publication-nameservers}, {@code "<IP>[:PORT]"}; empty for the key manager's
 *     own publication servers
 * @param parentNameservers {@code parent-nameservers} (our addition, the reference finds them by resolution only);
 *     empty to find them by resolution
 */
public record PropagationChecks(
    List<String> publicationNameservers, List<String> parentNameservers) {

  /** The reference's: its own servers, the parent found by resolution. */
  public static final PropagationChecks DEFAULT = new PropagationChecks(List.of(), List.of());

  public PropagationChecks {
    publicationNameservers = List.copyOf(publicationNameservers);
    parentNameservers = List.copyOf(parentNameservers);
  }

  /** Every name server the checks ask, publication servers first: the entries a {@code ^<key>} may follow. */
  public List<String> nameServers() {
    return Stream.concat(publicationNameservers.stream(), parentNameservers.stream()).toList();
  }
}
