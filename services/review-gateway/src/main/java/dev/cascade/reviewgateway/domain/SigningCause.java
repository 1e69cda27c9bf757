package dev.cascade.reviewgateway.domain;

/**
 * Why the signer signed a version, with the reference CLI's history wording (cascade-reference.md §1.4, §6:
 * "Signing succeeded (triggered by ...)"). The domain copy of the signer's {@code SigningTrigger}.
 */
public enum SigningCause {
  LOADED("loading a new instance"),
  KEYS_CHANGED("a change in signing keys"),
  SIGNATURE_REFRESH("signatures needing refresh");

  private final String wording;

  SigningCause(String wording) {
    this.wording = wording;
  }

  /** The reference's words for this trigger. */
  public String wording() {
    return wording;
  }
}
