package dev.cascade.publisher.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which clients may transfer zones (AXFR/IXFR): a list of addresses or CIDR prefixes. Deny by default: a hidden
 * primary should hand its zones only to its own secondaries (reliability anchors: "the publisher must default to
 * deny"); Cascade has the same {@code provide-xfr-to} setting, and prefixes are its open issue #978.
 */
public final class TransferAcl {

  private record Prefix(byte[] network, int length) {

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = length / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = length % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Prefix> prefixes;

  private TransferAcl(List<Prefix> prefixes) {
    this.prefixes = List.copyOf(prefixes);
  }

  /**
   * Parses entries such as {@code 127.0.0.1}, {@code ::1} or {@code 192.0.2.0/24}. Only IP literals are accepted:
   * a host name would make the ACL depend on DNS.
   *
   * @throws IllegalArgumentException naming the entry that is not an IP literal or prefix
   */
  public static TransferAcl of(List<String> entries) {
    List<Prefix> prefixes = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int slash = entry.indexOf('/');
      String address = slash < 0 ? entry : entry.substring(0, slash);
      if (!address.matches("[0-9A-Fa-f:.%]+") || !(address.contains(".") || address.contains(":"))) {
        throw new IllegalArgumentException("provide-xfr-to entry " + entry + " is not an IP address or prefix");
      }
      byte[] network;
      try {
        network = InetAddress.getByName(address).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("provide-xfr-to entry " + entry + " is not an IP address", e);
      }
      int length = network.length * 8;
      if (slash >= 0) {
        try {
          length = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("provide-xfr-to entry " + entry + " has a bad prefix length", e);
        }
        if (length < 0 || length > network.length * 8) {
          throw new IllegalArgumentException("provide-xfr-to entry " + entry + " has a bad prefix length");
        }
      }
      prefixes.add(new Prefix(network, length));
    }
    return new TransferAcl(prefixes);
  }

  public boolean allows(InetAddress client) {
    byte[] address = client.getAddress();
    for (Prefix prefix : prefixes) {
      if (prefix.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
