package dev.cascade.systemtests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.systemtests.harness.CascadeService;
import dev.cascade.systemtests.harness.Dns;
import dev.cascade.systemtests.harness.ExternalTool;
import dev.cascade.systemtests.harness.Operator;
import dev.cascade.systemtests.harness.Stack;
import dev.cascade.systemtests.harness.StackExtension;
import dev.cascade.systemtests.harness.ZoneFiles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A TLD-sized zone through the packaged services: 100,000 delegations are published and accepted by dnssec-verify;
 * one changed delegation is then served, and the IXFR from the first serial holds exactly the difference between
 * the two AXFRs (RFC 1995), condensed into one. Then the publisher is killed while the next version comes in: after
 * its restart it serves the previous version or the new one, each complete, never a part of one.
 */
@ExtendWith(StackExtension.class)
class LargeZoneIT {

  private static final String ZONE = "large.e2e.test";
  private static final int DELEGATIONS = 100_000;
  /** No delegation changed: the first version. */
  private static final int NONE = -1;

  /**
   * The zone, with the name servers of delegation {@code changed} (or {@link #NONE}) replaced. Every tenth delegation
   * is secure (a DS), so NSEC chains and DS signatures are both in play.
   */
  static String zoneText(long serial, int changed) {
    StringBuilder text = new StringBuilder(DELEGATIONS * 64);
    text.append("$ORIGIN ").append(ZONE).append(".\n$TTL 3600\n")
        .append("@ IN SOA ns1 hostmaster ").append(serial).append(" 7200 3600 1209600 300\n")
        .append("@ IN NS ns1\n@ IN NS ns2\nns1 IN A 192.0.2.1\nns2 IN A 192.0.2.2\n");
    for (int i = 0; i < DELEGATIONS; i++) {
      String ns = i == changed ? "ns9.example.net." : "ns1.example.net.";
      text.append('d').append(i).append(" IN NS ").append(ns).append('\n');
      text.append('d').append(i).append(" IN NS ns2.example.net.\n");
      if (i % 10 == 0) {
        text.append('d').append(i).append(" IN DS ").append(10000 + i % 50000)
            .append(" 13 2 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\n");
      }
    }
    return text.toString();
  }

  @Test
  void aHundredThousandDelegationsArePublishedVerifiedAndChangedByIxfr(Stack stack) throws Exception {
    Operator operator = new Operator(stack);
    Name apex = Name.fromString(ZONE + ".");
    Path source = ZoneFiles.write(stack, ZONE, zoneText(2026120301, NONE));
    operator.addZone(ZONE, source, "default");

    long first = operator.awaitPublished(ZONE).publishedSignedSerial().orElseThrow();
    Dns.awaitSoaSerial(apex, Dns.PUBLISHED_PORT, first);
    List<Record> before = Dns.axfr(apex, Dns.PUBLISHED_PORT);
    assertTrue(before.size() > 3 * DELEGATIONS, before.size() + " records served");
    assertVerifies(stack, before, "first");

    ZoneFiles.write(stack, ZONE, zoneText(2026120302, 4242));
    operator.reload(ZONE);
    long second = operator.awaitPublishedAfter(ZONE, first).publishedSignedSerial().orElseThrow();
    Dns.awaitSoaSerial(apex, Dns.PUBLISHED_PORT, second);
    List<Record> after = Dns.axfr(apex, Dns.PUBLISHED_PORT);

    ZoneTransferIn ixfr =
        ZoneTransferIn.newIXFR(apex, first, false, new InetSocketAddress("127.0.0.1", Dns.PUBLISHED_PORT), null);
    ixfr.setTimeout(Duration.ofSeconds(30));
    ixfr.run();
    assertTrue(ixfr.isIXFR(), "an IXFR from the first serial, not a full transfer");
    assertEquals(1, ixfr.getIXFR().size(), "one condensed difference");
    ZoneTransferIn.Delta delta = ixfr.getIXFR().get(0);
    assertEquals(first, delta.start);
    assertEquals(second, delta.end);
    assertEquals(minus(before, after), new HashSet<>(delta.deletes));
    assertEquals(minus(after, before), new HashSet<>(delta.adds));
    assertTrue(delta.deletes.size() + delta.adds.size() < 50,
        "one changed delegation: " + delta.deletes.size() + " deleted, " + delta.adds.size() + " added");

    // The next version reaches the signed review server, and the publisher dies as it takes it in to publish it.
    ZoneFiles.write(stack, ZONE, zoneText(2026120303, 4243));
    operator.reload(ZONE);
    awaitSerialAbove(apex, Dns.SIGNED_REVIEW_PORT, second);
    stack.kill(CascadeService.PUBLISHER);
    stack.restart(CascadeService.PUBLISHER);

    List<Record> afterCrash = Dns.axfr(apex, Dns.PUBLISHED_PORT);
    long crashSerial = ((SOARecord) afterCrash.get(0)).getSerial();
    if (crashSerial == second) {
      assertEquals(new HashSet<>(after), new HashSet<>(afterCrash), "the previous version, complete");
    } else {
      assertVerifies(stack, afterCrash, "after-crash");
    }
    long third = operator.awaitPublishedAfter(ZONE, second).publishedSignedSerial().orElseThrow();
    Dns.awaitSoaSerial(apex, Dns.PUBLISHED_PORT, third);
    List<Record> last = Dns.axfr(apex, Dns.PUBLISHED_PORT);
    assertVerifies(stack, last, "third");
    assertTrue(minus(last, after).size() < 50, minus(last, after).size() + " records new in the third version");
  }

  private static void assertVerifies(Stack stack, List<Record> served, String name) {
    Path file = ZoneFiles.writeTransfer(stack.zoneDirectory().resolve(ZONE + "." + name + ".axfr"), served);
    ExternalTool.Outcome bind = ExternalTool.run("dnssec-verify", "-o", ZONE + ".", file.toString());
    assertEquals(0, bind.exitCode(), "dnssec-verify of the " + name + " version:\n" + bind.output());
  }

  private static void awaitSerialAbove(Name apex, int port, long serial) {
    await(apex + " serial above " + serial + " on " + port)
        .atMost(Operator.PIPELINE_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Dns.soaSerial(apex, port), served -> served.isPresent() && served.getAsLong() > serial);
  }

  private static Set<Record> minus(List<Record> a, List<Record> b) {
    Set<Record> result = new HashSet<>(a);
    b.forEach(result::remove);
    return result;
  }
}
