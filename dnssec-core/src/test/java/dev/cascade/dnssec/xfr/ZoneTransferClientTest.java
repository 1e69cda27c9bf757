package dev.cascade.dnssec.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.testinfra.dns.NamedPrimary;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** Refreshes against a real primary (named), and against a fake one that cuts its AXFR off. */
class ZoneTransferClientTest {

  private static final Name ZONE = Name.fromConstantString("example.");
  private static final String ZONE_TEXT = """
      $TTL 300
      @ IN SOA ns1.example. hostmaster.example. 1 2 1 4 300
      @ IN NS ns1.example.
      ns1 IN A 192.0.2.1
      www IN A 192.0.2.2
      """;

  private final ZoneTransferClient client = new ZoneTransferClient(Duration.ofSeconds(2));

  @TempDir Path dir;

  @Test
  void firstAxfrThenCurrentThenIxfrEqualToAnAxfr() throws Exception {
    try (NamedPrimary named = NamedPrimary.start(dir, ZONE, ZONE_TEXT)) {
      ZoneTransferClient.Transferred first = assertInstanceOf(ZoneTransferClient.Transferred.class,
          client.refresh(ZONE, named.address(), null, -1, false, null));
      assertEquals("AXFR", first.kind());
      assertEquals(1, first.soa().getSerial());
      assertEquals(4, first.records().size());

      assertInstanceOf(ZoneTransferClient.Current.class,
          client.refresh(ZONE, named.address(), first.records(), 1, false, null));

      named.update("update add new.example. 300 A 192.0.2.9", "update delete www.example. A");
      ZoneTransferClient.Transferred second = assertInstanceOf(ZoneTransferClient.Transferred.class,
          client.refresh(ZONE, named.address(), first.records(), 1, false, null));
      assertEquals("IXFR", second.kind(), named.log());
      assertEquals(2, second.soa().getSerial());
      assertTrue(second.records().contains(new ARecord(Name.fromConstantString("new.example."), DClass.IN, 300,
          InetAddress.getByName("192.0.2.9"))));

      ZoneTransferClient.Transferred full = assertInstanceOf(ZoneTransferClient.Transferred.class,
          client.refresh(ZONE, named.address(), second.records(), 2, true, null));
      assertEquals("AXFR", full.kind());
      assertEquals(wire(full.records()), wire(second.records()));
    }
  }

  @Test
  void aZoneThePrimaryDoesNotServeIsRefused() throws Exception {
    try (NamedPrimary named = NamedPrimary.start(dir, ZONE, ZONE_TEXT)) {
      ZoneTransferClient.Failed failed = assertInstanceOf(ZoneTransferClient.Failed.class,
          client.refresh(Name.fromConstantString("other.example."), named.address(), null, -1, false, null));
      assertEquals(TransferFailure.Cause.REFUSED, failed.failure().cause(), failed.failure().toString());
    }
  }

  @Test
  void aStoppedPrimaryTimesOut() throws Exception {
    InetSocketAddress address;
    try (NamedPrimary named = NamedPrimary.start(dir, ZONE, ZONE_TEXT)) {
      address = named.address();
    }
    ZoneTransferClient.Failed failed = assertInstanceOf(ZoneTransferClient.Failed.class,
        new ZoneTransferClient(Duration.ofMillis(500)).refresh(ZONE, address, null, -1, false, null));
    assertTrue(Set.of(TransferFailure.Cause.TIMEOUT, TransferFailure.Cause.UNREACHABLE)
        .contains(failed.failure().cause()), failed.failure().toString());
  }

