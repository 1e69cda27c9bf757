package dev.cascade.systemtests.harness;

import dev.cascade.testinfra.FreePort;
import dev.cascade.testinfra.dns.DnsServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real validating resolver: {@code unbound} (Debian package unbound), unprivileged on an ephemeral loopback port,
 * with a DNSKEY RRset as its only trust anchor and a stub zone per authoritative server, so that it resolves and
 * validates the test's zones as any resolver would, caching every answer for its TTL. It logs why it finds an answer
 * bogus ({@code val-log-level: 2}); {@link #log} gives that log for failure messages.
 */
public final class ValidatingResolver implements AutoCloseable {

  /** One answer: its rcode, whether unbound validated it (AD, RFC 4035 §3.2.3), and its answer section. */
  public record Answer(int rcode, boolean authenticated, List<Record> records) {
    @Override
    public String toString() {
      return Rcode.string(rcode) + (authenticated ? " AD " : " (no AD) ") + records;
    }
  }

  /** The name unbound answers itself (its version), to see that it listens. */
  private static final Name VERSION_SERVER = Name.fromConstantString("version.server.");

  private final DnsServerProcess unbound;

  private ValidatingResolver(DnsServerProcess unbound) {
    this.unbound = unbound;
  }

  /**
   * Starts unbound in {@code directory} with {@code trustAnchor} and a stub zone for each name, at the given
   * 127.0.0.1 port; returns once it answers.
   */
  public static ValidatingResolver start(Path directory, List<DNSKEYRecord> trustAnchor, Map<Name, Integer> stubs)
      throws IOException {
    Map<Name, InetSocketAddress> servers = new LinkedHashMap<>();
    stubs.forEach((zone, port) -> servers.put(zone, new InetSocketAddress("127.0.0.1", port)));
    return startWithServers(directory, trustAnchor, servers);
  }

  /** Starts unbound as {@link #start} does, with a stub zone for each name at the given address and port. */
  public static ValidatingResolver startWithServers(Path directory, List<DNSKEYRecord> trustAnchor,
      Map<Name, InetSocketAddress> stubs) throws IOException {
    Path home = Files.createDirectories(directory);
    int port = FreePort.next();
    Files.writeString(home.resolve("anchor"),
        trustAnchor.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")));
    StringBuilder config = new StringBuilder("""
        server:
          interface: 127.0.0.1
          port: %2$d
          do-daemonize: no
          username: ""
          chroot: ""
          directory: "%1$s"
          pidfile: "%1$s/unbound.pid"
          logfile: "%1$s/unbound.log"
          use-syslog: no
          num-threads: 1
          do-ip6: no
          access-control: 127.0.0.0/8 allow
          # The stub zones' servers are on loopback, which unbound does not query by default.
          do-not-query-localhost: no
          # test. is one of unbound's default local zones (RFC 6761 §6.2 special-use names); here it is resolved.
          local-zone: "test." nodefault
          qname-minimisation: no
          module-config: "validator iterator"
          trust-anchor-file: "%1$s/anchor"
          verbosity: 1
          val-log-level: 2
          log-servfail: yes
        remote-control:
          control-enable: no
        """.formatted(home, port));
    stubs.forEach((zone, server) -> config.append("""
        stub-zone:
          name: "%s"
          stub-addr: %s@%d
        """.formatted(zone, server.getAddress().getHostAddress(), server.getPort())));
    Files.writeString(home.resolve("unbound.conf"), config, StandardCharsets.UTF_8);
    DnsServerProcess unbound = DnsServerProcess.start(home, new InetSocketAddress("127.0.0.1", port),
        List.of(home.resolve("unbound.log")), "unbound", "-d", "-c", home.resolve("unbound.conf").toString());
    return new ValidatingResolver(unbound.awaitAnswer(Record.newRecord(VERSION_SERVER, Type.TXT, DClass.CH)));
  }

  /** Asks for {@code name} {@code type} with DO set, so that unbound says whether it validated the answer. */
  public Answer ask(Name name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(unbound.address());
    resolver.setTimeout(Duration.ofSeconds(10));
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    return new Answer(
        response.getRcode(), response.getHeader().getFlag(Flags.AD), response.getSection(Section.ANSWER));
  }

  /** unbound's log and output, the validator's reasons included. */
  public String log() {
    return unbound.log();
  }

  @Override
  public void close() {
    unbound.close();
  }
}
