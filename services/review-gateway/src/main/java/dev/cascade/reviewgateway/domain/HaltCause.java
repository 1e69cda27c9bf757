package dev.cascade.reviewgateway.domain;

/**
 * What hard-halted a zone (cascade-reference.md §1.3: "Halted" = {@code HaltLoaded | HaltSigned | SigningFailed}),
 * plus the operator's own {@code cascade zone halt}, which the reference does not have (it has maintenance mode, which
 * only blocks new loads and signings). Each names how the operator recovers from it ({@link ZoneHalts#recovery}).
 */
public enum HaltCause {
  /** A rejection at the unsigned gate under {@code [loader.review] on-reject = "halt"}: the reference's HaltLoaded. */
  LOADED_REVIEW("rejected at the loaded review"),
  /** A rejection at the signed gate under {@code [signer.review] on-reject = "halt"}: the reference's HaltSigned. */
  SIGNED_REVIEW("rejected at the signed review"),
  /** The signer could not sign the version: the reference's SigningFailed, which can only be reset. */
  SIGNING_FAILED("signing failed"),
  /** {@code cascade zone halt}: lifted by {@code cascade zone resume}. */
  OPERATOR("halted by the operator");

  private final String wording;

  HaltCause(String wording) {
    this.wording = wording;
  }

  /** How status and history word it. */
  public String wording() {
    return wording;
  }
}