  /** A primary that answers the SOA query, then sends half of its AXFR answer and closes the connection. */
  @Test
  void aTransferCutOffHalfwayIsMalformedAndYieldsNothing() throws Exception {
    SOARecord soa = new SOARecord(ZONE, DClass.IN, 300, Name.fromConstantString("ns1.example."),
        Name.fromConstantString("hostmaster.example."), 7, 2, 1, 4, 300);
    try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try {
          byte[] buffer = new byte[512];
          DatagramPacket query = new DatagramPacket(buffer, buffer.length);
          udp.receive(query);
          Message answer = answer(new Message(query.getData()), soa);
          byte[] wire = answer.toWire();
          udp.send(new DatagramPacket(wire, wire.length, query.getSocketAddress()));
          try (Socket connection = tcp.accept()) {
            byte[] length = connection.getInputStream().readNBytes(2);
            Message axfr = new Message(connection.getInputStream().readNBytes(((length[0] & 0xff) << 8)
                | (length[1] & 0xff)));
            byte[] whole = answer(axfr, soa).toWire();
            OutputStream out = connection.getOutputStream();
            out.write(new byte[] {(byte) (whole.length >> 8), (byte) whole.length});
            out.write(whole, 0, whole.length / 2);
            out.flush();
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      server.start();
      ZoneTransferClient.Failed failed = assertInstanceOf(ZoneTransferClient.Failed.class,
          client.refresh(ZONE, new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()), null,
              -1, false, null));
      assertEquals(TransferFailure.Cause.MALFORMED, failed.failure().cause(), failed.failure().toString());
      server.join(5000);
    }
  }

  @Test
  void aDifferenceThatDeletesWhatIsNotHeldIsMalformed() throws Exception {
    ZoneTransferIn.Delta delta = deltaOf(1, 2);
    delta.deletes.add(new ARecord(Name.fromConstantString("gone.example."), DClass.IN, 300,
        InetAddress.getByName("192.0.2.5")));
    ZoneTransferClient.FailedException e = org.junit.jupiter.api.Assertions.assertThrows(
        ZoneTransferClient.FailedException.class, () -> ZoneTransferClient.applyDeltas(List.of(), 1, List.of(delta)));
    assertEquals(TransferFailure.Cause.MALFORMED, e.failure.cause());
  }

  /** RFC 1982: a serial that wrapped around past 2^32 is newer; the one held again is current. */
  @Test
  void aSerialThatWrappedAroundIsNewer() throws Exception {
    String wrapped = ZONE_TEXT.replace(" 1 2 1 4 300", " 4294967295 2 1 4 300");
    try (NamedPrimary named = NamedPrimary.start(dir, ZONE, wrapped)) {
      ZoneTransferClient.Transferred first = assertInstanceOf(ZoneTransferClient.Transferred.class,
          client.refresh(ZONE, named.address(), null, -1, false, null));
      named.update("update add new.example. 300 A 192.0.2.9");
      ZoneTransferClient.Transferred second = assertInstanceOf(ZoneTransferClient.Transferred.class,
          client.refresh(ZONE, named.address(), first.records(), 4294967295L, false, null));
      assertEquals("IXFR", second.kind());
      // named's update skips serial 0 when the serial wraps (BIND's serial-update-method increment).
      assertEquals(1, second.soa().getSerial());
    }
  }

  private static ZoneTransferIn.Delta deltaOf(long start, long end) throws Exception {
    var constructor = ZoneTransferIn.Delta.class.getDeclaredConstructor();
    constructor.setAccessible(true);
    ZoneTransferIn.Delta delta = constructor.newInstance();
    delta.start = start;
    delta.end = end;
    return delta;
  }

  private static Message answer(Message query, SOARecord soa) {
    Message answer = new Message(query.getHeader().getID());
    answer.getHeader().setFlag(Flags.QR);
    answer.getHeader().setFlag(Flags.AA);
    answer.addRecord(query.getQuestion(), Section.QUESTION);
    answer.addRecord(soa, Section.ANSWER);
    if (query.getQuestion().getType() == Type.AXFR) {
      for (int i = 0; i < 20; i++) {
        answer.addRecord(new ARecord(Name.fromConstantString("h" + i + ".example."), DClass.IN, 300,
            InetAddress.getLoopbackAddress()), Section.ANSWER);
      }
      answer.addRecord(soa, Section.ANSWER);
    }
    return answer;
  }

  private static Set<String> wire(List<Record> records) {
    Set<String> texts = new HashSet<>();
    records.forEach(r -> texts.add(r.toString()));
    return texts;
  }
}
