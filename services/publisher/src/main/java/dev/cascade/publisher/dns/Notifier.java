package dev.cascade.publisher.dns;

import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.publisher.config.PublisherConfig;
import dev.cascade.publisher.domain.NotifyMessages;
import dev.cascade.publisher.domain.NotifyTarget;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TSIGRecord;

/**
 * Sends a NOTIFY (RFC 1996) to every {@code send-notify-to} secondary when a zone gets a new published serial, over
 * UDP from one socket, and sends it again until the secondary answers: after 2 s, then twice as long each time up to
 * RFC 1996 §3.6's 60 s interval, at most 5 times again (§3.6's default; the reference sends one retry after 1 s and
 * has no queue). A newer serial of the zone takes the place of the one still being sent. Each exchange's outcome is
 * kept per zone and secondary for {@code GET /zones}. When every secondary's NOTIFY of one serial has ended (answered,
 * given up, or not sent), or a newer serial replaced it, the round is handed to {@link #onRoundEnded}'s listener once:
 * a line of zone history per round, not per packet.
 *
 * <p>A secondary listed with a TSIG key ({@code <IP>[:<PORT>]^<key>}) gets its NOTIFY signed with that key (RFC 8945),
 * and only a signed answer that verifies ends the exchange (§5.3: a server answers a signed request signed). A key the
 * keyring does not have (not added, or its secret not unwrapped here) leaves the NOTIFY unsent, with an error logged:
 * an unsigned NOTIFY would only be refused.
 */
@ApplicationScoped
public class Notifier {

  private static final Logger LOG = Logger.getLogger(Notifier.class);

  /** RFC 1996 §3.6: "a maximum of 5 retransmissions (for UDP)". */
  static final int RETRANSMISSIONS = 5;

  /** The first wait for an answer: 2 s, a LAN or continental round trip many times over; no official reference. */
  static final Duration FIRST_TIMEOUT = Duration.ofSeconds(2);

  /** RFC 1996 §3.6: "a 60 second interval". */
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

  /** Largest response read; a NOTIFY answer echoes the question and holds little else. */
  private static final int MAX_RESPONSE = 4096;

  /**
   * How the latest NOTIFY of a zone to one secondary went.
   *
   * @param zone the apex
   * @param target the secondary
   * @param serial the serial notified
   * @param sends how often it was sent so far
   * @param state {@code sent} while no answer came, {@code answered}, or {@code unanswered} after the last try;
   *     {@code unsent} when its TSIG key is missing
   * @param rcode the secondary's RCODE once it answered (RFC 1996 §4.7: NOERROR; anything else is its refusal), or
   *     why it was not sent
   * @param at when the state was reached
   */
  public record Outcome(String zone, String target, long serial, int sends, String state, String rcode, Instant at) {}

  /**
   * One ended round: the NOTIFYs of {@code serial} of {@code zone} to every secondary, in {@code send-notify-to}'s
   * order, each {@code answered}, {@code unanswered}, {@code unsent} or {@code superseded} by a newer serial.
   */
  public record Round(String zone, long serial, List<Outcome> notifies) {}

  private record Key(Name zone, NotifyTarget target) {}

  /**
   * One NOTIFY on the wire, waiting for its answer.
   *
   * @param signedWith the key it was signed with, or null
   */
  private record Pending(Key key, SOARecord soa, Message message, int sends, TsigKey signedWith) {}

  private final List<NotifyTarget> targets;
  private final TsigKeys keys;
  private final Duration firstTimeout;
  private final Clock clock;
  /** Message IDs, random (RFC 5452 §9.2, against spoofed answers) and unique among the NOTIFYs in flight. */
  private final SecureRandom ids = new SecureRandom();
  private final ConcurrentMap<Integer, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentMap<Key, Outcome> outcomes = new ConcurrentHashMap<>();
  /** The serial of each zone's last ended round, so that each round is handed on once; guarded by {@code this}. */
  private final Map<Name, Long> ended = new HashMap<>();
  private volatile Consumer<Round> roundListener = round -> { };
  private ScheduledExecutorService timer;
  private DatagramSocket socket;
  private volatile boolean running;

  @Inject
  public Notifier(PublisherConfig config, TsigKeys keys, Clock clock) {
    this(config.sendNotifyTo().orElse(List.of()).stream()
        .filter(entry -> !entry.isBlank()).map(NotifyTarget::parse).toList(), keys, FIRST_TIMEOUT, clock);
  }

  /**
   * @param keys the keys NOTIFYs to targets with a key are signed with
   * @param firstTimeout the first wait for an answer (shorter in tests), doubled up to {@link #MAX_TIMEOUT}
   */
  Notifier(List<NotifyTarget> targets, TsigKeys keys, Duration firstTimeout, Clock clock) {
    this.targets = List.copyOf(targets);
    this.keys = keys;
    this.firstTimeout = firstTimeout;
    this.clock = clock;
  }

