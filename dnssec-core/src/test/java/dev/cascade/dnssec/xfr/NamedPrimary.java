package dev.cascade.dnssec.xfr;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real primary for the tests: BIND's {@code named} (Debian package bind9) serving one zone from a file,
 * unprivileged on an ephemeral loopback port, transfers allowed to anyone and dynamic updates (RFC 2136) from
 * loopback, so that {@code nsupdate} changes the zone and named keeps the differences for IXFR (RFC 1995). named
 * answers an IXFR whose differences exceed its max-ixfr-ratio (100 % of the zone) in full; a test zone is so small
 * that every change would, hence "unlimited".
 */
final class NamedPrimary implements AutoCloseable {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Process process;
  private final InetSocketAddress address;
  private final Path home;

  private NamedPrimary(Process process, InetSocketAddress address, Path home) {
    this.process = process;
    this.address = address;
    this.home = home;
  }

  /** Starts a named in {@code dir} serving {@code zoneText} (a zone file's text) as {@code zone}. */
  static NamedPrimary start(Path dir, Name zone, String zoneText) throws Exception {
    int port = freePort();
    Path home = Files.createDirectories(dir.resolve("named-" + port));
    Files.writeString(home.resolve("zone.db"), zoneText, StandardCharsets.UTF_8);
    Files.writeString(home.resolve("named.conf"), """
        options {
          directory "%1$s";
          pid-file "%1$s/named.pid";
          session-keyfile "%1$s/session.key";
          listen-on port %2$d { 127.0.0.1; };
          listen-on-v6 { none; };
          recursion no;
          allow-transfer { any; };
          notify no;
          max-ixfr-ratio unlimited;
        };
        controls { };
        zone "%3$s" { type primary; file "zone.db"; allow-update { 127.0.0.1; }; };
        """.formatted(home, port, zone));
    Process named = new ProcessBuilder(program("named"), "-g", "-c", home.resolve("named.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("named.out").toFile())
        .start();
    NamedPrimary primary = new NamedPrimary(named, new InetSocketAddress(LOOPBACK, port), home);
    try {
      primary.awaitServing(zone);
    } catch (Exception | AssertionError e) {
      primary.close();
      throw e;
    }
    return primary;
  }

  InetSocketAddress address() {
    return address;
  }

  /** Sends {@code commands} (nsupdate's, e.g. {@code update add ...}) to the zone with nsupdate. */
  void update(Name zone, String... commands) throws Exception {
    String script = "server 127.0.0.1 " + address.getPort() + "\nzone " + zone + "\n" + String.join("\n", commands)
        + "\nsend\n";
    Process nsupdate = new ProcessBuilder(program("nsupdate")).redirectErrorStream(true).start();
    nsupdate.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    nsupdate.getOutputStream().close();
    String out = new String(nsupdate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!nsupdate.waitFor(30, TimeUnit.SECONDS) || nsupdate.exitValue() != 0) {
      throw new AssertionError("nsupdate failed:\n" + out + log());
    }
  }

  String log() throws IOException {
    return Files.readString(home.resolve("named.out"));
  }

  private void awaitServing(Name zone) throws Exception {
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTimeout(Duration.ofMillis(500));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        Message answer = resolver.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
        if (!answer.getSection(Section.ANSWER).isEmpty()) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("named does not serve " + zone + ":\n" + log());
  }

  /** A loopback port nothing listens on: taken and given back. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return socket.getLocalPort();
    }
  }

  /** Debian puts the daemons in /usr/sbin, which is not on every user's PATH. */
  private static String program(String name) {
    for (String directory : List.of("/usr/sbin", "/usr/bin")) {
      if (Files.isExecutable(Path.of(directory, name))) {
        return Path.of(directory, name).toString();
      }
    }
    throw new AssertionError(
        name + " is missing: install the Debian package bind9 (deploy/local/install-test-deps.sh)");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
