package dev.cascade.systemtests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/** Asks the publisher's DNS servers what they serve, with dnsjava, as a secondary or a resolver would. */
public final class Dns {

  /** Published zones (design port table). */
  public static final int PUBLISHED_PORT = 4542;
  /** The signed version under review. */
  public static final int SIGNED_REVIEW_PORT = 4541;
  /** The unsigned version under review. */
  public static final int UNSIGNED_REVIEW_PORT = 4540;

  private Dns() {}

  /** A full zone transfer over TCP from 127.0.0.1 (an allowed client by default). */
  public static List<Record> axfr(Name zone, int port) throws IOException, ZoneTransferException {
    ZoneTransferIn transfer = ZoneTransferIn.newAXFR(zone, new InetSocketAddress("127.0.0.1", port), null);
    transfer.setTimeout(Duration.ofSeconds(20));
    transfer.run();
    return transfer.getAXFR();
  }

  /** The SOA serial the server answers for {@code zone}, empty when it does not serve the zone (any error rcode). */
  public static OptionalLong soaSerial(Name zone, int port) {
    try {
      SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
      resolver.setTimeout(Duration.ofSeconds(3));
      Message response = resolver.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
      if (response.getRcode() != Rcode.NOERROR) {
        return OptionalLong.empty();
      }
      return response.getSection(Section.ANSWER).stream()
          .filter(SOARecord.class::isInstance)
          .mapToLong(record -> ((SOARecord) record).getSerial())
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException("no DNS answer from 127.0.0.1:" + port, e);
    }
  }

  /**
   * Waits until the server answers {@code expected} as the zone's SOA serial: each service reacts to an event on its
   * own, so the DNS view may trail {@code zone status} by a moment.
   */
  public static void awaitSoaSerial(Name zone, int port, long expected) {
    OptionalLong wanted = OptionalLong.of(expected);
    try {
      org.awaitility.Awaitility.await(zone + " serial " + expected + " on port " + port)
          .atMost(Duration.ofSeconds(30))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(300))
          .until(() -> soaSerial(zone, port), wanted::equals);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "127.0.0.1:" + port + " serves " + soaSerial(zone, port) + " for " + zone + ", expected " + expected, e);
    }
  }
}
