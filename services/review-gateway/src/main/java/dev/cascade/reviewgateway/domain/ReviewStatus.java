package dev.cascade.reviewgateway.domain;

/** State of one version at one review gate (the reference's {@code ZoneReviewStatus}). */
public enum ReviewStatus {
  PENDING,
  APPROVED,
  REJECTED
}
