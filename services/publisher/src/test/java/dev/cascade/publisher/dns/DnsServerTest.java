package dev.cascade.publisher.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.publisher.domain.DnsResponder;
import dev.cascade.publisher.domain.SecondaryFetches;
import dev.cascade.publisher.domain.ServedZones;
import dev.cascade.publisher.domain.TestRecords;
import dev.cascade.publisher.domain.TransferAcl;
import dev.cascade.publisher.domain.TransferLimit;
import dev.cascade.publisher.domain.ZoneSnapshot;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
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

class DnsServerTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Name ZONE = TestRecords.name("example.test.");
  /** About 1,000 TXT records of 200 octets: over 200 KB, so an AXFR needs several 64 KiB messages. */
  private static final int TXT_RECORDS = 1000;

  private final ServedZones zones = new ServedZones(5, 20);
  private final ZoneSnapshot served = TestRecords.snapshot("example.test.", "v1", 2026030101, TXT_RECORDS);
  private DnsServer server;

  @BeforeEach
  void start() throws Exception {
    zones.install(served);
    server = DnsServer.start("test", LOOPBACK, 0, new DnsResponder(zones,
        TransferAcl.of(List.of("127.0.0.1", "::1")), new TransferLimit(10), new SecondaryFetches(Clock.systemUTC()),
        name -> Optional.empty(), Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void answersTheApexSoaOverUdpAndTcp() throws Exception {
    for (boolean tcp : List.of(false, true)) {
      SimpleResolver resolver = resolver(server.port());
      resolver.setTCP(tcp);

      Message response = resolver.send(Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN)));

      assertEquals(Rcode.NOERROR, response.getRcode());
      assertTrue(response.getHeader().getFlag(Flags.AA));
      List<Record> answer = response.getSection(Section.ANSWER);
      assertEquals(1, answer.size());
      assertEquals(2026030101, ((SOARecord) answer.get(0)).getSerial());
    }
  }

  @Test
  void refusesZonesItDoesNotServeAndNamesBelowTheApex() throws Exception {
    SimpleResolver resolver = resolver(server.port());

    Message otherZone =
        resolver.send(Message.newQuery(Record.newRecord(TestRecords.name("other.test."), Type.SOA, DClass.IN)));
    Message aQuery =
        resolver.send(Message.newQuery(Record.newRecord(TestRecords.name("ns1.example.test."), Type.A, DClass.IN)));

    assertEquals(Rcode.REFUSED, otherZone.getRcode());
    assertEquals(Rcode.REFUSED, aQuery.getRcode());
  }

  /**
   * The apex RRsets a key roll's propagation check asks for: the DNSKEY RRset, with its RRSIG when the query sets DO
   * (RFC 4035 §3.1.1), and no data for a type the apex lacks, with the SOA in the authority section (RFC 2308 §2.2).
   */
  @Test
  void answersApexRrsetsWithTheirSignaturesWhenAskedForDnssec() throws Exception {
    List<Record> records = new ArrayList<>(TestRecords.zone("signed.test.", 7, 0));
    records.addAll(TestRecords.parse("""
        signed.test. 3600 IN DNSKEY 257 3 13 ( mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+
            KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== )
        signed.test. 3600 IN RRSIG DNSKEY 13 2 3600 20261231000000 20261201000000 12345 signed.test. AAAA
        """));
    zones.install(ZoneSnapshot.of(TestRecords.name("signed.test."), "s1", records));
    Name apex = TestRecords.name("signed.test.");
    SimpleResolver resolver = resolver(server.port());

    resolver.setEDNS(0, 1232, ExtendedFlags.DO);
    Message withDo = resolver.send(Message.newQuery(Record.newRecord(apex, Type.DNSKEY, DClass.IN)));
    assertEquals(Rcode.NOERROR, withDo.getRcode());
    assertTrue(withDo.getHeader().getFlag(Flags.AA));
    assertEquals(List.of(Type.RRSIG, Type.DNSKEY),
        withDo.getSection(Section.ANSWER).stream().map(Record::getType).toList(), "in canonical order");
    assertTrue((withDo.getOPT().getFlags() & ExtendedFlags.DO) != 0, "DO copied into the response (RFC 3225 §3)");

    resolver.setEDNS(0, 1232, 0);
    Message withoutDo = resolver.send(Message.newQuery(Record.newRecord(apex, Type.DNSKEY, DClass.IN)));
    assertEquals(List.of(Type.DNSKEY), withoutDo.getSection(Section.ANSWER).stream().map(Record::getType).toList());

    Message noData = resolver.send(Message.newQuery(Record.newRecord(apex, Type.CDS, DClass.IN)));
    assertEquals(Rcode.NOERROR, noData.getRcode());
    assertTrue(noData.getSection(Section.ANSWER).isEmpty());
    assertEquals(List.of(Type.SOA), noData.getSection(Section.AUTHORITY).stream().map(Record::getType).toList());

    Message any = resolver.send(Message.newQuery(Record.newRecord(apex, Type.ANY, DClass.IN)));
    assertEquals(Rcode.REFUSED, any.getRcode());
  }

  @Test
  void transfersTheWholeZoneByAxfr() throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(ZONE, LOOPBACK.getHostAddress(), server.port(), null);
    xfr.setTimeout(Duration.ofSeconds(20));

    xfr.run();

    assertTrue(xfr.isAXFR());
    assertEquals(servedRecords(), new HashSet<>(xfr.getAXFR()));
  }

  @Test
  void axfrIsSeveralMessagesWithTheSoaFirstAndLast() throws Exception {
    List<Message> messages = rawAxfr(server.port(), Type.AXFR);

    assertTrue(messages.size() > 1, "expected several messages, got " + messages.size());
    List<Record> all = new ArrayList<>();
    for (Message message : messages) {
      assertEquals(Rcode.NOERROR, message.getRcode());
      all.addAll(message.getSection(Section.ANSWER));
    }
    assertEquals(Type.SOA, all.get(0).getType());
    assertEquals(Type.SOA, all.get(all.size() - 1).getType());
    assertEquals(served.size() + 1, all.size());
  }

  @Test
  void refusesTransfersToClientsOutsideTheAcl() throws Exception {
    server.close();
    server = DnsServer.start("test", LOOPBACK, 0, new DnsResponder(zones,
        TransferAcl.of(List.of("192.0.2.1")), new TransferLimit(10), new SecondaryFetches(Clock.systemUTC()),
        name -> Optional.empty(), Clock.systemUTC()));
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(ZONE, LOOPBACK.getHostAddress(), server.port(), null);

    ZoneTransferException e = assertThrows(ZoneTransferException.class, xfr::run);

    assertTrue(e.getMessage().contains("REFUSED"), e.getMessage());
    // The SOA stays answerable: only transfers are restricted.
    Message soa = resolver(server.port()).send(Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN)));
    assertEquals(Rcode.NOERROR, soa.getRcode());
  }

  @Test
  void refusesTransfersOfZonesItDoesNotServe() {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(TestRecords.name("other.test."), LOOPBACK.getHostAddress(), server.port(), null);

    ZoneTransferException e = assertThrows(ZoneTransferException.class, xfr::run);

    assertTrue(e.getMessage().contains("REFUSED"), e.getMessage());
  }

  @Test
  void answersAnIxfrWithTheFullZoneOrJustTheSoaWhenCurrent() throws Exception {
    ZoneTransferIn older = ZoneTransferIn.newIXFR(ZONE, 2026030100, false, LOOPBACK.getHostAddress(), server.port(), null);
    older.run();
    assertTrue(older.isAXFR());
    assertEquals(servedRecords(), new HashSet<>(older.getAXFR()));

    ZoneTransferIn current =
        ZoneTransferIn.newIXFR(ZONE, 2026030101, false, LOOPBACK.getHostAddress(), server.port(), null);
    current.run();
    assertTrue(current.isCurrent());
  }

  @Test
  void answersGarbageWithFormerr() throws Exception {
    byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 'e', 'x'};
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5000);
      socket.send(new DatagramPacket(garbage, garbage.length, new InetSocketAddress(LOOPBACK, server.port())));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      socket.receive(reply);

      Message response = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
      assertEquals(0x1234, response.getHeader().getID());
      assertEquals(Rcode.FORMERR, response.getRcode());
      assertTrue(response.getHeader().getFlag(Flags.QR));
    }
  }

  @Test
  void servesTheNewVersionAfterASwap() throws Exception {
    zones.install(TestRecords.snapshot("example.test.", "v2", 2026030102, 0));

    Message response = resolver(server.port()).send(Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN)));

    assertEquals(2026030102, ((SOARecord) response.getSection(Section.ANSWER).get(0)).getSerial());
  }

  @Test
  void answersAnIxfrFromTheKeptDifferencesCondensed() throws Exception {
    List<Record> v1 = served.records().toRecords();
    List<Record> v2 = edit(v1, 2026030102, "txt5.example.test.", "www.example.test. 3600 IN A 192.0.2.80");
    List<Record> v3 = edit(v2, 2026030103, "txt7.example.test.", "www.example.test. 3600 IN AAAA 2001:db8::80");
    zones.install(ZoneSnapshot.of(ZONE, "v2", v2));
    zones.install(ZoneSnapshot.of(ZONE, "v3", v3));

    ZoneTransferIn fromV1 = ixfr(2026030101);
    ZoneTransferIn fromV2 = ixfr(2026030102);

    assertTrue(fromV1.isIXFR());
    assertEquals(1, fromV1.getIXFR().size(), "RFC 1995 §5: one condensed difference");
    ZoneTransferIn.Delta condensed = fromV1.getIXFR().get(0);
    assertEquals(2026030101, condensed.start);
    assertEquals(2026030103, condensed.end);
    assertEquals(difference(v1, v3), new HashSet<>(condensed.deletes));
    assertEquals(difference(v3, v1), new HashSet<>(condensed.adds));
    ZoneTransferIn.Delta last = fromV2.getIXFR().get(0);
    assertEquals(difference(v2, v3), new HashSet<>(last.deletes));
    assertEquals(difference(v3, v2), new HashSet<>(last.adds));
  }

  @Test
  void answersAnIxfrFromBeyondTheHistoryWithTheWholeZone() throws Exception {
    List<Record> v1 = served.records().toRecords();
    for (int serial = 2026030102; serial <= 2026030108; serial++) {
      v1 = edit(v1, serial, "txt" + serial % 100 + ".example.test.", "new" + serial + ".example.test. 60 IN A 192.0.2.1");
      zones.install(ZoneSnapshot.of(ZONE, "v" + serial, v1));
    }

    ZoneTransferIn beyond = ixfr(2026030102);
    ZoneTransferIn within = ixfr(2026030103);

    assertTrue(beyond.isAXFR(), "max-diffs 5 keeps the differences from 2026030103 on");
    assertEquals(new HashSet<>(v1), new HashSet<>(beyond.getAXFR()));
    assertTrue(within.isIXFR());
  }

  private ZoneTransferIn ixfr(long serial) throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newIXFR(ZONE, serial, false, LOOPBACK.getHostAddress(), server.port(), null);
    xfr.setTimeout(Duration.ofSeconds(20));
    xfr.run();
    return xfr;
  }

  /** {@code records} with a new SOA serial, without the records of {@code removedOwner}, plus {@code added}. */
  private static List<Record> edit(List<Record> records, long serial, String removedOwner, String added) {
    List<Record> next = new ArrayList<>();
    for (Record r : records) {
      if (r instanceof SOARecord soa) {
        next.add(new SOARecord(soa.getName(), soa.getDClass(), soa.getTTL(), soa.getHost(), soa.getAdmin(), serial,
            soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum()));
      } else if (!r.getName().toString().equals(removedOwner)) {
        next.add(r);
      }
    }
    next.addAll(TestRecords.parse(added + "\n"));
    return next;
  }

  private static Set<Record> difference(List<Record> a, List<Record> b) {
    Set<Record> result = new HashSet<>(a);
    b.forEach(result::remove);
    return result;
  }

  private Set<Record> servedRecords() {
    return new HashSet<>(served.records().toRecords());
  }

  /** Sends one transfer query over TCP and reads messages until the closing SOA (RFC 5936 §2.2). */
  static List<Message> rawAxfr(int port, int type) throws Exception {
    Message query = Message.newQuery(Record.newRecord(ZONE, type, DClass.IN));
    byte[] wire = query.toWire();
    List<Message> messages = new ArrayList<>();
    try (Socket socket = new Socket(LOOPBACK, port)) {
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int soas = 0;
      while (soas < 2) {
        byte[] buffer = new byte[in.readUnsignedShort()];
        in.readFully(buffer);
        Message message = new Message(buffer);
        assertEquals(query.getHeader().getID(), message.getHeader().getID());
        messages.add(message);
        soas += (int) message.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.SOA).count();
        if (message.getRcode() != Rcode.NOERROR) {
          break;
        }
      }
    }
    return messages;
  }

  private static SimpleResolver resolver(int port) throws Exception {
    SimpleResolver resolver = new SimpleResolver(LOOPBACK);
    resolver.setPort(port);
    resolver.setTimeout(Duration.ofSeconds(5));
    return resolver;
  }
}
