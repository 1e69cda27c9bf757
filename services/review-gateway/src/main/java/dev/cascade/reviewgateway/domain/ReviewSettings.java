package dev.cascade.reviewgateway.domain;

/**
 * What a policy says of its review gates besides their modes.
 *
 * @param unsignedHook {@code [loader.review] hook}: the command that decides at the unsigned gate when its mode is
 *     {@link GateMode#SCRIPT} (cascade-reference.md §2); null with another mode
 * @param signedHook {@code [signer.review] hook}, the same for the signed gate
 * @param approveReSigning {@code [signer.review] approve-re-signing} (our addition, issue 13 item 2): the signed gate
 *     approves by itself the re-signings of the content published last, for a signature refresh or a key change, so
 *     that a review never lets the published signatures expire (the .mm and .zm outages, reliability.md); false:
 *     they wait for review like every signed version
 * @param unsignedHaltOnReject {@code [loader.review] on-reject = "halt"}: a rejection at the unsigned gate hard-halts
 *     the zone until the operator overrides or resets it (cascade-reference.md §1.3); false: the reference's default
 *     {@code "discard"}, a soft halt, the version is dropped and the next one goes through
 * @param signedHaltOnReject {@code [signer.review] on-reject = "halt"}, the same for the signed gate
 * @param fourEyes {@code [signer.review] four-eyes} (our addition, issue 13 item 4): the signed version is approved
 *     by another person than the one who approved its unsigned version; both gates are then {@code manual}
 */
public record ReviewSettings(
    String unsignedHook, String signedHook, boolean approveReSigning, boolean unsignedHaltOnReject,
    boolean signedHaltOnReject, boolean fourEyes) {

  /** No hooks; re-signings reviewed as every version; rejections discard; one person may approve both gates. */
  public static final ReviewSettings DEFAULT = new ReviewSettings(null, null, false, false, false, false);
}
