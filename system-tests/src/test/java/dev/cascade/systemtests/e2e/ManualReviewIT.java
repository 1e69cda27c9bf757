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
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

/**
 * Policy {@code review}: both gates wait for the operator (cascade-reference.md §2). Nothing reaches the publication
 * server before both approvals, and a version rejected at the signed gate never replaces the one being served.
 */
@ExtendWith(StackExtension.class)
class ManualReviewIT {

  private static final String ZONE = "review.e2e.test";

  static String zoneText(long serial, String marker) {
    return """
        $ORIGIN review.e2e.test.
        $TTL 3600
        @    IN SOA  ns1.review.e2e.test. hostmaster.review.e2e.test. %d 7200 3600 1209600 300
        @    IN NS   ns1.review.e2e.test.
        ns1  IN A    192.0.2.1
        www  IN A    192.0.2.80
        version IN TXT "%s"
        """.formatted(serial, marker);
  }

  @Test
  void publicationWaitsForBothApprovalsAndASignedRejectionKeepsTheServedVersion(Stack stack) throws Exception {
    Operator operator = new Operator(stack);
    Name apex = Name.fromString(ZONE + ".");
    Path source = ZoneFiles.write(stack, ZONE, zoneText(2026112801L, "first"));
    operator.addZone(ZONE, source, "review");

    // Gate 1: the loaded version waits for the operator, served for inspection on the unsigned review server only.
    ZoneStatusView loaded =
        operator.awaitStatus(ZONE, "the unsigned version under review", s -> s.unsignedSerialUnderReview().isPresent());
    long unsignedSerial = loaded.unsignedSerialUnderReview().getAsLong();
    assertEquals(2026112801L, unsignedSerial, loaded.text());
    Dns.awaitSoaSerial(apex, Dns.UNSIGNED_REVIEW_PORT, unsignedSerial);
    assertEquals(OptionalLong.empty(), Dns.soaSerial(apex, Dns.PUBLISHED_PORT), "published before any approval");

    operator.cli().ok("zone", "approve", "--unsigned", ZONE, Long.toString(unsignedSerial));

    // Gate 2: the signed version waits too, served on the signed review server, still not published.
    ZoneStatusView signed =
        operator.awaitStatus(ZONE, "the signed version under review", s -> s.signedSerialUnderReview().isPresent());
    long firstSignedSerial = signed.signedSerialUnderReview().getAsLong();
    Dns.awaitSoaSerial(apex, Dns.SIGNED_REVIEW_PORT, firstSignedSerial);
    assertEquals(OptionalLong.empty(), Dns.soaSerial(apex, Dns.PUBLISHED_PORT), "published before the signed approval");
    assertTrue(operator.status(ZONE).publishedSignedSerial().isEmpty(), "status reports a publication too early");

    operator.cli().ok("zone", "approve", "--signed", ZONE, Long.toString(firstSignedSerial));

    ZoneStatusView published = operator.awaitPublished(ZONE);
    assertEquals(firstSignedSerial, published.publishedSignedSerial().getAsLong(), published.text());
    assertServed(apex, firstSignedSerial, "first");

    // A second version: approved as loaded, rejected as signed.
    ZoneFiles.write(stack, ZONE, zoneText(2026112802L, "second"));
    operator.reload(ZONE);
    ZoneStatusView secondLoaded =
        operator.awaitStatus(
            ZONE, "the second unsigned version under review",
            s -> s.unsignedSerialUnderReview().equals(OptionalLong.of(2026112802L)));
    operator.cli().ok("zone", "approve", "--unsigned", ZONE, "2026112802");
    ZoneStatusView secondSigned =
        operator.awaitStatus(
            ZONE, "the second signed version under review",
            s -> s.signedSerialUnderReview().isPresent()
                && s.signedSerialUnderReview().getAsLong() != firstSignedSerial);
    long secondSignedSerial = secondSigned.signedSerialUnderReview().getAsLong();
    assertTrue(secondSignedSerial > firstSignedSerial, secondSigned.text() + "\n(after " + secondLoaded + ")");

    operator.cli().ok("zone", "reject", "--signed", ZONE, Long.toString(secondSignedSerial));
    ZoneStatusView afterReject =
        operator.awaitStatus(ZONE, "the pipeline to settle after the rejection", s -> s.progress().equals("idle"));
    assertEquals(firstSignedSerial, afterReject.publishedSignedSerial().getAsLong(), afterReject.text());
    assertTrue(operator.history(ZONE).toLowerCase().contains("rejected"), "history does not show the rejection");
    assertServed(apex, firstSignedSerial, "first");
  }

  /** The publication server transfers exactly the version with this serial and TXT marker. */
  private static void assertServed(Name apex, long signedSerial, String marker) throws Exception {
    Dns.awaitSoaSerial(apex, Dns.PUBLISHED_PORT, signedSerial);
    List<Record> served = Dns.axfr(apex, Dns.PUBLISHED_PORT);
    assertEquals(signedSerial, ((SOARecord) served.get(0)).getSerial());
    List<String> markers =
        served.stream()
            .filter(TXTRecord.class::isInstance)
            .filter(r -> r.getName().toString().startsWith("version."))
            .flatMap(r -> ((TXTRecord) r).getStrings().stream())
            .toList();
    assertEquals(List.of(marker), markers);
  }
}
