package dev.cascade.signer.domain;

/** Where an approved version stands in the signer. SIGNED and FAILED are final: each version is signed at most once. */
public enum SigningStatus {
  /** Approved, but policy, key set or manifest has not arrived yet. */
  PENDING,
  /** Signed, verified, written and announced. */
  SIGNED,
  /** Announced as ZoneSigningFailed. */
  FAILED
}
