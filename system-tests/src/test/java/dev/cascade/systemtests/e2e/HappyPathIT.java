package dev.cascade.systemtests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.systemtests.harness.Dns;
import dev.cascade.systemtests.harness.ExternalTool;
import dev.cascade.systemtests.harness.Operator;
import dev.cascade.systemtests.harness.Stack;
import dev.cascade.systemtests.harness.StackExtension;
import dev.cascade.systemtests.harness.ZoneFiles;
import dev.cascade.systemtests.harness.ZoneStatusView;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** A zone with the shapes that break signers goes in with policy {@code default} and comes out verifiably signed. */
@ExtendWith(StackExtension.class)
class HappyPathIT {

  private static final String ZONE = "happy.e2e.test";

  /**
   * Secure and insecure delegations (with and without DS), glue below both, a wildcard, and empty non-terminals
   * ({@code ent} and {@code b.ent} exist only because {@code a.b.ent} does): each needs its own handling in NSEC
   * chains and in which RRsets get signatures (RFC 4035 §2.2, RFC 4592, RFC 4035 §2.3).
   */
  static final String ZONE_TEXT =
      """
      $ORIGIN happy.e2e.test.
      $TTL 3600
      @            IN SOA   ns1.happy.e2e.test. hostmaster.happy.e2e.test. 2026112801 7200 3600 1209600 300
      @            IN NS    ns1.happy.e2e.test.
      @            IN NS    ns2.happy.e2e.test.
      @            IN MX    10 mail.happy.e2e.test.
      ns1          IN A     192.0.2.1
      ns2          IN AAAA  2001:db8::2
      mail         IN A     192.0.2.25
      www          IN A     192.0.2.80
      www          IN AAAA  2001:db8::80
      *.wild       IN A     192.0.2.99
      *.wild       IN TXT   "wildcard"
      a.b.ent      IN TXT   "below two empty non-terminals"
      insecure     IN NS    ns.insecure.happy.e2e.test.
      ns.insecure  IN A     192.0.2.53
      secure       IN NS    ns.secure.happy.e2e.test.
      secure       IN DS    12345 13 2 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08
      ns.secure    IN A     192.0.2.54
      ns.secure    IN AAAA  2001:db8::54
      """;

  @Test
  void aDelegatingZoneIsPublishedSignedAndPassesTwoIndependentVerifiers(Stack stack) throws Exception {
    Operator operator = new Operator(stack);
    Path source = ZoneFiles.write(stack, ZONE, ZONE_TEXT);
    operator.addZone(ZONE, source, "default");

    ZoneStatusView status = operator.awaitPublished(ZONE);
    long signedSerial = status.publishedSignedSerial().orElseThrow();

    Name apex = Name.fromString(ZONE + ".");
    List<Record> served = Dns.axfr(apex, Dns.PUBLISHED_PORT);
    Path transferred = ZoneFiles.writeTransfer(stack.zoneDirectory().resolve(ZONE + ".axfr"), served);

    SOARecord soa = (SOARecord) served.get(0);
    assertEquals(signedSerial, soa.getSerial(), "AXFR serial vs `zone status` signed serial");
    assertTrue(served.stream().anyMatch(r -> r.getType() == Type.RRSIG), "no RRSIG in " + transferred);
    assertTrue(served.stream().anyMatch(r -> r.getType() == Type.DNSKEY), "no DNSKEY in " + transferred);

    ExternalTool.Outcome bind = ExternalTool.run("dnssec-verify", "-o", ZONE + ".", transferred.toString());
    assertEquals(0, bind.exitCode(), "dnssec-verify:\n" + bind.output());
    ExternalTool.Outcome ldns = ExternalTool.run("ldns-verify-zone", transferred.toString());
    assertEquals(0, ldns.exitCode(), "ldns-verify-zone:\n" + ldns.output());

    // Nothing of the input may be lost or altered; only the SOA serial is the signer's (serial policy).
    Set<String> output = served.stream().map(HappyPathIT::comparable).collect(Collectors.toSet());
    List<String> missing =
        ZoneFiles.parse(source, ZONE + ".").stream()
            .map(HappyPathIT::comparable)
            .filter(record -> !output.contains(record))
            .toList();
    assertEquals(List.of(), missing, "input records missing from the published zone " + transferred);
  }

  /** A record's text, with the SOA serial left out (the signer sets it per its serial policy). */
  static String comparable(Record record) {
    if (record instanceof SOARecord soa) {
      return new SOARecord(
              soa.getName(), soa.getDClass(), soa.getTTL(), soa.getHost(), soa.getAdmin(), 0, soa.getRefresh(),
              soa.getRetry(), soa.getExpire(), soa.getMinimum())
          .toString();
    }
    return record.toString();
  }
}
