package dev.cascade.reviewgateway.domain;

/**
 * How a KSK or a ZSK is rolled ({@code [key-manager] ksk.roll-type}, {@code zsk.roll-type}), spelled as the
 * reference's key manager names them ({@code dnst keyset set ksk-roll-type|zsk-roll-type}, cascade-reference.md §5).
 * The constant names are those of dnssec-core's {@code RollType}, which the policy snapshot carries.
 */
public enum RollMethod {
  /** RFC 7583 §3.3.1, RFC 6781 §4.1.2; the reference's KSK roll. */
  KSK_DOUBLE_SIGNATURE("double-signature-ksk-roll"),
  /** RFC 7583 §3.3.2. */
  KSK_DOUBLE_DS("double-ds-ksk-roll"),
  /** RFC 7583 §3.2.1, RFC 6781 §4.1.1.1; the reference's ZSK roll. */
  ZSK_PRE_PUBLISH("pre-publish-zsk-roll"),
  /** RFC 7583 §3.2.2, RFC 6781 §4.1.1.2. */
  ZSK_DOUBLE_SIGNATURE("double-signature-zsk-roll");

  private final String word;

  RollMethod(String word) {
    this.word = word;
  }

  /** The policy file's spelling. */
  public String word() {
    return word;
  }
}
