package dev.cascade.keymanager.propagation;

import dev.cascade.dnssec.roll.NameServerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of Cascade's own publication servers as the key manager's configuration names it: an address as a policy gives
 * one ({@link NameServerAddress}), or a host name with an optional port, looked up at every check with the system's
 * resolver, so that a deployment can name its publishers by service name (Compose, a Kubernetes headless service:
 * every address of the name is a server).
 *
 * @param host an address literal or a host name
 * @param port the DNS port
 */
public record ServerName(String host, int port) {

  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9][A-Za-z0-9.-]*)(?::(\\d{1,5}))?");

  /**
   * Reads {@code "<IP>[:PORT]"} or {@code "<host>[:PORT]"}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static ServerName parse(String text) {
    try {
      InetSocketAddress address = NameServerAddress.parse(text);
      return new ServerName(address.getAddress().getHostAddress(), address.getPort());
    } catch (IllegalArgumentException notAnAddress) {
      Matcher host = HOST.matcher(text);
      if (!host.matches()) {
        throw new IllegalArgumentException("\"" + text + "\" is not \"<IP or host>[:PORT]\"", notAnAddress);
      }
      int port = host.group(2) == null ? NameServerAddress.DNS_PORT : Integer.parseInt(host.group(2));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("\"" + text + "\": port " + port + " is not between 1 and 65535");
      }
      return new ServerName(host.group(1), port);
    }
  }

  /** Every address of the name, now. */
  List<InetSocketAddress> addresses() throws UnknownHostException {
    return Arrays.stream(InetAddress.getAllByName(host)).map(a -> new InetSocketAddress(a, port)).toList();
  }
}
