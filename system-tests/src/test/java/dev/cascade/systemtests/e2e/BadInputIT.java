package dev.cascade.systemtests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.systemtests.harness.Dns;
import dev.cascade.systemtests.harness.Operator;
import dev.cascade.systemtests.harness.Stack;
import dev.cascade.systemtests.harness.StackExtension;
import dev.cascade.systemtests.harness.ZoneFiles;
import dev.cascade.systemtests.harness.ZoneStatusView;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * Bad zone files never reach the publication server: the operator sees an error naming the file and line in both
 * {@code zone status} and {@code zone history}, and the last good version stays served (design, event flow 2 and 7).
 * A zone file over the configured size fails that zone alone, with the limit named, and never wedges the loader.
 */
@ExtendWith(StackExtension.class)
class BadInputIT {

  private static final String ZONE = "bad.e2e.test";
  private static final String FILE = ZONE + ".zone";

  /** Lines 1-6 of every version; {@code padding} comment lines put each error on its own line number. */
  private static String head(long serial, int padding) {
    return """
        $ORIGIN bad.e2e.test.
        $TTL 3600
        @    IN SOA  ns1.bad.e2e.test. hostmaster.bad.e2e.test. %d 7200 3600 1209600 300
        @    IN NS   ns1.bad.e2e.test.
        ns1  IN A    192.0.2.1
        www  IN A    192.0.2.80
        """.formatted(serial)
        + "; padding: each bad version has its error on a different line\n".repeat(padding);
  }

  @Test
  void eachBadVersionIsReportedWithFileAndLineWhileTheLastGoodOneStaysServed(Stack stack) throws Exception {
    Operator operator = new Operator(stack);
    Name apex = Name.fromString(ZONE + ".");
    Path source = ZoneFiles.write(stack, ZONE, head(2026112801L, 0));
    operator.addZone(ZONE, source, "default");
    long goodSerial = operator.awaitPublished(ZONE).publishedSignedSerial().getAsLong();

    // (1) A syntax error: an IPv4 address with an octet above 255, on line 7.
    ZoneFiles.write(stack, ZONE, head(2026112802L, 0) + "broken IN A 192.0.2.999\n");
    operator.reload(ZONE);
    assertReported(operator, List.of(7));
    assertStillServed(apex, goodSerial);

    // (2) A CNAME beside other data at one name (RFC 1034 §3.6.2, RFC 2181 §10.1), on lines 9 and 10.
    ZoneFiles.write(
        stack, ZONE,
        head(2026112803L, 2) + "alias IN CNAME www.bad.e2e.test.\nalias IN TXT \"data beside a CNAME\"\n");
    operator.reload(ZONE);
    assertReported(operator, List.of(9, 10));
    assertStillServed(apex, goodSerial);

    // (3) A record outside the zone (RFC 1035 §5.2: out-of-zone data in a master file is an error), on line 12.
    ZoneFiles.write(stack, ZONE, head(2026112804L, 5) + "outside.example.net. IN A 192.0.2.7\n");
    operator.reload(ZONE);
    assertReported(operator, List.of(12));
    assertStillServed(apex, goodSerial);

    // (4) A well-formed file over the configured size: refused before it is read, naming the setting to raise.
    String oversized = head(2026112805L, 0)
        + "; a comment line that makes the zone file larger than the loader is set up to hold\n"
            .repeat((int) (Stack.MAX_ZONE_BYTES / 80) + 1);
    ZoneFiles.write(stack, ZONE, oversized);
    operator.reload(ZONE);
    ZoneStatusView status =
        operator.awaitStatus(ZONE, "the size limit named", s -> s.text().contains("cascade.loader.max-zone-bytes"));
    assertTrue(status.text().contains(oversized.length() + " bytes"), status.text());
    assertTrue(operator.history(ZONE).contains("cascade.loader.max-zone-bytes"), operator.history(ZONE));
    assertStillServed(apex, goodSerial);

    // A corrected file goes through again: the loader took the next version after each refusal.
    ZoneFiles.write(stack, ZONE, head(2026112806L, 0) + "fixed IN TXT \"good again\"\n");
    operator.reload(ZONE);
    long fixedSerial = operator.awaitPublishedAfter(ZONE, goodSerial).publishedSignedSerial().getAsLong();
    assertStillServed(apex, fixedSerial);
  }

  /** {@code zone status} and then {@code zone history} name the file and one of {@code lines}. */
  private static void assertReported(Operator operator, List<Integer> lines) {
    Pattern location =
        Pattern.compile(
            Pattern.quote(FILE) + ":(" + String.join("|", lines.stream().map(String::valueOf).toList()) + ")(?!\\d)");
    ZoneStatusView status =
        operator.awaitStatus(
            ZONE, "an error at " + FILE + ":" + lines, s -> location.matcher(s.text()).find());
    assertTrue(status.text().toLowerCase().contains("error"), status.text());
    String history = operator.history(ZONE);
    assertTrue(location.matcher(history).find(), "history does not name " + FILE + ":" + lines + ":\n" + history);
  }

  private static void assertStillServed(Name apex, long signedSerial) throws Exception {
    Dns.awaitSoaSerial(apex, Dns.PUBLISHED_PORT, signedSerial);
    List<Record> served = Dns.axfr(apex, Dns.PUBLISHED_PORT);
    assertEquals(signedSerial, ((SOARecord) served.get(0)).getSerial(), "served serial");
  }
}
