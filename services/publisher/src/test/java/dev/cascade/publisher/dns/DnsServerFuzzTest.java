package dev.cascade.publisher.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.publisher.domain.DnsResponder;
import dev.cascade.publisher.domain.SecondaryFetches;
import dev.cascade.publisher.domain.ServedZones;
import dev.cascade.publisher.domain.TestRecords;
import dev.cascade.publisher.domain.TransferAcl;
import dev.cascade.publisher.domain.TransferLimit;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * A seeded fuzzer for the publication server (issue 10, "Robustness"): the real {@link DnsServer} on UDP and TCP,
 * serving a zone, gets a few thousand malformed messages (random bytes, valid queries with bytes flipped, truncated
 * queries, oversize messages and length prefixes that lie over TCP, many open connections). After each batch it must
 * still answer a valid SOA query on both transports, and every answer it gave must parse: it answers or drops, never
 * crashes or sends garbage. The seed is random at each run, printed in every failure; {@code -Dcascade.fuzz.seed=N}
 * runs one again.
 */
class DnsServerFuzzTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Name ZONE = TestRecords.name("example.test.");
  private static final long SERIAL = 2026120801;
  private static final int UDP_BATCH = 1000;
  private static final int TCP_BATCH = 60;

  private final long seed = Long.getLong("cascade.fuzz.seed", new SecureRandom().nextLong());
  private final Random random = new Random(seed);
  private final ServedZones zones = new ServedZones(5, 20);
  private final List<byte[]> udpAnswers = new ArrayList<>();
  private DnsServer server;
  private DatagramSocket client;
  private Thread listener;

  @BeforeEach
  void start() throws Exception {
    zones.install(TestRecords.snapshot("example.test.", "v1", SERIAL, 50));
    server = DnsServer.start("fuzz", LOOPBACK, 0, new DnsResponder(zones,
        TransferAcl.of(List.of("127.0.0.1", "::1")), new TransferLimit(10), new SecondaryFetches(Clock.systemUTC()),
        name -> Optional.empty(), Clock.systemUTC()));
    client = new DatagramSocket(0, LOOPBACK);
    // Every UDP answer to the fuzzed queries is kept, to be parsed at the end.
    listener = new Thread(() -> {
      byte[] buffer = new byte[65535];
      while (!client.isClosed()) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          client.receive(packet);
          synchronized (udpAnswers) {
            udpAnswers.add(Arrays.copyOf(packet.getData(), packet.getLength()));
          }
        } catch (IOException e) {
          return;
        }
      }
    }, "fuzz-udp-answers");
    listener.setDaemon(true);
    listener.start();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    listener.join(1000);
    server.close();
  }

  @Test
  void malformedMessagesAreAnsweredOrDroppedAndTheServerKeepsServing() throws Exception {
    AtomicInteger tcpAnswers = new AtomicInteger();
    udpBatch(() -> randomBytes(random.nextInt(600)));
    stillServing("random bytes over UDP");
    udpBatch(() -> flipped(validQuery()));
    stillServing("valid queries with bytes flipped over UDP");
    udpBatch(() -> truncated(validQuery()));
    stillServing("truncated queries over UDP");

    for (int i = 0; i < TCP_BATCH; i++) {
      tcpAnswers.addAndGet(tcp(framed(flipped(validQuery())), true));
      tcpAnswers.addAndGet(tcp(framed(randomBytes(random.nextInt(300))), true));
    }
    stillServing("flipped and random messages over TCP");
    for (int i = 0; i < TCP_BATCH / 4; i++) {
      // Oversize: a 65535-octet message, the largest a length prefix can announce (RFC 1035 §4.2.2).
      tcpAnswers.addAndGet(tcp(framed(randomBytes(65535)), true));
      // A prefix that promises more than comes, then the connection closes.
      byte[] query = validQuery();
      tcpAnswers.addAndGet(tcp(lyingPrefix(query, query.length + 1 + random.nextInt(1000)), false));
      // A prefix that promises less than comes: the rest is read as the next message's prefix and body.
      tcpAnswers.addAndGet(tcp(lyingPrefix(query, Math.max(0, query.length - 1 - random.nextInt(query.length))),
          true));
      tcpAnswers.addAndGet(tcp(truncated(framed(validQuery())), false));
    }
    stillServing("oversize, truncated and lying TCP messages");

    // Many connections at once, each sending half a length prefix and keeping quiet: UDP is served meanwhile; TCP
    // once they are gone (a connection holds one of the server's TCP slots until its idle timeout).
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        Socket socket = new Socket(LOOPBACK, server.port());
        socket.getOutputStream().write(random.nextInt(256));
        open.add(socket);
      }
      assertSoa(false, "while 100 TCP connections are open");
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
    // The server's connection threads see the end of each stream and give their slots back.
    Thread.sleep(200);
    stillServing("100 open TCP connections, closed");

    Thread.sleep(200);
    List<byte[]> answers;
    synchronized (udpAnswers) {
      answers = List.copyOf(udpAnswers);
    }
    for (byte[] answer : answers) {
      parses(answer, "a UDP answer");
    }
    assertTrue(answers.size() + tcpAnswers.get() > 0, seed() + ": the server answered some of the fuzz");
  }

  private String seed() {
    return "seed " + seed + " (-Dcascade.fuzz.seed=" + seed + ")";
  }

  /** Sends a batch of UDP messages, then waits until the answers stop coming: the server has worked through it. */
  private void udpBatch(Supplier<byte[]> messages) throws Exception {
    InetSocketAddress to = new InetSocketAddress(LOOPBACK, server.port());
    for (int i = 0; i < UDP_BATCH; i++) {
      byte[] message = messages.get();
      client.send(new DatagramPacket(message, message.length, to));
    }
    int before = -1;
    while (before != answered()) {
      before = answered();
      Thread.sleep(100);
    }
  }

  private int answered() {
    synchronized (udpAnswers) {
      return udpAnswers.size();
    }
  }

  /**
   * Sends {@code bytes} on a new connection, reads the framed answers until the server closes or is quiet, and
   * checks that each parses; returns how many came. {@code closeOutput}: half-close after sending.
   */
  private int tcp(byte[] bytes, boolean closeOutput) throws Exception {
    int answers = 0;
    try (Socket socket = new Socket(LOOPBACK, server.port())) {
      socket.setSoTimeout(50);
      socket.getOutputStream().write(bytes);
      if (closeOutput) {
        socket.shutdownOutput();
      }
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (SocketTimeoutException | EOFException e) {
          return answers;
        }
        byte[] answer = new byte[length];
        in.readFully(answer);
        parses(answer, "a TCP answer");
        answers++;
      }
    } catch (SocketException e) {
      // The server reset the connection: a drop.
      return answers;
    }
  }

  private void stillServing(String after) throws Exception {
    assertSoa(false, "after " + after);
    assertSoa(true, "after " + after);
  }

  /**
   * A valid SOA query is answered: over TCP at once; over UDP as a resolver asks, again after a timeout, three times
   * at most, since a datagram sent while the server still works through a flood may be dropped with the rest.
   */
  private void assertSoa(boolean tcp, String when) throws Exception {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(LOOPBACK, server.port()));
    resolver.setTimeout(Duration.ofSeconds(2));
    resolver.setTCP(tcp);
    String what = seed() + ": SOA over " + (tcp ? "TCP " : "UDP ") + when;
    Message answer = null;
    for (int attempt = 1; answer == null; attempt++) {
      try {
        answer = resolver.send(Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN)));
      } catch (IOException e) {
        if (tcp || attempt == 3) {
          throw new AssertionError(what + ": no answer after " + attempt + " attempt(s): " + e.getMessage(), e);
        }
      }
    }
    assertEquals(Rcode.NOERROR, answer.getRcode(), what);
    List<Record> records = answer.getSection(Section.ANSWER);
    assertEquals(1, records.size(), what);
    assertEquals(SERIAL, ((SOARecord) records.get(0)).getSerial(), what);
  }

  private void parses(byte[] answer, String what) {
    try {
      Message message = new Message(answer);
      assertTrue(message.getHeader().getFlag(Flags.QR), seed() + ": " + what + " is not a response");
    } catch (WireParseException e) {
      throw new AssertionError(seed() + ": " + what + " does not parse: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new AssertionError(seed() + ": " + what + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** A well-formed query for a name in or near the zone, of a type a secondary or resolver asks, maybe with EDNS. */
  private byte[] validQuery() {
    int[] types = {Type.SOA, Type.A, Type.AAAA, Type.NS, Type.DNSKEY, Type.TXT, Type.AXFR, Type.IXFR, Type.ANY};
    Name[] names = {ZONE, TestRecords.name("www.example.test."), TestRecords.name("other.test."), Name.root};
    Message query = Message.newQuery(Record.newRecord(names[random.nextInt(names.length)],
        types[random.nextInt(types.length)], DClass.IN));
    query.getHeader().setID(random.nextInt(0x10000));
    if (random.nextBoolean()) {
      query.addRecord(new OPTRecord(1232, 0, 0, random.nextBoolean() ? 0x8000 : 0), Section.ADDITIONAL);
    }
    return query.toWire();
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** {@code message} with 1 to 5 random octets replaced. */
  private byte[] flipped(byte[] message) {
    byte[] copy = message.clone();
    for (int i = 1 + random.nextInt(5); i > 0 && copy.length > 0; i--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }

  /** {@code message} cut short at a random octet. */
  private byte[] truncated(byte[] message) {
    return Arrays.copyOf(message, random.nextInt(message.length));
  }

  /** {@code message} with its TCP length prefix (RFC 1035 §4.2.2). */
  private static byte[] framed(byte[] message) throws IOException {
    return lyingPrefix(message, message.length);
  }

  private static byte[] lyingPrefix(byte[] message, int length) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(out);
    data.writeShort(Math.min(length, 65535));
    data.write(message);
    return out.toByteArray();
  }
}
