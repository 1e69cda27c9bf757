package dev.cascade.systemtests.harness;

import dev.cascade.testinfra.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xbill.DNS.Name;

/**
 * A public name server of a zone that Cascade publishes: Knot DNS's {@code knotd} as a secondary of the publication
 * server (which answers SOA queries and zone transfers only, a hidden primary), unprivileged on an ephemeral loopback
 * port, transfer allowed from loopback. It refreshes every {@link #REFRESH_SECONDS} seconds, as Stack's publisher
 * sends no NOTIFY; it serves SERVFAIL for the zone until the first transfer.
 */
public final class SecondaryZone implements AutoCloseable {

  /** knotd's smallest refresh interval ({@code refresh-min-interval}, Knot DNS 3.2 reference). */
  public static final int REFRESH_SECONDS = 2;

  private final int port;
  private final Process knotd;

  private SecondaryZone(int port, Process knotd) {
    this.port = port;
    this.knotd = knotd;
  }

  /** Starts knotd in {@code directory} as a secondary of {@code zone} from 127.0.0.1:{@code primaryPort}. */
  public static SecondaryZone start(Path directory, Name zone, int primaryPort) throws IOException {
    Path home = Files.createDirectories(directory);
    int port = FreePort.next();
    Files.writeString(home.resolve("knot.conf"), """
        server:
          rundir: "%1$s"
          listen: 127.0.0.1@%2$d
        database:
          storage: "%1$s"
        log:
          - target: "%1$s/knot.log"
            any: info
        remote:
          - id: primary
            address: 127.0.0.1@%3$d
        acl:
          - id: local
            address: 127.0.0.1
            action: [transfer, notify]
        zone:
          - domain: %4$s
            master: primary
            acl: local
            file: "%1$s/secondary.zone"
            refresh-min-interval: %5$d
            refresh-max-interval: %5$d
            retry-min-interval: 1
            retry-max-interval: 1
            zonefile-sync: -1
            journal-content: none
        """.formatted(home, port, primaryPort, zone, REFRESH_SECONDS));
    return new SecondaryZone(port, ChildProcesses.knotd(home));
  }

  /** {@code "127.0.0.1:<port>"}, as a policy's {@code publication-nameservers} names a server. */
  public String server() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    ChildProcesses.stop(knotd, 10);
  }
}
