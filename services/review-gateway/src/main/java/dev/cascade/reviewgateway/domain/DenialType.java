package dev.cascade.reviewgateway.domain;

import java.util.Locale;

/** Authenticated denial of existence: NSEC (RFC 4034 §4) or NSEC3 (RFC 5155). */
public enum DenialType {
  NSEC,
  NSEC3;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
