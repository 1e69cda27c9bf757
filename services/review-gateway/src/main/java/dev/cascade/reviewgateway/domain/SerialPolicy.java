package dev.cascade.reviewgateway.domain;

import java.util.Locale;

/**
 * How the signer derives the signed SOA serial from the loaded one (cascade-reference.md §4, {@code [signer]
 * serial-policy}). Only named here; the arithmetic (RFC 1982) lives in dnssec-core.
 */
public enum SerialPolicy {
  KEEP,
  COUNTER,
  UNIX_TIME,
  DATE_COUNTER;

  /** Spelling used in policy files: {@code keep}, {@code counter}, {@code unix-time}, {@code date-counter}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
