package dev.cascade.systemtests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.systemtests.harness.CascadeService;
import dev.cascade.systemtests.harness.ChainServers;
import dev.cascade.systemtests.harness.Dns;
import dev.cascade.systemtests.harness.ExternalTool;
import dev.cascade.systemtests.harness.Operator;
import dev.cascade.systemtests.harness.Stack;
import dev.cascade.systemtests.harness.StackExtension;
import dev.cascade.systemtests.harness.ValidatingResolver;
import dev.cascade.systemtests.harness.ZoneFiles;
import dev.cascade.systemtests.harness.ZoneStatusView;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * The full chain of issue 10 ("Tests", first bullet), with real servers from Debian ({@link ChainServers}): named →
 * Cascade → knotd and nsd → unbound, TSIG on both legs, NOTIFY both ways. A record changed on the primary by
 * {@code nsupdate} reaches Cascade by IXFR, is signed and published, and both secondaries serve it signed, which
 * unbound validates. On the way, the cheap negative cases: a wrong key on either leg, an unlisted client and a
 * stranger's NOTIFY are refused, and a failing source leaves the last good version served.
 *
 * <p>With {@code -Dcascade.chain.changes=N} (bench/chain.sh) it then makes N changes and measures how long each takes
 * to be served, signed, by the knotd secondary (issue 10's target: a median of at most 1 s).
 */
@ExtendWith(StackExtension.class)
class ChainIT {

  private static final String ZONE_NAME = "chain.e2e.test";
  private static final Name ZONE = Name.fromConstantString(ZONE_NAME + ".");
  /** REFRESH an hour: within the test every load comes from a NOTIFY, not from the timer. */
  static final String ZONE_TEXT =
      """
      $ORIGIN chain.e2e.test.
      $TTL 60
      @      IN SOA   ns1.chain.e2e.test. hostmaster.chain.e2e.test. 2026120801 3600 600 86400 60
      @      IN NS    ns1.chain.e2e.test.
      ns1    IN A     127.0.0.1
      www    IN A     192.0.2.80
      """;
  private static final Duration PROPAGATION = Duration.ofSeconds(30);
  /** A client that provide-xfr-to does not list, and a stranger sending NOTIFYs: loopback, but not 127.0.0.1. */
  private static final String STRANGER = "127.0.0.9";

  @Test
  void aChangeOnTheNamedPrimaryIsServedSignedByKnotAndNsdAndValidatedByUnbound(Stack stack) throws Exception {
    Operator operator = new Operator(stack);
    Path directory = stack.testDirectory("chain");
    try (ChainServers chain = ChainServers.start(stack, directory, ZONE, ZONE_TEXT, "default")) {
      Name www = Name.fromConstantString("www." + ZONE);
      assertValidated(chain.knotResolver(), www, Type.A);
      assertValidated(chain.nsdResolver(), www, Type.A);

      refusals(stack, chain);

      long before = operator.status(ZONE_NAME).publishedSignedSerial().orElseThrow();
      Name changed = Name.fromConstantString("changed." + ZONE);
      chain.primary().update("update add changed." + ZONE + " 60 TXT \"after nsupdate\"");
      chain.awaitSigned(ChainServers.KNOT, changed, Type.TXT, Duration.ofMillis(50), PROPAGATION);
      chain.awaitSigned(ChainServers.NSD, changed, Type.TXT, Duration.ofMillis(50), PROPAGATION);
      ZoneStatusView status = operator.status(ZONE_NAME);
      assertTrue(status.text().contains("last transfer in: IXFR of serial 2026120802"), status.text());
      long after = status.publishedSignedSerial().orElseThrow();
      assertTrue(after > before, status.text());
      chain.awaitSerial(ChainServers.KNOT, after, PROPAGATION);
      chain.awaitSerial(ChainServers.NSD, after, PROPAGATION);
      assertValidated(chain.knotResolver(), changed, Type.TXT);
      assertValidated(chain.nsdResolver(), changed, Type.TXT);
      verifyWhatKnotServes(stack, chain);

      int changes = Integer.getInteger("cascade.chain.changes", 0);
      if (changes > 0) {
        benchmark(chain, changes, directory.resolve("bench.txt"));
      }

      failingSource(operator, chain);
    }
  }

  /**
   * A wrong key and no key from a secondary's address get NOTAUTH and REFUSED, an unlisted client REFUSED (RFC 8945
   * §5.2, provide-xfr-to); a NOTIFY from a stranger is REFUSED and the publisher logs a warning naming it.
   */
  private static void refusals(Stack stack, ChainServers chain) throws Exception {
    String wrongSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    String wrong = kdig("-b", ChainServers.KNOT.getHostString(), "-y",
        ChainServers.SECONDARY_KEY.withSecret(wrongSecret).text(), "+tcp", ZONE.toString(), "AXFR");
    assertTrue(wrong.contains("BADSIG"), wrong);
    String unsigned = kdig("-b", ChainServers.KNOT.getHostString(), "+tcp", ZONE.toString(), "AXFR");
    assertTrue(unsigned.contains("REFUSED"), unsigned);
    String stranger = kdig("-b", STRANGER, "-y", ChainServers.SECONDARY_KEY.text(), "+tcp", ZONE.toString(), "AXFR");
    assertTrue(stranger.contains("REFUSED"), stranger);

    Message notify = Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN));
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.AA);
    notify.getHeader().unsetFlag(Flags.RD);
    byte[] wire = notify.toWire();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(STRANGER, 0))) {
      socket.setSoTimeout(5000);
      socket.send(new DatagramPacket(wire, wire.length, InetAddress.getByName("127.0.0.1"), Dns.PUBLISHED_PORT));
      byte[] buffer = new byte[512];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      Message answer = new Message(Arrays.copyOf(buffer, packet.getLength()));
      assertEquals(Rcode.REFUSED, answer.getRcode(), answer.toString());
    }
    Path log = stack.log(CascadeService.PUBLISHER);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Files.readAllLines(log).stream().noneMatch(ChainIT::strangerWarning) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(Files.readAllLines(log).stream().anyMatch(ChainIT::strangerWarning),
        "no warning about the stranger's NOTIFY in " + log);
  }

  private static boolean strangerWarning(String line) {
    return line.contains("WARN") && line.contains("NOTIFY from") && line.contains(STRANGER) && line.contains("refused");
  }

  /** The zone knotd took from Cascade, transferred from knotd with the key, passes dnssec-verify and ldns-verify-zone. */
  private static void verifyWhatKnotServes(Stack stack, ChainServers chain) throws Exception {
    ZoneTransferIn transfer = ZoneTransferIn.newAXFR(ZONE, ChainServers.KNOT, ChainServers.SECONDARY_KEY.tsig());
    transfer.setTimeout(Duration.ofSeconds(20));
    transfer.run();
    Path file = ZoneFiles.writeTransfer(stack.zoneDirectory().resolve(ZONE_NAME + ".knot.axfr"), transfer.getAXFR());
    ExternalTool.Outcome bind = ExternalTool.run("dnssec-verify", "-o", ZONE.toString(), file.toString());
    assertEquals(0, bind.exitCode(), "dnssec-verify:\n" + bind.output());
    ExternalTool.Outcome ldns = ExternalTool.run("ldns-verify-zone", file.toString());
    assertEquals(0, ldns.exitCode(), "ldns-verify-zone:\n" + ldns.output());
  }

  /**
   * A source whose key the primary does not know: the forced transfer fails with "TSIG failure" in {@code zone
   * status}, and the last good version stays published and served.
   */
  private static void failingSource(Operator operator, ChainServers chain) throws Exception {
    long published = operator.status(ZONE_NAME).publishedSignedSerial().orElseThrow();
    operator.cli().ok("tsig", "add", "chain-unknown", "hmac-sha256", "c2VjcmV0LW5hbWVkLWRvZXMtbm90LWtub3ctYWJvdXQ=");
    operator.cli().ok("zone", "set-source", ZONE_NAME, chain.source("chain-unknown"));
    ZoneStatusView failed = operator.awaitStatus(ZONE_NAME, "a TSIG failure",
        status -> status.text().contains("TSIG failure"));
    assertEquals(published, failed.publishedSignedSerial().orElseThrow(), failed.text());
    assertEquals(OptionalLong.of(published), Dns.soaSerial(ZONE, Dns.PUBLISHED_PORT));
    chain.awaitSerial(ChainServers.KNOT, published, Duration.ofSeconds(1));
  }

  /**
   * {@code changes} changes on the primary, each timed from just before nsupdate runs until knotd answers the new
   * record with its RRSIG (polled every 10 ms); the median, p90 and max go to {@code out} and standard output.
   */
  private static void benchmark(ChainServers chain, int changes, Path out) throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int i = 1; i <= changes; i++) {
      Name name = Name.fromConstantString("bench" + i + "." + ZONE);
      long start = System.nanoTime();
      chain.primary().update("update add " + name + " 60 TXT \"change " + i + "\"");
      long served = chain.awaitSigned(ChainServers.KNOT, name, Type.TXT, Duration.ofMillis(10), PROPAGATION);
      millis.add((served - start) / 1_000_000);
    }
    List<Long> sorted = millis.stream().sorted().toList();
    String result = String.format(Locale.ROOT, "changes=%d median_ms=%d p90_ms=%d max_ms=%d all_ms=%s%n", changes,
        sorted.get((sorted.size() - 1) / 2), sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1),
        sorted.get(sorted.size() - 1), millis);
    Files.writeString(out, result);
    System.out.print("chain benchmark: " + result);
  }

  private static void assertValidated(ValidatingResolver resolver, Name name, int type) throws Exception {
    ValidatingResolver.Answer answer = resolver.ask(name, type);
    assertTrue(answer.rcode() == Rcode.NOERROR && answer.authenticated() && !answer.records().isEmpty(),
        name + " " + Type.string(type) + ": " + answer + "\n" + resolver.log());
  }

  private static String kdig(String... args) {
    List<String> command = new ArrayList<>(List.of("kdig", "@127.0.0.1", "-p", String.valueOf(Dns.PUBLISHED_PORT)));
    command.addAll(List.of(args));
    return ExternalTool.run(command.toArray(String[]::new)).output();
  }
}
