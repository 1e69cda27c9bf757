package dev.cascade.reviewgateway.domain;

/**
 * An approval the review gate makes by itself because the zone's policy has that review {@code off}; the pipeline
 * package turns it into a {@code ZoneVersionReviewed{reviewer="policy"}} event.
 */
public record GateDecision(String zone, GateStage stage, String versionId, long serial, String contentDigest) {}
