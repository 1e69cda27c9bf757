package dev.cascade.publisher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The per-client limit of concurrent transfers, on the responder, with a transfer held open by its sink. */
class TransferLimitTest {

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  @Test
  void aClientAtItsLimitIsRefusedUntilATransferEnds() throws Exception {
    ServedZones zones = new ServedZones(5, 20);
    zones.install(TestRecords.snapshot("example.test.", "v1", 2026120701, 20));
    DnsResponder responder = new DnsResponder(zones, TransferAcl.of(List.of("127.0.0.0/8")), new TransferLimit(1),
        new SecondaryFetches(Clock.systemUTC()), name -> Optional.empty(), Clock.systemUTC());
    CountDownLatch inTransfer = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Message> first = new ArrayList<>();
    Thread holder = new Thread(() -> {
      try {
        responder.respond(axfr(1), CLIENT, DnsResponder.Transport.TCP, (message, length) -> {
          inTransfer.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          first.add(new Message(Arrays.copyOf(message, length)));
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    holder.start();
    assertTrue(inTransfer.await(10, TimeUnit.SECONDS));

    assertEquals(Rcode.REFUSED, only(responder, axfr(2), CLIENT).getRcode(), "a second transfer at once");
    assertEquals(Rcode.NOERROR, only(responder, soa(3), CLIENT).getRcode(), "queries are not transfers");
    release.countDown();
    holder.join(10_000);
    assertEquals(Rcode.NOERROR, first.get(0).getRcode());
    List<Message> again = new ArrayList<>();
    responder.respond(axfr(4), CLIENT, DnsResponder.Transport.TCP,
        (message, length) -> again.add(new Message(Arrays.copyOf(message, length))));
    assertEquals(Rcode.NOERROR, again.get(0).getRcode(), "after the first transfer ended");
    assertTrue(again.get(0).getSection(1).size() > 1);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TransferLimit(0));
  }

  private static Message only(DnsResponder responder, byte[] query, InetAddress client) throws Exception {
    List<Message> answers = new ArrayList<>();
    responder.respond(query, client, DnsResponder.Transport.TCP,
        (message, length) -> answers.add(new Message(Arrays.copyOf(message, length))));
    assertEquals(1, answers.size());
    return answers.get(0);
  }

  private static byte[] axfr(int id) throws Exception {
    return query(id, Type.AXFR);
  }

  private static byte[] soa(int id) throws Exception {
    return query(id, Type.SOA);
  }

  private static byte[] query(int id, int type) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("example.test."), type, DClass.IN));
    query.getHeader().setID(id);
    return query.toWire();
  }
}
