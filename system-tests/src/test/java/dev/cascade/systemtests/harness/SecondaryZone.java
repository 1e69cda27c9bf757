package dev.cascade.systemtests.harness;

import dev.cascade.testinfra.FreePort;
import dev.cascade.testinfra.dns.KnotSecondary;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.xbill.DNS.Name;

/**
 * A public name server of a zone that Cascade publishes: Knot DNS's {@code knotd} as a secondary of the publication
 * server (which answers SOA queries and zone transfers only, a hidden primary), unprivileged on an ephemeral loopback
 * port, without TSIG (test-infra's {@link KnotSecondary}). It refreshes every {@link #REFRESH_SECONDS} seconds, as
 * Stack's publisher sends it no NOTIFY; it serves SERVFAIL for the zone until the first transfer.
 */
public final class SecondaryZone implements AutoCloseable {

  /** knotd's smallest refresh interval. */
  public static final int REFRESH_SECONDS = KnotSecondary.MIN_REFRESH_SECONDS;

  private final KnotSecondary knotd;

  private SecondaryZone(KnotSecondary knotd) {
    this.knotd = knotd;
  }

  /** Starts knotd in {@code directory} as a secondary of {@code zone} from 127.0.0.1:{@code primaryPort}. */
  public static SecondaryZone start(Path directory, Name zone, int primaryPort) throws IOException {
    return new SecondaryZone(KnotSecondary.start(Files.createDirectories(directory), zone, "127.0.0.1",
        FreePort.next(), new InetSocketAddress("127.0.0.1", primaryPort), Optional.empty(),
        OptionalInt.of(REFRESH_SECONDS)));
  }

  /** {@code "127.0.0.1:<port>"}, as a policy's {@code publication-nameservers} names a server. */
  public String server() {
    return knotd.server();
  }

  public int port() {
    return knotd.port();
  }

  @Override
  public void close() {
    knotd.close();
  }
}
