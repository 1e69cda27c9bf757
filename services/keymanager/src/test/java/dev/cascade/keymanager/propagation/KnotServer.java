package dev.cascade.keymanager.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.testinfra.FreePort;
import dev.cascade.testinfra.dns.DnsServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A real authoritative server for the tests: Knot DNS's {@code knotd} (Debian package knot) serving one zone from a
 * file, unprivileged on an ephemeral loopback port, AXFR allowed from loopback (with a TSIG key only, if started
 * with one). Started by {@link #start}, which returns once the server answers the zone's SOA (test-infra's {@link
 * DnsServerProcess}).
 */
public final class KnotServer implements AutoCloseable {

  private final DnsServerProcess knotd;

  private KnotServer(DnsServerProcess knotd) {
    this.knotd = knotd;
  }

  /** Starts a knotd in a new directory under {@code dir} serving {@code records} as {@code zone}. */
  public static KnotServer start(Path dir, Name zone, List<Record> records) throws Exception {
    return start(dir, zone, records, FreePort.next());
  }

  /** Starts a knotd on {@code port} (one that a policy named before the server ran). */
  public static KnotServer start(Path dir, Name zone, List<Record> records, int port) throws Exception {
    return start(dir, zone, records, port, null);
  }

  /** Starts a knotd that allows AXFR only signed with {@code transferKey} (RFC 8945). */
  public static KnotServer start(Path dir, Name zone, List<Record> records, TsigKey transferKey) throws Exception {
    return start(dir, zone, records, FreePort.next(), transferKey);
  }

  private static KnotServer start(Path dir, Name zone, List<Record> records, int port, TsigKey transferKey)
      throws Exception {
    Path home = Files.createDirectories(dir.resolve("knot-" + port));
    Files.createDirectories(home.resolve("db"));
    Path zoneFile = home.resolve(zone + "zone");
    write(zoneFile, records);
    Files.writeString(home.resolve("knot.conf"), """
        server:
          rundir: "%1$s"
          listen: 127.0.0.1@%2$d
        database:
          storage: "%1$s/db"
        log:
          - target: "%1$s/knot.log"
            any: info
        %5$s
        acl:
          - id: local
            address: 127.0.0.1
            action: transfer
            %6$s
        zone:
          - domain: %3$s
            file: "%4$s"
            acl: local
            zonefile-sync: -1
            journal-content: none
        """.formatted(home, port, zone, zoneFile,
        transferKey == null ? "" : "key:\n  - id: %s.\n    algorithm: %s\n    secret: %s".formatted(
            transferKey.displayName(), transferKey.algorithm().mnemonic(),
            Base64.getEncoder().encodeToString(transferKey.secret())),
        transferKey == null ? "" : "key: " + transferKey.displayName() + "."));
    DnsServerProcess knotd = DnsServerProcess.start(home, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        List.of(home.resolve("knot.log")), "knotd", "-c", home.resolve("knot.conf").toString());
    return new KnotServer(knotd.awaitSoa(zone));
  }

  public InetSocketAddress address() {
    return knotd.address();
  }

  /** {@code "127.0.0.1:<port>"}, as a policy names a server. */
  public String text() {
    return "127.0.0.1:" + knotd.port();
  }

  /** Writes {@code records} as a zone file. */
  public static Path write(Path file, List<Record> records) throws IOException {
    Files.writeString(file, records.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")),
        StandardCharsets.UTF_8);
    return file;
  }

  /** Runs {@code command}, which must succeed within a minute (kzonecheck on a signed zone, for one). */
  public static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
    assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + out);
  }

  @Override
  public void close() {
    knotd.close();
  }
}