  /** Before the other start observers: the publisher's restore notifies the secondaries of every zone it serves. */
  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  synchronized void start() {
    if (targets.isEmpty()) {
      return;
    }
    try {
      socket = new DatagramSocket();
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot open a UDP socket to send NOTIFY from", e);
    }
    running = true;
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "notify-timer"));
    daemon(this::receive, "notify-answers").start();
    LOG.infof("NOTIFY goes to %s", targets);
  }

  synchronized void stop() {
    running = false;
    if (timer != null) {
      timer.shutdownNow();
      socket.close();
    }
  }

  /** Hands every ended round to {@code listener} from now on (the pipeline, which announces it). */
  public void onRoundEnded(Consumer<Round> listener) {
    roundListener = listener;
  }

  /** Notifies every secondary of {@code soa}'s serial, the zone's newly published one. */
  public void published(SOARecord soa) {
    if (!running) {
      return;
    }
    supersede(soa.getName(), soa.getSerial());
    for (NotifyTarget target : targets) {
      send(new Key(soa.getName(), target), soa, 1);
    }
  }

  /** The latest NOTIFY of each zone to each secondary, by zone and secondary. */
  public List<Outcome> outcomes() {
    return outcomes.values().stream()
        .sorted(Comparator.comparing(Outcome::zone).thenComparing(Outcome::target)).toList();
  }

  private void send(Key key, SOARecord soa, int sends) {
    Outcome latest = outcomes.get(key);
    if (sends > 1 && (latest == null || latest.serial() != soa.getSerial() || !latest.state().equals("sent"))) {
      return;
    }
    TsigKey signer = null;
    if (key.target().key().isPresent()) {
      Optional<TsigKey> found = keys.find(key.target().key().get());
      if (found.isEmpty()) {
        LOG.errorf("zone %s: NOTIFY of serial %d to %s not sent: TSIG key %s is not in the keyring", key.zone(),
            soa.getSerial(), key.target(), TsigKey.displayName(key.target().key().get()));
        outcomes.put(key, outcome(key, soa, sends, "unsent", "no TSIG key"));
        endRoundIfDone(key.zone());
        return;
      }
      signer = found.get();
    }
    int id;
    Message message;
    do {
      id = ids.nextInt(0x10000);
      message = NotifyMessages.notify(id, soa);
    } while (pending.putIfAbsent(id, new Pending(key, soa, message, sends, signer)) != null);
    outcomes.put(key, outcome(key, soa, sends, "sent", null));
    if (signer != null) {
      signer.tsig(clock).apply(message, null);
    }
    byte[] wire = message.toWire();
    try {
      socket.send(new DatagramPacket(wire, wire.length, key.target().address()));
    } catch (IOException e) {
      LOG.warnf("zone %s: NOTIFY of serial %d to %s not sent: %s", key.zone(), soa.getSerial(), key.target(),
          e.getMessage());
    }
    long timeout = Math.min(firstTimeout.toMillis() << (sends - 1), MAX_TIMEOUT.toMillis());
    int sent = id;
    timer.schedule(() -> timedOut(sent), timeout, TimeUnit.MILLISECONDS);
  }

  private void timedOut(int id) {
    Pending waiting = pending.remove(id);
    if (waiting == null) {
      return;
    }
    if (waiting.sends() <= RETRANSMISSIONS) {
      send(waiting.key(), waiting.soa(), waiting.sends() + 1);
      return;
    }
    boolean[] gaveUp = {false};
    outcomes.computeIfPresent(waiting.key(), (key, current) -> {
      gaveUp[0] = stillSending(current, waiting);
      return gaveUp[0] ? outcome(key, waiting.soa(), waiting.sends(), "unanswered", null) : current;
    });
    if (gaveUp[0]) {
      LOG.warnf("zone %s: NOTIFY of serial %d to %s unanswered after %d sends", waiting.key().zone(),
          waiting.soa().getSerial(), waiting.key().target(), waiting.sends());
      endRoundIfDone(waiting.key().zone());
    }
  }

  private void receive() {
    byte[] buffer = new byte[MAX_RESPONSE];
    while (running) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      Message response;
      byte[] wire;
      try {
        socket.receive(packet);
        wire = Arrays.copyOf(packet.getData(), packet.getLength());
        response = new Message(wire);
      } catch (IOException | RuntimeException e) {
        if (running) {
          LOG.debugf("NOTIFY answer not read: %s", e.getMessage());
        }
        continue;
      }
      Pending answered = pending.get(response.getHeader().getID());
      if (answered == null || !answered.key().target().address().equals(packet.getSocketAddress())
          || !NotifyMessages.answers(response, answered.message())
          || !verified(response, wire, answered)
          || !pending.remove(response.getHeader().getID(), answered)) {
        continue;
      }
      String rcode = Rcode.string(response.getRcode());
      outcomes.computeIfPresent(answered.key(), (key, current) -> stillSending(current, answered)
          ? outcome(key, answered.soa(), answered.sends(), "answered", rcode) : current);
      endRoundIfDone(answered.key().zone());
      if (response.getRcode() == Rcode.NOERROR) {
        LOG.debugf("zone %s: NOTIFY of serial %d answered by %s", answered.key().zone(), answered.soa().getSerial(),
            answered.key().target());
      } else {
        LOG.warnf("zone %s: NOTIFY of serial %d answered %s by %s", answered.key().zone(),
            answered.soa().getSerial(), rcode, answered.key().target());
      }
    }
  }

  /**
   * Whether the answer to a signed NOTIFY is signed with its key and verifies (RFC 8945 §5.3); an answer to an
   * unsigned NOTIFY needs no TSIG. A failure is logged and the NOTIFY is sent again, as if unanswered.
   */
  private boolean verified(Message response, byte[] wire, Pending answered) {
    if (answered.signedWith() == null) {
      return true;
    }
    if (response.getRcode() == Rcode.NOTAUTH && response.getTSIG() != null) {
      // RFC 8945 §5.3.2: a secondary that refused our TSIG (BADKEY, BADSIG) cannot sign its answer; it is its word.
      LOG.warnf("zone %s: %s refused the TSIG of the NOTIFY of serial %d: %s", answered.key().zone(),
          answered.key().target(), answered.soa().getSerial(), Rcode.TSIGstring(response.getTSIG().getError()));
      return true;
    }
    TSIGRecord sent = answered.message().getTSIG();
    int result = response.getTSIG() == null ? Rcode.FORMERR
        : answered.signedWith().tsig(clock).verify(response, wire, sent);
    if (result != Rcode.NOERROR) {
      LOG.warnf("zone %s: answer from %s to the NOTIFY of serial %d ignored: TSIG %s", answered.key().zone(),
          answered.key().target(), answered.soa().getSerial(),
          response.getTSIG() == null ? "missing" : Rcode.TSIGstring(result));
    }
    return result == Rcode.NOERROR;
  }

  /** Hands on the zone's round once every secondary's NOTIFY of one serial has ended, unless it was handed on. */
  private synchronized void endRoundIfDone(Name zone) {
    List<Outcome> round = targets.stream().map(target -> outcomes.get(new Key(zone, target))).toList();
    if (round.contains(null)) {
      return;
    }
    long serial = round.get(0).serial();
    if (round.stream().allMatch(o -> o.serial() == serial && !o.state().equals("sent"))) {
      hand(zone, serial, round);
    }
  }

  /**
   * Ends the zone's round still being sent, if its serial is not {@code newSerial}: the NOTIFYs not ended yet are
   * {@code superseded}, as the new serial's NOTIFYs take their place.
   */
  private synchronized void supersede(Name zone, long newSerial) {
    List<Outcome> round = targets.stream().map(target -> outcomes.get(new Key(zone, target))).toList();
    Optional<Long> sending = round.stream()
        .filter(o -> o != null && o.state().equals("sent") && o.serial() != newSerial)
        .map(Outcome::serial).findFirst();
    if (sending.isEmpty() || round.contains(null)) {
      return;
    }
    hand(zone, sending.get(), round.stream().map(o -> o.state().equals("sent") && o.serial() == sending.get()
        ? new Outcome(o.zone(), o.target(), o.serial(), o.sends(), "superseded", null, clock.instant()) : o)
        .toList());
  }

  private void hand(Name zone, long serial, List<Outcome> round) {
    if (Long.valueOf(serial).equals(ended.put(zone, serial))) {
      return;
    }
    try {
      roundListener.accept(new Round(zone.toString(), serial, round));
    } catch (RuntimeException e) {
      LOG.warnf(e, "zone %s: the NOTIFY round of serial %d could not be handed on", zone, serial);
    }
  }

  /** Whether {@code current} is the state of {@code exchange}, which no newer serial or answer has replaced. */
  private static boolean stillSending(Outcome current, Pending exchange) {
    return current.serial() == exchange.soa().getSerial() && current.sends() == exchange.sends()
        && current.state().equals("sent");
  }

  private Outcome outcome(Key key, SOARecord soa, int sends, String state, String rcode) {
    return new Outcome(key.zone().toString(), key.target().toString(), soa.getSerial(), sends, state, rcode,
        clock.instant());
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
