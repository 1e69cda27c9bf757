package dev.cascade.systemtests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.systemtests.harness.CascadeService;
import dev.cascade.systemtests.harness.Dns;
import dev.cascade.systemtests.harness.Operator;
import dev.cascade.systemtests.harness.Stack;
import dev.cascade.systemtests.harness.StackExtension;
import dev.cascade.systemtests.harness.ZoneFiles;
import dev.cascade.systemtests.harness.ZoneStatusView;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

/**
 * Every service survives a crash (SIGKILL) with a version in flight: nothing is lost (the in-flight version is still
 * published, status still knows the published version), the last good version is served meanwhile, and later versions
 * are signed with the same keys, never regenerated (design, event flow 3 and 7).
 */
@ExtendWith(StackExtension.class)
class RestartIT {

  private static final String ZONE = "restart.e2e.test";

  private static String zoneText(long serial, String marker) {
    return """
        $ORIGIN restart.e2e.test.
        $TTL 3600
        @    IN SOA  ns1.restart.e2e.test. hostmaster.restart.e2e.test. %d 7200 3600 1209600 300
        @    IN NS   ns1.restart.e2e.test.
        ns1  IN A    192.0.2.1
        www  IN A    192.0.2.80
        version IN TXT "%s"
        """.formatted(serial, marker);
  }

  @Test
  void eachServiceCanCrashMidPipelineAndRestartWithoutLosingAnything(Stack stack) throws Exception {
    Operator operator = new Operator(stack);
    Name apex = Name.fromString(ZONE + ".");
    long unsignedSerial = 2026112801L;
    operator.addZone(ZONE, ZoneFiles.write(stack, ZONE, zoneText(unsignedSerial, "initial")), "default");
    long published = operator.awaitPublished(ZONE).publishedSignedSerial().getAsLong();
    Set<String> keys = dnskeys(Dns.axfr(apex, Dns.PUBLISHED_PORT));
    assertFalse(keys.isEmpty(), "no DNSKEY published");

    for (CascadeService service :
        List.of(
            CascadeService.LOADER,
            CascadeService.SIGNER,
            CascadeService.PUBLISHER,
            CascadeService.REVIEW_GATEWAY,
            CascadeService.KEYMANAGER)) {
      String inFlight = "in flight while " + service.directory() + " crashed";
      ZoneFiles.write(stack, ZONE, zoneText(++unsignedSerial, inFlight));
      operator.reload(ZONE);
      stack.kill(service);

      if (service != CascadeService.PUBLISHER) {
        // The publication server keeps answering whatever else is down.
        assertTrue(Dns.soaSerial(apex, Dns.PUBLISHED_PORT).isPresent(), "nothing served while " + service + " is down");
      }

      stack.restart(service);
      long before = published;
      operator.awaitStatus(
          ZONE, "the published version still known after " + service + " restarted",
          s -> s.publishedSignedSerial().isPresent() && s.publishedSignedSerial().getAsLong() >= before);
      ZoneStatusView afterCrash = operator.awaitPublishedAfter(ZONE, published);
      published = afterCrash.publishedSignedSerial().getAsLong();
      assertServed(apex, published, inFlight, keys, service);

      // And the pipeline keeps working after the restart, with the same keys.
      String after = "after " + service.directory() + " restarted";
      ZoneFiles.write(stack, ZONE, zoneText(++unsignedSerial, after));
      operator.reload(ZONE);
      ZoneStatusView next = operator.awaitPublishedAfter(ZONE, published);
      published = next.publishedSignedSerial().getAsLong();
      assertEquals(OptionalLong.of(unsignedSerial), next.publishedLoadedSerial(), next.text());
      assertServed(apex, published, after, keys, service);
    }
  }

  private static void assertServed(Name apex, long signedSerial, String marker, Set<String> keys, CascadeService crashed)
      throws Exception {
    Dns.awaitSoaSerial(apex, Dns.PUBLISHED_PORT, signedSerial);
    List<Record> served = Dns.axfr(apex, Dns.PUBLISHED_PORT);
    assertEquals(signedSerial, ((SOARecord) served.get(0)).getSerial(), "served serial after " + crashed + " crashed");
    List<String> markers =
        served.stream()
            .filter(TXTRecord.class::isInstance)
            .filter(r -> r.getName().toString().startsWith("version."))
            .flatMap(r -> ((TXTRecord) r).getStrings().stream())
            .toList();
    assertEquals(List.of(marker), markers);
    assertEquals(keys, dnskeys(served), "DNSKEY RRset changed after " + crashed + " crashed");
  }

  private static Set<String> dnskeys(List<Record> records) {
    return records.stream()
        .filter(DNSKEYRecord.class::isInstance)
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }
}
