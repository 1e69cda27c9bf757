package dev.cascade.publisher.domain;

import dev.cascade.dnssec.roll.NameServerAddress;
import dev.cascade.dnssec.tsig.TsigKey;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * A secondary that is sent a NOTIFY (RFC 1996) whenever a zone gets a new serial: an entry of
 * {@code send-notify-to}, written as the reference writes it, {@code <IP>[:<PORT>][^<TSIG key>]}, an IPv6 address with
 * a port in brackets ({@code [2001:db8::53]:5353}). With a key, the NOTIFY is signed with it (RFC 8945), as a
 * secondary that accepts NOTIFY only with TSIG asks.
 *
 * @param address where the NOTIFY goes
 * @param key the TSIG key the NOTIFY is signed with, if any
 */
public record NotifyTarget(InetSocketAddress address, Optional<Name> key) {

  /**
   * Parses one entry. Only IP literals: a host name would make publication depend on DNS resolution.
   *
   * @throws IllegalArgumentException naming the entry, for anything else
   */
  public static NotifyTarget parse(String entry) {
    String text = entry.trim();
    int caret = text.indexOf('^');
    try {
      Optional<Name> key = caret < 0 ? Optional.empty() : Optional.of(TsigKey.nameOf(text.substring(caret + 1)));
      return new NotifyTarget(NameServerAddress.parse(caret < 0 ? text : text.substring(0, caret)), key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("send-notify-to entry " + e.getMessage(), e);
    }
  }

  /** As an operator writes it. */
  @Override
  public String toString() {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort()
        + key.map(k -> "^" + TsigKey.displayName(k)).orElse("");
  }
}
