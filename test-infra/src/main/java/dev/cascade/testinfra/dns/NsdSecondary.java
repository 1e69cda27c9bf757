package dev.cascade.testinfra.dns;

import dev.cascade.testinfra.FreePort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * A real secondary: NLnet Labs' {@code nsd} (Debian package nsd), unprivileged on a loopback address and an ephemeral
 * port, that transfers one zone from a primary with a TSIG key (RFC 8945) when the primary's NOTIFY (RFC 1996) says
 * so, asking IXFR first (RFC 1995). Its transfers leave from the address it listens on ({@code outgoing-interface}).
 * It answers SERVFAIL for the zone until its first transfer; {@link #start} returns once it listens.
 */
public final class NsdSecondary implements AutoCloseable {

  private final DnsServerProcess nsd;

  private NsdSecondary(DnsServerProcess nsd) {
    this.nsd = nsd;
  }

  /**
   * Starts nsd in {@code home} as a secondary of {@code zone} from {@code primary}, listening on {@code address} and
   * {@code port} (one a primary's {@code send-notify-to} names before nsd runs, or {@link FreePort#next}).
   */
  public static NsdSecondary start(Path home, Name zone, String address, int port, InetSocketAddress primary,
      TsigSecret key) throws IOException {
    Files.createDirectories(home);
    String from = primary.getAddress().getHostAddress();
    // username "": nsd keeps the user it runs as (it drops to "nsd" only when started as root). xfrd-reload-timeout:
    // nsd waits 1 s by default after a transfer before it serves it, to merge transfers; 0 serves at once.
    Files.writeString(home.resolve("nsd.conf"), """
        server:
          ip-address: %2$s@%3$d
          username: ""
          chroot: ""
          zonesdir: "%1$s"
          database: ""
          zonelistfile: "%1$s/zone.list"
          xfrdfile: "%1$s/xfrd.state"
          xfrdir: "%1$s"
          pidfile: "%1$s/nsd.pid"
          logfile: "%1$s/nsd.log"
          xfrd-reload-timeout: 0
          verbosity: 2
        remote-control:
          control-enable: no
        key:
          name: "%4$s"
          algorithm: %5$s
          secret: "%6$s"
        zone:
          name: "%7$s"
          zonefile: "%1$s/secondary.zone"
          allow-notify: %8$s %4$s
          request-xfr: %8$s@%9$d %4$s
          outgoing-interface: %2$s
        """.formatted(home, address, port, key.name(), key.algorithm(), key.secret(), zone, from, primary.getPort()));
    DnsServerProcess nsd = DnsServerProcess.start(home, new InetSocketAddress(address, port),
        List.of(home.resolve("nsd.log")), "nsd", "-d", "-c", home.resolve("nsd.conf").toString());
    return new NsdSecondary(nsd.awaitListening(zone));
  }

  public InetSocketAddress address() {
    return nsd.address();
  }

  /** {@code "<address>:<port>"}, as {@code send-notify-to} names a server. */
  public String server() {
    return nsd.address().getAddress().getHostAddress() + ":" + nsd.port();
  }

  /** nsd's log and output. */
  public String log() {
    return nsd.log();
  }

  @Override
  public void close() {
    nsd.close();
  }
}
