package dev.cascade.publisher.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import dev.cascade.dnssec.tsig.TsigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;

/**
 * Which clients may transfer zones (AXFR/IXFR): a list of addresses or CIDR prefixes. Deny by default: a hidden
 * primary should hand its zones only to its own secondaries (reliability anchors: "the publisher must default to
 * deny"); Cascade has the same {@code provide-xfr-to} setting, and prefixes are its open issue #978.
 *
 * <p>An entry may name a TSIG key, {@code <IP>[/<length>]^<key>} as the reference writes it: a client it covers must
 * sign its request with exactly that key (RFC 8945; the reference: "exact IP match + exact TSIG key"). An entry
 * without a key lets its clients in signed or not; a signature, if any, has been verified before the ACL is asked.
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

  /** One entry: the clients it covers, and the key they must sign with, if any. */
  private record Entry(Prefix prefix, Optional<Name> key) {}

  private final List<Entry> entries;

  private TransferAcl(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses entries such as {@code 127.0.0.1}, {@code ::1}, {@code 192.0.2.0/24} or {@code 192.0.2.7^xfr-key}. Only
   * IP literals are accepted: a host name would make the ACL depend on DNS.
   *
   * @throws IllegalArgumentException naming the entry that is not an IP literal or prefix, or whose key name is not
   *     a domain name
   */
  public static TransferAcl of(List<String> entries) {
    List<Entry> parsed = new ArrayList<>();
    for (String raw : entries) {
      String text = raw.trim();
      if (text.isEmpty()) {
        continue;
      }
      int caret = text.indexOf('^');
      String entry = caret < 0 ? text : text.substring(0, caret).trim();
      Optional<Name> key;
      try {
        key = caret < 0 ? Optional.empty() : Optional.of(TsigKey.nameOf(text.substring(caret + 1)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("provide-xfr-to entry " + text + ": " + e.getMessage(), e);
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
      parsed.add(new Entry(new Prefix(network, length), key));
    }
    return new TransferAcl(parsed);
  }

  /** Whether some entry covers {@code client}, with or without a key. */
  public boolean lists(InetAddress client) {
    byte[] address = client.getAddress();
    return entries.stream().anyMatch(e -> e.prefix().contains(address));
  }

  /** Whether {@code client} may transfer with a request signed by {@code key} (verified), or unsigned (empty). */
  public boolean allows(InetAddress client, Optional<Name> key) {
    return refusal(client, key).isEmpty();
  }

  /**
   * Why {@code client}, signing with {@code key} or not at all, may not transfer: not listed, or listed with another
   * key; empty if it may. The reason names keys, for the log, never secrets.
   */
  public Optional<String> refusal(InetAddress client, Optional<Name> key) {
    byte[] address = client.getAddress();
    List<Entry> covering = entries.stream().filter(e -> e.prefix().contains(address)).toList();
    if (covering.isEmpty()) {
      return Optional.of("not listed in provide-xfr-to");
    }
    if (covering.stream().anyMatch(e -> e.key().isEmpty() || e.key().equals(key))) {
      return Optional.empty();
    }
    String wanted = covering.stream().map(e -> TsigKey.displayName(e.key().orElseThrow()))
        .collect(Collectors.joining(" or "));
    return Optional.of(key.map(k -> "signed with TSIG key " + TsigKey.displayName(k) + ", but provide-xfr-to wants "
        + wanted).orElse("unsigned, but provide-xfr-to wants TSIG key " + wanted));
  }
}
