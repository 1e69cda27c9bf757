package dev.cascade.reviewgateway.domain;

/**
 * An approval the review gate makes by itself because the zone's policy has that review {@code off}; the pipeline
 * package turns it into a {@code ZoneVersionReviewed{reviewer="policy"}} event.
 */
public record GateDecision(String zone, GateStage stage, String versionId, long serial, String contentDigest) {

  /** {@code ZoneVersionReviewed.reviewer} of such an approval. */
  public static final String REVIEWER = "policy";

  /** The reviewers that are not people: the policy's and a hook's; no API token may take their names. */
  public static final java.util.Set<String> AUTOMATIC_REVIEWERS = java.util.Set.of(REVIEWER, ReviewHookDue.REVIEWER);
}
