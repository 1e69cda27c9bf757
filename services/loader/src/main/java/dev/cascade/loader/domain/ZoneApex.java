package dev.cascade.loader.domain;

import java.util.Locale;

/** The canonical spelling of a zone apex used as Kafka key and database key: lower case, absolute (trailing dot). */
public final class ZoneApex {

  private ZoneApex() {}

  /** Lower-cases {@code zone} and adds the trailing dot if missing; DNS names compare case-insensitively (RFC 4343). */
  public static String canonical(String zone) {
    String lower = zone.trim().toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower : lower + ".";
  }
}
