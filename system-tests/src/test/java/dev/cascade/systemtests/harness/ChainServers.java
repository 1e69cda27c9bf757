package dev.cascade.systemtests.harness;

import dev.cascade.testinfra.dns.KnotSecondary;
import dev.cascade.testinfra.dns.NamedPrimary;
import dev.cascade.testinfra.dns.NsdSecondary;
import dev.cascade.testinfra.dns.TsigSecret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Cascade as a bump in the wire (issue 10): a {@code named} primary serving the unsigned zone with TSIG and sending
 * its NOTIFYs to the publication port; Cascade loading it from there ({@code zone add --source ip:port^key}), signing
 * and publishing it; {@code knotd} and {@code nsd} secondaries pulling the signed zone from Cascade with TSIG after
 * Cascade's NOTIFY; and one {@code unbound} per secondary, with the zone's KSK as its trust anchor, resolving through
 * it. The secondaries listen on addresses of their own (127.0.0.2 and 127.0.0.3, all of 127/8 being loopback) and
 * transfer from them, so the publisher's {@code provide-xfr-to} asks them for the key and no other client; their
 * fixed port lets the stack name them in {@code send-notify-to} before they run.
 */
public final class ChainServers implements AutoCloseable {

  /** The key of the Cascade → secondaries leg, which the stack adds at its start (32 random octets, base64). */
  public static final TsigSecret SECONDARY_KEY =
      TsigSecret.parse("hmac-sha256:chain-xfr:Qm9W2k3o2y6CYbDqF8v0qJq3x1d6sVY1hY1aXg0m7n4=");
  /** The key of the named → Cascade leg, which the test adds with {@code cascade tsig add}. */
  public static final TsigSecret PRIMARY_KEY =
      TsigSecret.parse("hmac-sha256:chain-primary:zV8m2bq0cH1xJrWn5LkT9uE4sY7dA3fG6hK2pQ0wR1o=");
  public static final InetSocketAddress KNOT = new InetSocketAddress("127.0.0.2", 5300);
  public static final InetSocketAddress NSD = new InetSocketAddress("127.0.0.3", 5300);
  /** Loopback as before, unsigned, for the other tests; the secondaries with the key only. */
  static final String PROVIDE_XFR_TO = "127.0.0.1,::1,127.0.0.2^chain-xfr,127.0.0.3^chain-xfr";
  static final String SEND_NOTIFY_TO = "127.0.0.2:5300^chain-xfr,127.0.0.3:5300^chain-xfr";

  private final Name zone;
  private final List<AutoCloseable> started = new ArrayList<>();
  private NamedPrimary primary;
  private KnotSecondary knot;
  private NsdSecondary nsd;
  private ValidatingResolver knotResolver;
  private ValidatingResolver nsdResolver;

  private ChainServers(Name zone) {
    this.zone = zone;
  }

  /**
   * Starts the primary serving {@code zoneText}, adds the zone to Cascade from it with {@code policy}, waits until it
   * is published, then starts the secondaries and the resolvers.
   */
  public static ChainServers start(Stack stack, Path directory, Name zone, String zoneText, String policy)
      throws Exception {
    ChainServers chain = new ChainServers(zone);
    try {
      chain.boot(stack, directory, zoneText, policy);
      return chain;
    } catch (Exception | Error e) {
      chain.close();
      throw e;
    }
  }

