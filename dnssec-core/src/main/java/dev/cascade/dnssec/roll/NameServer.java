package dev.cascade.dnssec.roll;

import dev.cascade.dnssec.tsig.TsigKey;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * A name server with the TSIG key (RFC 8945) it is asked with, as the reference writes it in {@code
 * publication-nameservers}, {@code send-notify-to} and {@code zone add --source} (cascade-reference.md §1.2, §4):
 * {@code <IP>[:<PORT>][^<TSIG key name>]}, the address as {@link NameServerAddress} reads it. The key is a name only:
 * whoever asks looks its secret up in its keyring.
 *
 * @param address the server's address and port
 * @param tsigKey the name of the TSIG key, as written, or null for none
 */
public record NameServer(InetSocketAddress address, String tsigKey) {

  /** A server asked without TSIG. */
  public static NameServer of(InetSocketAddress address) {
    return new NameServer(address, null);
  }

  /**
   * Parses {@code <IP>[:<PORT>][^<TSIG key name>]}.
   *
   * @throws IllegalArgumentException with what is wrong
   */
  public static NameServer parse(String text) {
    int caret = text.indexOf('^');
    if (caret < 0) {
      return of(NameServerAddress.parse(text));
    }
    String key = text.substring(caret + 1);
    if (key.isEmpty() || key.indexOf('^') >= 0 || key.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("\"" + text + "\": the TSIG key name after '^' is empty or not one name");
    }
    TsigKey.nameOf(key);
    return new NameServer(NameServerAddress.parse(text.substring(0, caret)), key);
  }

  /** The TSIG key's name as a domain name ({@link TsigKey#nameOf}), if the server is asked with one. */
  public Optional<Name> keyName() {
    return Optional.ofNullable(tsigKey).map(TsigKey::nameOf);
  }

  /** The address as {@code ip:port}, an IPv6 address in brackets, without the key. */
  public String hostPort() {
    String ip = address.getAddress().getHostAddress();
    return (address.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + address.getPort();
  }

  /** As an operator writes it: {@link #hostPort}, then {@code ^<key>} if there is a key. */
  @Override
  public String toString() {
    return hostPort() + (tsigKey == null ? "" : "^" + tsigKey);
  }
}
