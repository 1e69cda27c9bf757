package dev.cascade.publisher.domain;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A secondary that is sent a NOTIFY (RFC 1996) whenever a zone gets a new serial: an entry of
 * {@code send-notify-to}, written as the reference writes it, {@code <IP>[:<PORT>]}, an IPv6 address with a port in
 * brackets ({@code [2001:db8::53]:5353}).
 *
 * @param address where the NOTIFY goes
 */
public record NotifyTarget(InetSocketAddress address) {

  /** RFC 1035 §4.2: DNS servers listen on port 53. */
  public static final int DNS_PORT = 53;

  /**
   * Parses one entry. Only IP literals: a host name would make publication depend on DNS resolution.
   *
   * @throws IllegalArgumentException naming the entry, for anything else, and for a TSIG key ({@code ^key}), which
   *     this publisher cannot sign NOTIFYs with yet
   */
  public static NotifyTarget parse(String entry) {
    String text = entry.trim();
    if (text.contains("^")) {
      throw new IllegalArgumentException("send-notify-to entry " + text
          + " names a TSIG key: NOTIFY with TSIG (RFC 8945) is not supported yet");
    }
    String host = text;
    int port = DNS_PORT;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
        throw new IllegalArgumentException("send-notify-to entry " + text + " is not [<IPv6>]:<port>");
      }
      host = text.substring(1, close);
      port = close + 1 < text.length() ? port(text, text.substring(close + 2)) : DNS_PORT;
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = port(text, text.substring(text.indexOf(':') + 1));
    }
    if (!host.matches("[0-9A-Fa-f:.]+") || !(host.contains(".") || host.contains(":"))) {
      throw new IllegalArgumentException("send-notify-to entry " + text + " is not an IP address");
    }
    try {
      return new NotifyTarget(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("send-notify-to entry " + text + " is not an IP address", e);
    }
  }

  private static int port(String entry, String text) {
    if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) == 0 || Integer.parseInt(text) > 65535) {
      throw new IllegalArgumentException("send-notify-to entry " + entry + " has a bad port");
    }
    return Integer.parseInt(text);
  }

  /** As an operator writes it. */
  @Override
  public String toString() {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
