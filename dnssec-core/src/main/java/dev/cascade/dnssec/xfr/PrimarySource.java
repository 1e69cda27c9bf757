package dev.cascade.dnssec.xfr;

import dev.cascade.dnssec.roll.NameServer;
import dev.cascade.dnssec.roll.NameServerAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A zone's primary as {@code zone add --source} names it (cascade-reference.md §1.2): {@code <IP>[:<PORT>]}, port 53
 * by default, an IPv6 address with a port in brackets ({@link NameServerAddress}), optionally followed by {@code
 * ^<TSIG key name>} ({@link NameServer}). Anything else given as a source is a zone file path.
 *
 * @param address the primary's address and port
 * @param tsigKey the name of the TSIG key (RFC 8945) the transfers and NOTIFYs are signed with, or null
 */
public record PrimarySource(InetSocketAddress address, String tsigKey) {

  /**
   * Whether {@code source} names a primary rather than a zone file: a path is absolute (the CLI canonicalises it),
   * so it starts with {@code /}; anything else is taken for an address, and {@link #parse} says what is wrong with it.
   */
  public static boolean isPrimary(String source) {
    return source != null && !source.isEmpty() && !source.startsWith("/");
  }

  /** The primary {@code source} names, if it names one that parses; a path or a bad address gives none. */
  public static Optional<PrimarySource> of(String source) {
    if (!isPrimary(source)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(source));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses {@code <IP>[:<PORT>][^<TSIG key name>]}.
   *
   * @throws IllegalArgumentException with what is wrong
   */
  public static PrimarySource parse(String text) {
    NameServer server = NameServer.parse(text);
    return new PrimarySource(server.address(), server.tsigKey());
  }

  /** The address as {@code ip:port}, an IPv6 address in brackets: the canonical source, and what status shows. */
  public String hostPort() {
    String ip = address.getAddress().getHostAddress();
    return (address.getAddress() instanceof Inet6Address ? "[" + compressed(ip) + "]" : ip) + ":" + address.getPort();
  }

  /** An IPv6 address as RFC 5952 §4 writes it: the longest run of two or more zero groups as {@code ::}. */
  private static String compressed(String full) {
    String[] groups = full.split("%")[0].split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; i++) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
    }
    if (bestStart < 0) {
      return String.join(":", groups);
    }
    return String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart)) + "::"
        + String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
  }

  /** The canonical source text, {@code ip:port[^key]}, as the registry keeps it. */
  @Override
  public String toString() {
    return hostPort() + (tsigKey == null ? "" : "^" + tsigKey);
  }

  /** The reference's wording in {@code zone status}: {@code <ip:port>} or {@code <ip:port> with TSIG key '<key>'}. */
  public String describe() {
    return hostPort() + (tsigKey == null ? "" : " with TSIG key '" + tsigKey + "'");
  }
}
