package dev.cascade.publisher.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.publisher.domain.NotifyMessages;
import dev.cascade.publisher.domain.NotifyTarget;
import dev.cascade.publisher.domain.TestRecords;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;

/**
 * NOTIFY over real UDP to a secondary played by a socket in the test, which answers as it is told to: the retries,
 * their end, which answer counts, and the round of one serial to every secondary that ends once. That real secondaries act on these NOTIFYs is {@link KnotSecondaryInteropTest}'s.
 */
class NotifierTest {

  private static final Duration FIRST_TIMEOUT = Duration.ofMillis(40);

  private final List<DatagramSocket> sockets = new ArrayList<>();
  private Notifier notifier;

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.stop();
    }
    sockets.forEach(DatagramSocket::close);
  }

  @Test
  void aSecondaryThatNeverAnswersGetsFiveRetransmissionsThenTheNotifyIsUnanswered() throws Exception {
    DatagramSocket silent = secondary();
    notifier = started(silent);
    notifier.published(soa(2026120701));

    List<Message> received = receive(silent, 7, Duration.ofSeconds(2));
    assertEquals(6, received.size(), "the NOTIFY and RFC 1996 §3.6's 5 retransmissions, no more");
    assertTrue(received.stream().allMatch(m -> m.getHeader().getOpcode() == Opcode.NOTIFY));
    assertEquals(6, received.stream().map(m -> m.getHeader().getID()).distinct().count(), "a fresh ID for each");
    Notifier.Outcome outcome = awaitState("unanswered");
    assertEquals(2026120701, outcome.serial());
    assertEquals(6, outcome.sends());
  }

  @Test
  void theAnswerToTheThirdSendEndsTheExchange() throws Exception {
    DatagramSocket secondary = secondary();
    notifier = started(secondary);
    notifier.published(soa(2026120702));

    List<Message> received = answering(secondary, count -> count == 3, Rcode.NOERROR, Duration.ofSeconds(2));
    assertEquals(3, received.size(), "nothing is sent once answered");
    Notifier.Outcome outcome = awaitState("answered");
    assertEquals(3, outcome.sends());
    assertEquals("NOERROR", outcome.rcode());
  }

  @Test
  void aRefusalIsAnAnswerAndIsKept() throws Exception {
    DatagramSocket secondary = secondary();
    notifier = started(secondary);
    notifier.published(soa(2026120703));

    answering(secondary, count -> true, Rcode.REFUSED, Duration.ofSeconds(1));
    assertEquals("REFUSED", awaitState("answered").rcode());
  }

  @Test
  void aNewerSerialTakesThePlaceOfTheOneStillBeingSent() throws Exception {
    DatagramSocket silent = secondary();
    notifier = started(silent);
    notifier.published(soa(2026120704));
    notifier.published(soa(2026120705));

    List<Message> received = receive(silent, 20, Duration.ofSeconds(2));
    assertEquals(7, received.size(), "one send of the old serial, then the new one and its 5 retransmissions");
    assertEquals(6, received.stream().filter(m -> serial(m) == 2026120705).count());
    assertEquals(2026120705, awaitState("unanswered").serial());
  }

  @Test
  void aRoundEndsOnceWhenEverySecondaryAnsweredOrGaveUp() throws Exception {
    DatagramSocket answering = secondary();
    DatagramSocket silent = secondary();
    notifier = started(answering, silent);
    List<Notifier.Round> rounds = new CopyOnWriteArrayList<>();
    notifier.onRoundEnded(rounds::add);
    notifier.published(soa(2026120706));

    answering(answering, count -> count == 2, Rcode.NOERROR, Duration.ofMillis(500));
    receive(silent, 7, Duration.ofSeconds(2));
    awaitRounds(rounds, 1);
    Thread.sleep(200);
    assertEquals(1, rounds.size(), "one event per round, not per packet: " + rounds);
    Notifier.Round round = rounds.get(0);
    assertEquals("example.test.", round.zone());
    assertEquals(2026120706, round.serial());
    assertEquals(List.of("answered", "unanswered"), round.notifies().stream().map(Notifier.Outcome::state).toList());
    assertEquals(List.of(2, 6), round.notifies().stream().map(Notifier.Outcome::sends).toList());
    assertEquals("NOERROR", round.notifies().get(0).rcode());
    assertEquals("127.0.0.1:" + answering.getLocalPort(), round.notifies().get(0).target());
  }

  @Test
  void aNewerSerialEndsTheRoundStillBeingSentAsSuperseded() throws Exception {
    DatagramSocket silent = secondary();
    notifier = started(silent);
    List<Notifier.Round> rounds = new CopyOnWriteArrayList<>();
    notifier.onRoundEnded(rounds::add);
    notifier.published(soa(2026120707));
    notifier.published(soa(2026120708));

    receive(silent, 20, Duration.ofSeconds(2));
    awaitRounds(rounds, 2);
    assertEquals(List.of(2026120707L, 2026120708L), rounds.stream().map(Notifier.Round::serial).toList());
    assertEquals("superseded", rounds.get(0).notifies().get(0).state());
    assertEquals("unanswered", rounds.get(1).notifies().get(0).state());
  }

  private static void awaitRounds(List<Notifier.Round> rounds, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (rounds.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(count, rounds.size(), rounds.toString());
  }

  private Notifier started(DatagramSocket... secondaries) {
    List<NotifyTarget> targets = Arrays.stream(secondaries).map(secondary -> new NotifyTarget(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), secondary.getLocalPort()), Optional.empty())).toList();
    Notifier started = new Notifier(targets, name -> Optional.empty(), FIRST_TIMEOUT, Clock.systemUTC());
    started.start();
    return started;
  }

  private DatagramSocket secondary() throws Exception {
    DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    sockets.add(socket);
    return socket;
  }

  private static SOARecord soa(long serial) {
    return TestRecords.snapshot("example.test.", "v" + serial, serial, 0).soa();
  }

  private static long serial(Message notify) {
    return ((SOARecord) notify.getSection(1).get(0)).getSerial();
  }

  /** The NOTIFYs that arrive within {@code quiet} of each other, up to {@code max}. */
  private static List<Message> receive(DatagramSocket socket, int max, Duration quiet) throws Exception {
    return answering(socket, count -> false, Rcode.NOERROR, quiet, max);
  }

  private static List<Message> answering(DatagramSocket socket, IntPredicate answer, int rcode, Duration quiet)
      throws Exception {
    return answering(socket, answer, rcode, quiet, 100);
  }

  /** Receives NOTIFYs until none came for {@code quiet}, answering the n-th with {@code rcode} if {@code answer(n)}. */
  private static List<Message> answering(DatagramSocket socket, IntPredicate answer, int rcode, Duration quiet, int max)
      throws Exception {
    List<Message> received = new ArrayList<>();
    byte[] buffer = new byte[4096];
    socket.setSoTimeout((int) quiet.toMillis());
    while (received.size() < max) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        break;
      }
      Message notify = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
      received.add(notify);
      if (answer.test(received.size())) {
        Message response = new Message(notify.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(Opcode.NOTIFY);
        response.getHeader().setRcode(rcode);
        response.addRecord(notify.getQuestion(), 0);
        byte[] wire = response.toWire();
        assertTrue(NotifyMessages.answers(new Message(wire), notify));
        socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
      }
    }
    return received;
  }

  private Notifier.Outcome awaitState(String state) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<Notifier.Outcome> outcomes = notifier.outcomes();
      if (outcomes.size() == 1 && outcomes.get(0).state().equals(state)) {
        return outcomes.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no NOTIFY " + state + ": " + notifier.outcomes());
  }
}
