package dev.cascade.publisher.domain;

import dev.cascade.dnssec.roll.NameServerAddress;
import java.net.InetSocketAddress;

/**
 * A secondary that is sent a NOTIFY (RFC 1996) whenever a zone gets a new serial: an entry of
 * {@code send-notify-to}, written as the reference writes it, {@code <IP>[:<PORT>]}, an IPv6 address with a port in
 * brackets ({@code [2001:db8::53]:5353}).
 *
 * @param address where the NOTIFY goes
 */
public record NotifyTarget(InetSocketAddress address) {

  /**
   * Parses one entry. Only IP literals: a host name would make publication depend on DNS resolution.
   *
   * @throws IllegalArgumentException naming the entry, for anything else, and for a TSIG key ({@code ^key}), which
   *     this publisher cannot sign NOTIFYs with yet
   */
  public static NotifyTarget parse(String entry) {
    try {
      return new NotifyTarget(NameServerAddress.parse(entry.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("send-notify-to entry " + e.getMessage(), e);
    }
  }

  /** As an operator writes it. */
  @Override
  public String toString() {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
