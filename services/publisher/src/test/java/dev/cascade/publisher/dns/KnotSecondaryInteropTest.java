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
import dev.cascade.testinfra.FreePort;
import dev.cascade.testinfra.dns.KnotSecondary;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
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
  private static final int WAIT_SECONDS = 30;

  @TempDir Path dir;

  private final ServedZones zones = new ServedZones(5, 20);
  private final SecondaryFetches secondaries = new SecondaryFetches(Clock.systemUTC());
  private DnsServer primary;
  private Notifier notifier;
  private KnotSecondary knotd;
  private int knotPort;

  @BeforeEach
  void start() throws Exception {
    zones.install(TestRecords.snapshot(ZONE, "v1", 2026120301, 600));
    primary = DnsServer.start("primary", LOOPBACK, 0,
        new DnsResponder(zones, TransferAcl.of(List.of("127.0.0.1")), new TransferLimit(10), secondaries,
            name -> Optional.empty(), Clock.systemUTC()));
    knotd = KnotSecondary.start(dir, Name.fromString(ZONE), "127.0.0.1", FreePort.next(),
        new InetSocketAddress(LOOPBACK, primary.port()), Optional.empty(), OptionalInt.empty());
    knotPort = knotd.port();
    notifier = new Notifier(List.of(new NotifyTarget(knotd.address(), Optional.empty())),
        name -> Optional.empty(), Notifier.FIRST_TIMEOUT, Clock.systemUTC());
    notifier.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (knotd != null) {
      knotd.close();
    }
    notifier.stop();
    primary.close();
  }

  @Test
  void knotTakesTheZoneByAxfrThenOnOurNotifyTheChangeByIxfrAndServesWhatWeServe() throws Exception {
    knotd.awaitLog("AXFR, incoming", "finished", WAIT_SECONDS);

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

    knotd.awaitLog("notify, incoming", "serial 2026120302", WAIT_SECONDS);

    knotd.awaitLog("IXFR, incoming", "finished", WAIT_SECONDS);
    // The transfer is logged before knotd switches to the new version; the refresh line says it has.
    knotd.awaitLog("zone updated", "-> 2026120302", WAIT_SECONDS);
    assertFalse(knotd.log().contains("fallback to AXFR"), knotd.log());
    // Before this test's own AXFRs below, which come from the same address.
    SecondaryFetches.Fetch knot = secondaries.all().get(0);
    assertEquals("127.0.0.1", knot.client());
    assertEquals(2026120302L, knot.serial(), "the serial knotd took by IXFR");
    assertEquals("IXFR", knot.lastQuery());
    Set<Record> served = new HashSet<>(axfr(knotPort));
    assertTrue(served.equals(new HashSet<>(v2)), "knotd serves what Cascade serves:\n" + knotd.log());
    assertTrue(served.equals(new HashSet<>(axfr(primary.port()))), "knotd serves Cascade's AXFR");
    assertTrue(knotd.knotc("zone-status", ZONE).contains("2026120302"), "knotd reports the new serial");
    Notifier.Outcome notify = notifier.outcomes().get(0);
    assertEquals(2026120302, notify.serial());
    assertEquals("answered", notify.state(), "knotd answered the NOTIFY");
    assertEquals("NOERROR", notify.rcode());
  }

  private static List<Record> axfr(int port) throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(Name.fromString(ZONE), LOOPBACK.getHostAddress(), port, null);
    xfr.setTimeout(Duration.ofSeconds(20));
    xfr.run();
    return xfr.getAXFR();
  }
}
