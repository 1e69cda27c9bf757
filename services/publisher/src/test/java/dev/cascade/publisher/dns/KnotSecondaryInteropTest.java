package dev.cascade.publisher.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.publisher.domain.DnsResponder;
import dev.cascade.publisher.domain.NotifyTarget;
import dev.cascade.publisher.domain.SecondaryFetches;
import dev.cascade.publisher.domain.ServedZones;
import dev.cascade.publisher.domain.TestRecords;
import dev.cascade.publisher.domain.TransferAcl;
import dev.cascade.publisher.domain.TransferLimit;
import dev.cascade.publisher.domain.ZoneSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A real secondary, Knot DNS's {@code knotd} from Debian (package knot), with this server as its primary: it takes the
 * zone by AXFR, then, told by our NOTIFY (RFC 1996), a change by IXFR (RFC 1995), and afterwards serves exactly what
 * this server's AXFR holds. Knot checks an IXFR strictly (a record to delete must exist, a record to add must not), so
 * this proves the differences as a secondary applies them, not only as dnsjava parses them.
 */
class KnotSecondaryInteropTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String ZONE = "example.test.";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final ServedZones zones = new ServedZones(5, 20);
  private final SecondaryFetches secondaries = new SecondaryFetches(Clock.systemUTC());
  private DnsServer primary;
  private Notifier notifier;
  private Process knotd;
  private int knotPort;

  @BeforeEach
  void start() throws Exception {
    zones.install(TestRecords.snapshot(ZONE, "v1", 2026120301, 600));
    primary = DnsServer.start("primary", LOOPBACK, 0,
        new DnsResponder(zones, TransferAcl.of(List.of("127.0.0.1")), new TransferLimit(10), secondaries,
            name -> Optional.empty(), Clock.systemUTC()));
    knotPort = freePort();
    // knotd keeps the changes it applies in a journal under the database storage, which it does not create itself.
    Files.createDirectories(dir.resolve("db"));
    Files.writeString(dir.resolve("knot.conf"), """
        server:
          rundir: "%1$s"
          listen: 127.0.0.1@%2$d
        control:
          listen: "%1$s/knot.sock"
        database:
          storage: "%1$s/db"
        log:
          - target: "%1$s/knot.log"
            any: info
        remote:
          - id: cascade
            address: 127.0.0.1@%3$d
        acl:
          - id: local
            address: 127.0.0.1
            action: [notify, transfer]
        template:
          - id: default
            storage: "%1$s/zones"
        zone:
          - domain: %4$s
            master: cascade
            acl: local
        """.formatted(dir, knotPort, primary.port(), ZONE));
    notifier = new Notifier(List.of(new NotifyTarget(new InetSocketAddress(LOOPBACK, knotPort), Optional.empty())),
        name -> Optional.empty(), Notifier.FIRST_TIMEOUT, Clock.systemUTC());
    notifier.start();
    knotd = new ProcessBuilder(program("knotd"), "-c", dir.resolve("knot.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("knotd.out").toFile())
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (knotd != null) {
      knotd.destroy();
      knotd.waitFor(10, TimeUnit.SECONDS);
    }
    notifier.stop();
    primary.close();
  }

  @Test
  void knotTakesTheZoneByAxfrThenOnOurNotifyTheChangeByIxfrAndServesWhatWeServe() throws Exception {
    awaitLog("AXFR, incoming", "finished");

    ZoneSnapshot v1 = zones.get(Name.fromString(ZONE)).orElseThrow();
    List<Record> v2 = new ArrayList<>();
    for (Record r : v1.records().toRecords()) {
      if (r instanceof SOARecord soa) {
        v2.add(new SOARecord(soa.getName(), soa.getDClass(), soa.getTTL(), soa.getHost(), soa.getAdmin(), 2026120302,
            soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum()));
      } else if (!r.getName().toString().startsWith("txt7.")) {
        v2.add(r);
      }
    }
    v2.add(new TXTRecord(Name.fromString("added." + ZONE), DClass.IN, 300, "by IXFR"));
    zones.install(ZoneSnapshot.of(Name.fromString(ZONE), "v2", v2));
    notifier.published(zones.get(Name.fromString(ZONE)).orElseThrow().soa());

    awaitLog("notify, incoming", "serial 2026120302");

    awaitLog("IXFR, incoming", "finished");
    // The transfer is logged before knotd switches to the new version; the refresh line says it has.
    awaitLog("zone updated", "-> 2026120302");
    assertFalse(log().contains("fallback to AXFR"), log());
    // Before this test's own AXFRs below, which come from the same address.
    SecondaryFetches.Fetch knot = secondaries.all().get(0);
    assertEquals("127.0.0.1", knot.client());
    assertEquals(2026120302L, knot.serial(), "the serial knotd took by IXFR");
    assertEquals("IXFR", knot.lastQuery());
    Set<Record> served = new HashSet<>(axfr(knotPort));
    assertTrue(served.equals(new HashSet<>(v2)), "knotd serves what Cascade serves:\n" + log());
    assertTrue(served.equals(new HashSet<>(axfr(primary.port()))), "knotd serves Cascade's AXFR");
    assertTrue(knotc("zone-status", ZONE).contains("2026120302"), "knotd reports the new serial");
    Notifier.Outcome notify = notifier.outcomes().get(0);
    assertEquals(2026120302, notify.serial());
    assertEquals("answered", notify.state(), "knotd answered the NOTIFY");
    assertEquals("NOERROR", notify.rcode());
  }

  /** The first log line with both texts, waited for; fails with the log if none comes. */
  private String awaitLog(String first, String second) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : log().split("\n")) {
        if (line.contains(first) && line.contains(second)) {
          return line;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("knotd never logged '" + first + "' … '" + second + "':\n" + log());
  }

  private String log() throws IOException {
    Path log = dir.resolve("knot.log");
    String out = Files.exists(dir.resolve("knotd.out")) ? Files.readString(dir.resolve("knotd.out")) : "";
    return (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "") + out;
  }

  private String knotc(String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of(program("knotc"), "-s", dir.resolve("knot.sock").toString()));
    args.addAll(List.of(command));
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "knotc " + String.join(" ", command) + " hangs");
    assertEquals(0, process.exitValue(), "knotc " + String.join(" ", command) + ": " + out);
    return out;
  }

  private static List<Record> axfr(int port) throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(Name.fromString(ZONE), LOOPBACK.getHostAddress(), port, null);
    xfr.setTimeout(Duration.ofSeconds(20));
    xfr.run();
    return xfr.getAXFR();
  }

  /** Debian puts the daemons in /usr/sbin, which is not on every user's PATH. */
  private static String program(String name) {
    for (String directory : List.of("/usr/sbin", "/usr/bin")) {
      if (Files.isExecutable(Path.of(directory, name))) {
        return Path.of(directory, name).toString();
      }
    }
    throw new AssertionError(name + " is missing: install the Debian package knot (deploy/local/install-test-deps.sh)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return socket.getLocalPort();
    }
  }
}
