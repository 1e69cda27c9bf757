package dev.cascade.signer.domain;

/**
 * Why a zone is signed, in the reference Cascade's words (reference notes §6: triggers Load, or Resign with
 * {@code keys_changed} / {@code sigs_need_refresh}; §1.4: "Signing succeeded (triggered by ...)").
 */
public enum SigningCause {
  /** An approved unsigned version: "loading a new instance". */
  LOADED,
  /** A new key set for a zone that already has a signed version: "a change in signing keys". */
  KEYS_CHANGED,
  /** RRSIGs of the last signed version are due for re-making: "signatures needing refresh". */
  SIGNATURE_REFRESH
}
