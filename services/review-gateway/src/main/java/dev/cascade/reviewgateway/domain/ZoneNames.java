package dev.cascade.reviewgateway.domain;

import dev.cascade.service.ZoneApex;

/**
 * Zone apex names typed by an operator, checked and spelled as every topic keys them ({@link ZoneApex}).
 */
public final class ZoneNames {

  private ZoneNames() {}

  /**
   * Normalises an operator-typed name ({@code Example.COM} → {@code example.com.}).
   *
   * @throws IllegalArgumentException with the reason the name is not a zone name
   */
  public static String normalise(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("zone name is empty");
    }
    String n = ZoneApex.canonical(name);
    if (n.equals(".")) {
      return n;
    }
    // RFC 1035 §2.3.4: at most 255 octets on the wire (length octets included) and 63 octets per label.
    if (n.length() > 254) {
      throw new IllegalArgumentException("zone name '" + name + "' is longer than 255 octets");
    }
    String[] labels = n.substring(0, n.length() - 1).split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty()) {
        throw new IllegalArgumentException("zone name '" + name + "' has an empty label");
      }
      if (label.length() > 63) {
        throw new IllegalArgumentException("zone name '" + name + "' has a label longer than 63 octets");
      }
      for (char c : label.toCharArray()) {
        if (c <= ' ' || c > '~' || c == '\\' || c == '"' || c == '(' || c == ')' || c == ';' || c == '@' || c == '$') {
          throw new IllegalArgumentException("zone name '" + name + "' contains the character '" + c + "'");
        }
      }
    }
    return n;
  }
}
