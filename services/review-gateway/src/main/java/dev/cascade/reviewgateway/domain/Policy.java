package dev.cascade.reviewgateway.domain;

import java.time.Duration;

/**
 * One signing policy, as read from {@code <policy-dir>/<name>.toml}. A zone is bound to a copy of its policy at
 * {@code zone add} (as in the reference, cascade-reference.md §4): later edits of the file reach it only through
 * {@code cascade policy reload} ({@link PolicyReload}), or another policy through {@code zone set-policy}.
 *
 * @param kskValidity {@code ksk.validity}; {@link Duration#ZERO} for {@code "forever"}
 * @param zskValidity {@code zsk.validity}; {@link Duration#ZERO} for {@code "forever"}
 * @param cskValidity {@code csk.validity}; {@link Duration#ZERO} for {@code "forever"}
 * @param nsec3Salt hex, empty for no salt (RFC 9276 §3.1)
 * @param parent CDS and CDNSKEY publication, DS digest and submission hook
 * @param reviews the review hooks and whether re-signings pass the signed gate by themselves
 * @param hsmServerId {@code [key-manager.generation] hsm-server-id}: the PKCS#11 token that generates and keeps the
 *     zone's keys; null for software keys (the reference's default)
 */
public record Policy(
    String name,
    GateMode unsignedReview,
    GateMode signedReview,
    String algorithm,
    boolean useCsk,
    Duration kskValidity,
    Duration zskValidity,
    Duration cskValidity,
    KeyRolls keyRolls,
    Duration dnskeyTtl,
    SerialPolicy serialPolicy,
    Duration signatureInceptionOffset,
    Duration signatureLifetime,
    Duration signatureRemainTime,
    Duration signatureRefreshInterval,
    DenialType denial,
    boolean nsec3OptOut,
    int nsec3Iterations,
    String nsec3Salt,
    ParentSettings parent,
    ReviewSettings reviews,
    String hsmServerId) {

  /** A policy with {@link ParentSettings#DEFAULT}, no review hooks and software keys. */
  public Policy(String name, GateMode unsignedReview, GateMode signedReview, String algorithm, boolean useCsk,
      Duration kskValidity, Duration zskValidity, Duration cskValidity, KeyRolls keyRolls, Duration dnskeyTtl,
      SerialPolicy serialPolicy, Duration signatureInceptionOffset, Duration signatureLifetime,
      Duration signatureRemainTime, Duration signatureRefreshInterval, DenialType denial, boolean nsec3OptOut,
      int nsec3Iterations, String nsec3Salt) {
    this(name, unsignedReview, signedReview, algorithm, useCsk, kskValidity, zskValidity, cskValidity, keyRolls,
        dnskeyTtl, serialPolicy, signatureInceptionOffset, signatureLifetime, signatureRemainTime,
        signatureRefreshInterval, denial, nsec3OptOut, nsec3Iterations, nsec3Salt, ParentSettings.DEFAULT,
        ReviewSettings.DEFAULT, null);
  }
}
