package dev.cascade.publisher.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.publisher.domain.DnsResponder;
import dev.cascade.publisher.domain.NotifyTarget;
import dev.cascade.publisher.domain.SecondaryFetches;
import dev.cascade.publisher.domain.ServedZones;
import dev.cascade.publisher.domain.TestRecords;
import dev.cascade.publisher.domain.TransferAcl;
import dev.cascade.publisher.domain.TransferLimit;
import dev.cascade.publisher.domain.ZoneSnapshot;
import dev.cascade.testinfra.FreePort;
import dev.cascade.testinfra.dns.KnotSecondary;
import dev.cascade.testinfra.dns.TsigSecret;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * TSIG (RFC 8945) on the publication server, with real clients from Debian: {@code kdig -y} transfers with the key
 * the ACL names (every message of the multi-message AXFR signed and verified), with a wrong secret (NOTAUTH, BADSIG)
 * and unsigned (REFUSED); and a {@code knotd} secondary that pulls the zone with the key after our signed NOTIFY.
 */
class TsigTransferTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String ZONE = "example.test.";
  /** 32 random octets, base64, as tsig-keygen makes them for HMAC-SHA256 (RFC 8945 §6: at least the HMAC length). */
  private static final String SECRET = "q0b8CDbTQxGkvMvuFJbz3yjB3XcBx0OTqaDl8e0lCuk=";
  private static final TsigKey KEY = TsigKey.parse("hmac-sha256:xfr-key:" + SECRET);
  private static final TsigKeys KEYRING = name -> name.equals(KEY.name()) ? Optional.of(KEY) : Optional.empty();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final ServedZones zones = new ServedZones(5, 20);
  private DnsServer primary;
  private Notifier notifier;
  private KnotSecondary knotd;

  @BeforeEach
  void start() throws Exception {
    // About 1,000 TXT records of 200 octets: over 200 KB, so the AXFR takes several 64 KiB messages.
    zones.install(TestRecords.snapshot(ZONE, "v1", 2026120701, 1000));
    primary = DnsServer.start("primary", LOOPBACK, 0, new DnsResponder(zones,
        TransferAcl.of(List.of("127.0.0.1^xfr-key")), new TransferLimit(10), new SecondaryFetches(Clock.systemUTC()),
        KEYRING, Clock.systemUTC()));
  }

  @AfterEach
  void stop() throws Exception {
    if (knotd != null) {
      knotd.close();
    }
    if (notifier != null) {
      notifier.stop();
    }
    primary.close();
  }

  @Test
  void kdigWithTheKeyGetsTheWholeZoneSigned() throws Exception {
    String out = kdig("-y", "hmac-sha256:xfr-key:" + SECRET, "+tcp", ZONE, "AXFR");
    assertFalse(out.contains("WARNING") || out.contains("failed"), summary(out));
    assertEquals(1000 + TestRecords.zone(ZONE, 2026120701, 0).size() + 1, answerLines(out), summary(out));
    long messages0 = out.lines().filter(line -> line.contains("\tTSIG\t")).count();
    assertTrue(out.contains("(" + messages0 + " messages,"), "kdig shows the TSIG RR of every message:\n"
        + summary(out));

    // Every message, not only the first and the last: read off the wire and verified in sequence (§5.3.1).
    List<Message> messages = new ArrayList<>();
    Message query = Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.AXFR, DClass.IN));
    query.setTSIG(KEY.tsig());
    byte[] queryWire = query.toWire(65535);
    TSIG.StreamVerifier verifier = new TSIG.StreamVerifier(KEY.tsig(), new Message(queryWire).getTSIG());
    try (Socket socket = new Socket(LOOPBACK, primary.port())) {
      DataOutputStream out2 = new DataOutputStream(socket.getOutputStream());
      out2.writeShort(queryWire.length);
      out2.write(queryWire);
      out2.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int soas = 0;
      while (soas < 2) {
        byte[] wire = new byte[in.readUnsignedShort()];
        in.readFully(wire);
        Message message = new Message(wire);
        assertNotNull(message.getTSIG(), "message " + (messages.size() + 1) + " is signed");
        assertEquals(Rcode.NOERROR, verifier.verify(message, wire), "message " + (messages.size() + 1));
        soas += (int) message.getSection(Section.ANSWER).stream().filter(r -> r instanceof SOARecord).count();
        messages.add(message);
      }
    }
    assertTrue(messages.size() > 2, "a multi-message AXFR: " + messages.size());
  }

  @Test
  void aWrongSecretGetsNotauthAndNoKeyGetsRefused() throws Exception {
    String wrongSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    String wrong = kdig("-y", "hmac-sha256:xfr-key:" + wrongSecret, "+tcp", ZONE, "AXFR");
    assertTrue(wrong.contains("server replied with error 'BADSIG'"), wrong);
    String unknown = kdig("-y", "hmac-sha256:other-key:" + SECRET, "+tcp", ZONE, "AXFR");
    assertTrue(unknown.contains("server replied with error 'BADKEY'"), unknown);
    // kdig names the TSIG error only; the RCODE is NOTAUTH (RFC 8945 §5.2), the TSIG RR unsigned.
    Message badSig = exchange(TsigKey.parse("xfr-key:" + wrongSecret));
    assertEquals(Rcode.NOTAUTH, badSig.getRcode());
    assertEquals(Rcode.BADSIG, badSig.getTSIG().getError());
    assertEquals(0, badSig.getTSIG().getSignature().length);
    String unsigned = kdig("+tcp", ZONE, "AXFR");
    assertTrue(unsigned.contains("REFUSED"), unsigned);
    // The SOA query a secondary checks the serial with is the ACL's too.
    String soa = kdig(ZONE, "SOA");
    assertTrue(soa.contains("REFUSED"), soa);
    String signedSoa = kdig("-y", "hmac-sha256:xfr-key:" + SECRET, ZONE, "SOA");
    assertTrue(signedSoa.contains("NOERROR") && signedSoa.contains("2026120701"), signedSoa);
  }

  @Test
  void knotPullsWithTheKeyAfterOurSignedNotify() throws Exception {
    knotd = KnotSecondary.start(dir, Name.fromString(ZONE), "127.0.0.1", FreePort.next(),
        new InetSocketAddress(LOOPBACK, primary.port()), Optional.of(TsigSecret.parse("hmac-sha256:xfr-key:" + SECRET)),
        OptionalInt.empty());
    int knotPort = knotd.port();
    notifier = new Notifier(List.of(NotifyTarget.parse("127.0.0.1:" + knotPort + "^xfr-key")), KEYRING,
        Notifier.FIRST_TIMEOUT, Clock.systemUTC());
    notifier.start();
    knotd.awaitLog("AXFR, incoming", "finished", (int) WAIT.toSeconds());

    ZoneSnapshot v1 = zones.get(Name.fromString(ZONE)).orElseThrow();
    List<Record> v2 = new ArrayList<>();
    for (Record r : v1.records().toRecords()) {
      if (r instanceof SOARecord soa) {
        v2.add(new SOARecord(soa.getName(), soa.getDClass(), soa.getTTL(), soa.getHost(), soa.getAdmin(), 2026120702,
            soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum()));
      } else {
        v2.add(r);
      }
    }
    v2.add(new TXTRecord(Name.fromString("added." + ZONE), DClass.IN, 300, "after a signed NOTIFY"));
    zones.install(ZoneSnapshot.of(Name.fromString(ZONE), "v2", v2));
    notifier.published(zones.get(Name.fromString(ZONE)).orElseThrow().soa());

    knotd.awaitLog("notify, incoming", "serial 2026120702", (int) WAIT.toSeconds());
    knotd.awaitLog("zone updated", "-> 2026120702", (int) WAIT.toSeconds());
    assertFalse(knotd.log().contains("TSIG"), "no TSIG error in knotd's log:\n" + knotd.log());
    String served = kdig("-p", String.valueOf(knotPort), "-y", "hmac-sha256:xfr-key:" + SECRET, "+tcp", ZONE, "AXFR");
    assertTrue(served.contains("after a signed NOTIFY"), summary(served));
    assertEquals(new HashSet<>(v2).size() + 1, answerLines(served), summary(served));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!"answered".equals(notifier.outcomes().get(0).state()) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Notifier.Outcome notify = notifier.outcomes().get(0);
    assertEquals("answered", notify.state(), "knotd's signed answer verified");
    assertEquals("NOERROR", notify.rcode());
  }

  /** One AXFR query signed with {@code key} over TCP, and the first message of the answer. */
  private Message exchange(TsigKey key) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.AXFR, DClass.IN));
    query.setTSIG(key.tsig());
    byte[] wire = query.toWire(65535);
    try (Socket socket = new Socket(LOOPBACK, primary.port())) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return new Message(answer);
    }
  }

  /** kdig against the primary (unless the arguments name another port), its output. */
  private String kdig(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("kdig", "@127.0.0.1"));
    if (!List.of(args).contains("-p")) {
      command.addAll(List.of("-p", String.valueOf(primary.port())));
    }
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "kdig hangs");
    return out;
  }

  /**
   * The records of a kdig transfer: lines that are neither comments nor empty nor the TSIG RR kdig prints of each
   * message, the closing SOA included.
   */
  private static long answerLines(String out) {
    return out.lines().filter(line -> !line.isBlank() && !line.startsWith(";") && !line.contains("\tTSIG\t")).count();
  }

  /** kdig's summary lines and TSIG RRs, for assertion messages: a transfer's output is some 200 KB. */
  private static String summary(String out) {
    return String.join("\n", out.lines().filter(line -> line.startsWith(";") || line.contains("\tTSIG\t")).toList());
  }
}