  private void boot(Stack stack, Path directory, String zoneText, String policy) throws Exception {
    primary = keep(NamedPrimary.start(directory, zone, zoneText, PRIMARY_KEY,
        new InetSocketAddress("127.0.0.1", Dns.PUBLISHED_PORT)));
    Operator operator = new Operator(stack);
    operator.cli().ok("tsig", "add", PRIMARY_KEY.name(), PRIMARY_KEY.algorithm(), PRIMARY_KEY.secret());
    operator.cli().ok("zone", "add", zoneName(), "--source", source(PRIMARY_KEY.name()), "--policy", policy);
    long serial = operator.awaitPublished(zoneName()).publishedSignedSerial().orElseThrow();
    knot = keep(KnotSecondary.start(directory.resolve("knot"), zone, KNOT.getHostString(), KNOT.getPort(),
        new InetSocketAddress("127.0.0.1", Dns.PUBLISHED_PORT), Optional.of(SECONDARY_KEY), OptionalInt.empty()));
    nsd = keep(NsdSecondary.start(directory.resolve("nsd"), zone, NSD.getHostString(), NSD.getPort(),
        new InetSocketAddress("127.0.0.1", Dns.PUBLISHED_PORT), SECONDARY_KEY));
    awaitSerial(KNOT, serial, Duration.ofSeconds(30));
    awaitSerial(NSD, serial, Duration.ofSeconds(30));
    List<DNSKEYRecord> ksk = Dns.axfr(zone, Dns.PUBLISHED_PORT).stream()
        .filter(r -> r instanceof DNSKEYRecord key && (key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0)
        .map(DNSKEYRecord.class::cast).toList();
    knotResolver = keep(ValidatingResolver.startWithServers(directory.resolve("unbound-knot"), ksk, Map.of(zone, KNOT)));
    nsdResolver = keep(ValidatingResolver.startWithServers(directory.resolve("unbound-nsd"), ksk, Map.of(zone, NSD)));
  }

  private <T extends AutoCloseable> T keep(T server) {
    started.add(server);
    return server;
  }

  /** The zone's name without its final dot, as the CLI takes it. */
  public String zoneName() {
    return zone.toString(true);
  }

  /** {@code 127.0.0.1:<named's port>^<key>}: the primary as {@code zone add --source} names it with {@code key}. */
  public String source(String key) {
    return "127.0.0.1:" + primary.address().getPort() + "^" + key;
  }

  public NamedPrimary primary() {
    return primary;
  }

  public KnotSecondary knot() {
    return knot;
  }

  public NsdSecondary nsd() {
    return nsd;
  }

  public ValidatingResolver knotResolver() {
    return knotResolver;
  }

  public ValidatingResolver nsdResolver() {
    return nsdResolver;
  }

  /** Until {@code server} answers {@code serial} as the zone's SOA serial; fails with its log after {@code limit}. */
  public void awaitSerial(InetSocketAddress server, long serial, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Message> answer = ask(server, zone, Type.SOA);
      if (answer.isPresent() && answer.get().getSection(Section.ANSWER).stream()
          .anyMatch(r -> r instanceof SOARecord soa && soa.getSerial() == serial)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(server + " never served serial " + serial + " of " + zone + ":\n"
        + (server.equals(KNOT) ? knot.log() : nsd.log()));
  }

  /**
   * Until {@code server} answers {@code name}'s {@code type} with the RRset and its RRSIG (asked with DO), polling
   * every {@code poll}; returns the nanoTime it first did.
   */
  public long awaitSigned(InetSocketAddress server, Name name, int type, Duration poll, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Message> answer = ask(server, name, type);
      if (answer.isPresent() && signed(answer.get(), type)) {
        return System.nanoTime();
      }
      Thread.sleep(poll.toMillis());
    }
    throw new AssertionError(server + " never served " + name + " " + Type.string(type) + " signed");
  }

  private static boolean signed(Message answer, int type) {
    List<Record> records = answer.getSection(Section.ANSWER);
    return answer.getRcode() == Rcode.NOERROR && records.stream().anyMatch(r -> r.getType() == type)
        && records.stream().anyMatch(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == type);
  }

  /** One query with DO over UDP, or empty when the server does not answer in 500 ms. */
  private static Optional<Message> ask(InetSocketAddress server, Name name, int type) {
    try {
      SimpleResolver resolver = new SimpleResolver(server);
      resolver.setTimeout(Duration.ofMillis(500));
      resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
      return Optional.of(resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }
}
