package dev.cascade.service;

import java.util.Locale;

/**
 * The canonical spelling of a zone apex, as every topic keys a zone's facts and every table keys its rows: lower case
 * (DNS names compare case-insensitively, RFC 4343 §2) and absolute, with the trailing dot. One spelling for all
 * services: a zone spelled two ways would be two keys, on two partitions, with its facts out of order.
 */
public final class ZoneApex {

  private ZoneApex() {}

  /** {@code " Example.TEST"} → {@code "example.test."}; surrounding white space is not part of a name. */
  public static String canonical(String zone) {
    String lower = zone.trim().toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower : lower + ".";
  }
}
