package dev.cascade.publisher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** What the responder notes of its secondaries' queries: only theirs, and the serial each query shows. */
class SecondaryFetchesTest {

  private static final Instant NOW = Instant.parse("2026-12-07T16:00:00Z");
  private static final InetAddress SECONDARY = InetAddress.getLoopbackAddress();

  private final SecondaryFetches fetches = new SecondaryFetches(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void eachQueryOfAnAllowedSecondaryTellsWhatItHolds() throws Exception {
    ServedZones zones = new ServedZones(5, 20);
    zones.install(TestRecords.snapshot("example.test.", "v1", 2026120701, 5));
    DnsResponder responder =
        new DnsResponder(zones, TransferAcl.of(List.of("127.0.0.1")), new TransferLimit(2), fetches,
            name -> Optional.empty(), Clock.systemUTC());

    respond(responder, query(Type.SOA, null), SECONDARY);
    SecondaryFetches.Fetch checked = fetches.all().get(0);
    assertEquals("SOA", checked.lastQuery());
    assertNull(checked.serial(), "a SOA query does not tell what the secondary holds");

    respond(responder, query(Type.AXFR, null), SECONDARY);
    assertEquals(2026120701L, fetches.all().get(0).serial());
    assertEquals("AXFR", fetches.all().get(0).lastQuery());

    zones.install(TestRecords.snapshot("example.test.", "v2", 2026120702, 6));
    respond(responder, query(Type.IXFR, 2026120701L), SECONDARY);
    assertEquals(2026120702L, fetches.all().get(0).serial(), "after the IXFR");
    respond(responder, query(Type.SOA, null), SECONDARY);
    assertEquals(2026120702L, fetches.all().get(0).serial(), "a later SOA query keeps what it holds");
    assertEquals(NOW, fetches.all().get(0).heldSince());

    respond(responder, query(Type.SOA, null), InetAddress.getByName("127.0.0.2"));
    assertEquals(1, fetches.all().size(), "a client the ACL does not allow is not noted");
    fetches.forget(Name.fromString("example.test."));
    assertTrue(fetches.all().isEmpty());
  }

  private static void respond(DnsResponder responder, byte[] query, InetAddress client) throws Exception {
    List<Message> answers = new ArrayList<>();
    responder.respond(query, client, DnsResponder.Transport.TCP,
        (message, length) -> answers.add(new Message(Arrays.copyOf(message, length))));
    assertTrue(!answers.isEmpty());
  }

  private static byte[] query(int type, Long clientSerial) throws Exception {
    Name zone = Name.fromString("example.test.");
    Message query = Message.newQuery(Record.newRecord(zone, type, DClass.IN));
    if (clientSerial != null) {
      query.addRecord(new SOARecord(zone, DClass.IN, 0, zone, zone, clientSerial, 0, 0, 0, 0), Section.AUTHORITY);
    }
    return query.toWire();
  }
}
