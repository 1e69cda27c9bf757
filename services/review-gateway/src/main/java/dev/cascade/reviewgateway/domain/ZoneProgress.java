package dev.cascade.reviewgateway.domain;

/**
 * Where a zone is in its pipeline: the reference's {@code Progress} (cascade-reference.md §1.3), with the labels its
 * CLI prints after {@code status:} (§1.4). Declaration order is pipeline order, which the status renderer relies on.
 *
 * <pre>
 *   IDLE ──add/reload──▶ LOADING ──loaded──▶ WAITING_FOR_LOADED_REVIEW ──approve──▶ SIGNING ──signed──▶
 *     ▲      load failed ◀──┘        reject ◀──┘      (review off: straight on)        │ failed ▶ SIGNING_FAILED
 *     │                                                                              ▼
 *     └──published── PERSISTING_SIGNED_ZONE ◀──approve── WAITING_FOR_SIGNED_REVIEW ──reject──▶ IDLE
 * </pre>
 *
 * A rejection discards the version (the reference's default {@code on-reject = "discard"}), or, under {@code
 * on-reject = "halt"}, stops the zone in one of the two "halted" states until the operator overrides or resets it
 * ({@link ZoneHalts}).
 *
 * <p>Two of the reference's values are not states here. {@code restoring}: the API answers only once the projection
 * is rebuilt ({@code ProjectionRebuild.whenRebuilt}), so no one sees a zone being restored. {@code persisting loaded
 * zone}: the loader writes a version's content before it announces the version, so an approved loaded version has
 * nothing left to persist and goes on to signing. The CLI keeps the reference's layout, in which that step shows as
 * done. Every state here is entered by some fact ({@code ZoneProgressTest}).
 */
public enum ZoneProgress {
  IDLE("idle"),
  LOADING("loading"),
  WAITING_FOR_LOADED_REVIEW("waiting for loaded review"),
  HALTED_AFTER_LOADED_REVIEW("halted after loaded review"),
  SIGNING("signing"),
  SIGNING_FAILED("signing failed"),
  WAITING_FOR_SIGNED_REVIEW("waiting for signed review"),
  HALTED_AFTER_SIGNED_REVIEW("halted after signed review"),
  PERSISTING_SIGNED_ZONE("persisting signed zone");

  private final String label;

  ZoneProgress(String label) {
    this.label = label;
  }

  /** The reference CLI's wording. */
  public String label() {
    return label;
  }

  /** "Halted" in the reference's sense: the pipeline stopped and needs the operator (§1.3). */
  public boolean halted() {
    return this == HALTED_AFTER_LOADED_REVIEW || this == HALTED_AFTER_SIGNED_REVIEW || this == SIGNING_FAILED;
  }
}
