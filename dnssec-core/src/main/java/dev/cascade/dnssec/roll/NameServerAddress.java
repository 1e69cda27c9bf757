package dev.cascade.dnssec.roll;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A name server as the reference's settings name it ({@code publication-nameservers} for the propagation checks,
 * {@code send-notify-to} for NOTIFY; cascade-reference.md §4): {@code "<IP>[:PORT]"}, an IPv6 address with a port in
 * brackets ({@code "[2001:db8::1]:5353"}, RFC 3986 §3.2.2). The reference's {@code ^<TSIG key>} suffix is read by
 * {@link NameServer}, where a setting allows one.
 * Only address literals: a name would need a resolution that could fail or change at every check.
 */
public final class NameServerAddress {

  /** The DNS port (RFC 1035 §4.2). */
  public static final int DNS_PORT = 53;

  private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(\\d{1,5}))?");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?::(\\d{1,5}))?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private NameServerAddress() {}

  /**
   * The address and port {@code text} names; port 53 if it names none.
   *
   * @throws IllegalArgumentException with what is wrong, for anything but an address literal with an optional port
   */
  public static InetSocketAddress parse(String text) {
    if (text.contains("^")) {
      throw new IllegalArgumentException("\"" + text + "\": a TSIG key (^<key>) is not allowed here");
    }
    Matcher bracketed = BRACKETED.matcher(text);
    Matcher ipv4 = IPV4.matcher(text);
    String address;
    String port = null;
    if (bracketed.matches()) {
      address = bracketed.group(1);
      port = bracketed.group(2);
    } else if (ipv4.matches()) {
      address = ipv4.group(1);
      port = ipv4.group(2);
    } else if (IPV6.matcher(text).matches()) {
      address = text;
    } else {
      throw new IllegalArgumentException("\"" + text + "\" is not \"<IP>[:PORT]\" (an IPv6 address with a port as"
          + " \"[<IP>]:PORT\")");
    }
    int number = port == null ? DNS_PORT : Integer.parseInt(port);
    if (number < 1 || number > 65535) {
      throw new IllegalArgumentException("\"" + text + "\": port " + number + " is not between 1 and 65535");
    }
    try {
      // A literal only (checked above), so this never queries the DNS.
      return new InetSocketAddress(InetAddress.getByName(address), number);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + text + "\": " + address + " is not an IP address", e);
    }
  }
}
