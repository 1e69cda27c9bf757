package dev.cascade.systemtests.harness;

import dev.cascade.testinfra.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
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
 * The parent of a test zone, served by a real authoritative server: Knot DNS's {@code knotd} (Debian package knot),
 * unprivileged on an ephemeral loopback port, which signs the parent itself with one ECDSA P-256 CSK that it never
 * rolls (the trust anchor of {@link ValidatingResolver}). The parent delegates the child to the publication server
 * (its glue is 127.0.0.1; a resolver reaches the port through a stub zone) and holds the child's DS RRset that
 * {@link #serve} gives it, as a registry updates it after a DS submission.
 */
public final class ParentZone implements AutoCloseable {

  private final Name parent;
  private final Name child;
  private final long ttl;
  private final Path home;
  private final Path zoneFile;
  private final InetSocketAddress address;
  private final Process knotd;
  private long serial = 1;

  private ParentZone(Name parent, Name child, long ttl, Path home, InetSocketAddress address, Process knotd) {
    this.parent = parent;
    this.child = child;
    this.ttl = ttl;
    this.home = home;
    this.zoneFile = home.resolve(parent + "zone");
    this.address = address;
    this.knotd = knotd;
  }

  /**
   * Starts knotd in {@code directory} serving {@code parent}, signed, with a delegation to {@code child} and no DS;
   * returns once it answers the parent's DNSKEY RRset. Every record of the parent, the DS RRset and the parent's
   * DNSKEY RRset included, has the TTL {@code ttl}, and so has its negative answers (RFC 2308 §5).
   */
  public static ParentZone start(Path directory, Name parent, Name child, Duration ttl) throws IOException {
    Path home = Files.createDirectories(directory);
    Files.createDirectories(home.resolve("db"));
    int port = FreePort.next();
    Files.writeString(home.resolve("knot.conf"), """
        server:
          rundir: "%1$s"
          listen: 127.0.0.1@%2$d
        database:
          storage: "%1$s/db"
        log:
          - target: "%1$s/knot.log"
            any: info
        policy:
          - id: fixed
            algorithm: ecdsap256sha256
            single-type-signing: on
            ksk-lifetime: 0
            zsk-lifetime: 0
            dnskey-ttl: %5$d
        zone:
          - domain: %3$s
            file: "%4$s"
            dnssec-signing: on
            dnssec-policy: fixed
            zonefile-sync: -1
            zonefile-load: whole
            journal-content: none
        """.formatted(home, port, parent, home.resolve(parent + "zone"), ttl.toSeconds()));
    ParentZone zone = null;
    Process knotd = null;
    try {
      knotd = ChildProcesses.knotd(home);
      zone = new ParentZone(parent, child, ttl.toSeconds(), home, new InetSocketAddress("127.0.0.1", port), knotd);
      zone.writeZone(List.of());
      zone.awaitDnskeys();
      return zone;
    } catch (IOException | RuntimeException | Error e) {
      if (zone != null) {
        zone.close();
      } else if (knotd != null) {
        ChildProcesses.stop(knotd, 10);
      }
      throw e;
    }
  }

  /** {@code "127.0.0.1:<port>"}, as a policy's {@code parent-nameservers} names a server. */
  public String server() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  public int port() {
    return address.getPort();
  }

  public Name name() {
    return parent;
  }

  /** The parent's DNSKEY RRset as knotd serves it: the trust anchor of a validating resolver. */
  public List<DNSKEYRecord> dnskeys() throws IOException {
    return query(parent, Type.DNSKEY).getSection(Section.ANSWER).stream()
        .filter(DNSKEYRecord.class::isInstance).map(DNSKEYRecord.class::cast).toList();
  }

  /**
   * Makes {@code ds} the child's DS RRset at the parent (empty: none) and returns the instant knotd was first seen
   * serving it, signed. The records keep their rdata; the parent sets its own TTL, as a registry does.
   */
  public Instant serve(List<DSRecord> ds) throws IOException {
    writeZone(ds);
    ExternalTool.Outcome reload = ExternalTool.run(
        ChildProcesses.program("knotc"), "-c", home.resolve("knot.conf").toString(), "zone-reload", parent.toString());
    if (reload.exitCode() != 0) {
      throw new AssertionError("knotc zone-reload " + parent + ":\n" + reload.output() + log());
    }
    Set<String> wanted = ds.stream().map(Record::rdataToString).collect(Collectors.toSet());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Set<String> served = Set.of();
    while (System.nanoTime() < deadline) {
      Message answer = query(child, Type.DS);
      served = answer.getSection(Section.ANSWER).stream()
          .filter(DSRecord.class::isInstance).map(Record::rdataToString).collect(Collectors.toSet());
      boolean signed =
          ds.isEmpty() || answer.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.RRSIG);
      if (served.equals(wanted) && signed && answer.getHeader().getFlag(Flags.AA)) {
        return Instant.now();
      }
      sleep(50);
    }
    throw new AssertionError("knotd serves DS " + served + " for " + child + ", not " + wanted + "\n" + log());
  }

  /** Writes the zone file with a higher SOA serial and {@code ds}, atomically (knotd reads it on reload). */
  private void writeZone(List<DSRecord> ds) throws IOException {
    StringBuilder text = new StringBuilder();
    text.append("$TTL ").append(ttl).append('\n');
    text.append(parent).append(" SOA ns.").append(parent).append(" hostmaster.").append(parent).append(' ')
        .append(serial++).append(" 3600 600 86400 ").append(ttl).append('\n');
    text.append(parent).append(" NS ns.").append(parent).append('\n');
    text.append("ns.").append(parent).append(" A 127.0.0.1\n");
    text.append(child).append(" NS ns1.").append(child).append('\n');
    text.append("ns1.").append(child).append(" A 127.0.0.1\n");
    for (DSRecord record : ds) {
      text.append(child).append(' ').append(ttl).append(" IN DS ").append(record.rdataToString()).append('\n');
    }
    Path temporary = Files.writeString(home.resolve("zone.tmp"), text, StandardCharsets.UTF_8);
    Files.move(temporary, zoneFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void awaitDnskeys() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (!dnskeys().isEmpty()) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      sleep(100);
    }
    throw new AssertionError("knotd does not serve a signed " + parent + ":\n" + log());
  }

  private Message query(Name name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTimeout(Duration.ofSeconds(2));
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    Message answer = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    if (answer.getRcode() != Rcode.NOERROR) {
      throw new IOException(name + " " + Type.string(type) + ": " + Rcode.string(answer.getRcode()));
    }
    return answer;
  }

  /** knotd's log and output, for failure messages. */
  public String log() {
    try {
      Path log = home.resolve("knot.log");
      return (Files.exists(log) ? Files.readString(log) : "") + Files.readString(home.resolve("knotd.out"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(knotd, 10);
  }
}
