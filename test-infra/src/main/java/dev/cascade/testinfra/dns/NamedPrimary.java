package dev.cascade.testinfra.dns;

import dev.cascade.testinfra.FreePort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;

/**
 * A real primary for the tests: BIND's {@code named} (Debian package bind9) serving one zone from a file,
 * unprivileged on an ephemeral loopback port, with dynamic updates (RFC 2136) so that {@code nsupdate} changes the
 * zone and named keeps the differences for IXFR (RFC 1995). named answers an IXFR whose differences exceed its
 * max-ixfr-ratio (100 % of the zone) in full; a test zone is so small that every change would, hence "unlimited".
 *
 * <p>Without a key ({@link #start(Path, Name, String)}) anyone may transfer, loopback may update, and named sends no
 * NOTIFY. With one ({@link #start(Path, Name, String, TsigSecret, InetSocketAddress)}) transfers and updates must be
 * signed with it (RFC 8945), and every new serial is notified (RFC 1996), signed, to one downstream server.
 */
public final class NamedPrimary implements AutoCloseable {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final DnsServerProcess named;
  private final Name zone;
  private final Optional<TsigSecret> key;

  private NamedPrimary(DnsServerProcess named, Name zone, Optional<TsigSecret> key) {
    this.named = named;
    this.zone = zone;
    this.key = key;
  }

  /** Starts a named in a new directory under {@code dir} serving {@code zoneText} (a zone file's text) as {@code zone}. */
  public static NamedPrimary start(Path dir, Name zone, String zoneText) throws IOException {
    return start(dir, zone, zoneText, Optional.empty(), Optional.empty());
  }

  /**
   * Starts a named serving {@code zone} to clients with {@code key} only, that sends a NOTIFY signed with it to
   * {@code notify} for every new serial.
   */
  public static NamedPrimary start(Path dir, Name zone, String zoneText, TsigSecret key, InetSocketAddress notify)
      throws IOException {
    return start(dir, zone, zoneText, Optional.of(key), Optional.of(notify));
  }

  private static NamedPrimary start(Path dir, Name zone, String zoneText, Optional<TsigSecret> key,
      Optional<InetSocketAddress> notify) throws IOException {
    int port = FreePort.next();
    Path home = Files.createDirectories(dir.resolve("named-" + port));
    Files.writeString(home.resolve("zone.db"), zoneText, StandardCharsets.UTF_8);
    String keyClause = key.map(k -> "key \"%s\" { algorithm %s; secret \"%s\"; };\n"
        .formatted(k.name(), k.algorithm(), k.secret())).orElse("");
    String clients = key.map(k -> "key \"" + k.name() + "\";").orElse("any;");
    // notify-delay: BIND waits 5 s by default before it sends a zone's NOTIFYs, to merge quick updates; a test
    // measures how soon a change reaches the secondaries, so it sends at once.
    String notifying = notify.map(to -> "notify explicit; notify-delay 0; also-notify { %s port %d key \"%s\"; };"
        .formatted(to.getAddress().getHostAddress(), to.getPort(), key.orElseThrow().name())).orElse("notify no;");
    Files.writeString(home.resolve("named.conf"), """
        %4$soptions {
          directory "%1$s";
          pid-file "%1$s/named.pid";
          session-keyfile "%1$s/session.key";
          listen-on port %2$d { 127.0.0.1; };
          listen-on-v6 { none; };
          recursion no;
          allow-transfer { %5$s };
          max-ixfr-ratio unlimited;
        };
        controls { };
        zone "%3$s" { type primary; file "zone.db"; allow-update { %6$s }; %7$s };
        """.formatted(home, port, zone, keyClause, clients, key.isPresent() ? clients : "127.0.0.1;", notifying));
    DnsServerProcess named = DnsServerProcess.start(home, new InetSocketAddress(LOOPBACK, port), List.of(), "named",
        "-g", "-c", home.resolve("named.conf").toString());
    return new NamedPrimary(named.awaitSoa(zone), zone, key);
  }

  public InetSocketAddress address() {
    return named.address();
  }

  /** Sends {@code commands} (nsupdate's, e.g. {@code update add ...}) to the zone with nsupdate, signed if keyed. */
  public void update(String... commands) throws IOException, InterruptedException {
    String script = "server 127.0.0.1 " + named.port() + "\nzone " + zone + "\n" + String.join("\n", commands)
        + "\nsend\n";
    List<String> command = new ArrayList<>(List.of(DnsServerProcess.path("nsupdate")));
    key.ifPresent(k -> command.addAll(List.of("-y", k.text())));
    Process nsupdate = new ProcessBuilder(command).redirectErrorStream(true).start();
    nsupdate.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    nsupdate.getOutputStream().close();
    String out = new String(nsupdate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!nsupdate.waitFor(30, TimeUnit.SECONDS) || nsupdate.exitValue() != 0) {
      throw new AssertionError("nsupdate failed:\n" + out + log());
    }
  }

  /** named's output, for failure messages. */
  public String log() {
    return named.log();
  }

  @Override
  public void close() {
    named.close();
  }
}
