package dev.cascade.testinfra.dns;

import dev.cascade.testinfra.FreePort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;

/**
 * A real secondary: Knot DNS's {@code knotd} (Debian package knot), unprivileged on a loopback address and an
 * ephemeral port, that transfers one zone from a primary (AXFR, then IXFR, RFC 1995) when the primary's NOTIFY (RFC
 * 1996) says so or its refresh timer does, with a TSIG key (RFC 8945) on both if one is given. Its transfers leave
 * from the address it listens on, so a primary's ACL can tell it from other loopback clients. It takes NOTIFYs from
 * the primary's address and lets that address transfer the zone out (with the key, if any), which is where a test on
 * this machine asks from. It answers SERVFAIL for the zone until its first transfer; {@link #start} returns once it
 * listens.
 */
public final class KnotSecondary implements AutoCloseable {

  /** knotd's smallest refresh interval ({@code refresh-min-interval}, Knot DNS 3.2 reference). */
  public static final int MIN_REFRESH_SECONDS = 2;

  private final DnsServerProcess knotd;
  private final Path home;

  private KnotSecondary(DnsServerProcess knotd, Path home) {
    this.knotd = knotd;
    this.home = home;
  }

  /**
   * Starts knotd in {@code home} as a secondary of {@code zone} from {@code primary}, listening on {@code address}
   * and {@code port} ({@link FreePort#next} unless a primary's {@code send-notify-to} names it before it runs).
   *
   * @param key signs the transfers and NOTIFYs, or none
   * @param refreshSeconds the refresh and retry interval whatever the SOA says, or the SOA's timers when empty
   */
  public static KnotSecondary start(Path home, Name zone, String address, int port,
      InetSocketAddress primary, Optional<TsigSecret> key, OptionalInt refreshSeconds) throws IOException {
    Files.createDirectories(home.resolve("db"));
    String keyClause = key.map(k -> "key:\n  - id: %s\n    algorithm: %s\n    secret: %s\n"
        .formatted(k.name(), k.algorithm(), k.secret())).orElse("");
    String keyRef = key.map(k -> "\n    key: " + k.name()).orElse("");
    // Indented as the zone's other items below: a text block here would lose that indentation.
    String timers = refreshSeconds.isEmpty() ? "" : ("\n    refresh-min-interval: %1$d\n    refresh-max-interval: %1$d"
        + "\n    retry-min-interval: 1\n    retry-max-interval: 1").formatted(refreshSeconds.getAsInt());
    Files.writeString(home.resolve("knot.conf"), """
        server:
          rundir: "%1$s"
          listen: %2$s@%3$d
        control:
          listen: "%1$s/knot.sock"
        database:
          storage: "%1$s/db"
        log:
          - target: "%1$s/knot.log"
            any: info
        %4$sremote:
          - id: primary
            address: %5$s@%6$d
            via: %2$s%7$s
        acl:
          - id: primary
            address: %5$s%7$s
            action: [notify, transfer]
        zone:
          - domain: %8$s
            master: primary
            acl: primary
            file: "%1$s/secondary.zone"
            zonefile-sync: -1%9$s
        """.formatted(home, address, port, keyClause, primary.getAddress().getHostAddress(), primary.getPort(),
        keyRef, zone, timers));
    DnsServerProcess knotd = DnsServerProcess.start(home, new InetSocketAddress(address, port),
        List.of(home.resolve("knot.log")), "knotd", "-c", home.resolve("knot.conf").toString());
    return new KnotSecondary(knotd.awaitListening(zone), home);
  }

  public InetSocketAddress address() {
    return knotd.address();
  }

  public int port() {
    return knotd.port();
  }

  /** {@code "<address>:<port>"}, as a policy or {@code send-notify-to} names a server. */
  public String server() {
    return knotd.address().getAddress().getHostAddress() + ":" + knotd.port();
  }

  /** Runs {@code knotc} on this server's control socket, for example {@code knotc("zone-status", zone)}. */
  public String knotc(String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(DnsServerProcess.path("knotc"), "-s",
        home.resolve("knot.sock").toString()));
    args.addAll(List.of(command));
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("knotc " + String.join(" ", command) + ": " + out);
    }
    return out;
  }

  /** knotd's log and output. */
  public String log() {
    return knotd.log();
  }

  /** The first log line that holds both texts, waited for up to {@code seconds}; fails with the log if none comes. */
  public String awaitLog(String first, String second, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (String line : log().split("\n")) {
        if (line.contains(first) && line.contains(second)) {
          return line;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("knotd never logged '" + first + "' … '" + second + "':\n" + log());
  }

  @Override
  public void close() {
    knotd.close();
  }
}
