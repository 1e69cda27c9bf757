package dev.cascade.keymanager.propagation;

import dev.cascade.dnssec.roll.NameServer;
import dev.cascade.dnssec.roll.Propagation;
import dev.cascade.dnssec.roll.PropagationExpectation;
import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.keymanager.domain.PropagationChecker;
import dev.cascade.keymanager.domain.PropagationSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * The reference's {@code auto-report} checks on the wire (cascade-reference.md §5, "Timing model"), each query with
 * the DO bit (RFC 3225) over UDP with a fallback to TCP when truncated (dnsjava's {@link SimpleResolver}):
 *
 * <ul>
 *   <li>DNSKEY: the apex DNSKEY RRset from every publication server;
 *   <li>RRSIG: the zone by AXFR (RFC 5936) from the first publication server, streamed and tallied record by record
 *       (a zone of millions of records is never held), then the SOA serial of every publication server, which must
 *       be the transfer's or later;
 *   <li>DS: the DS RRset from every address of every name server of the parent zone: the policy's
 *       {@code parent-nameservers}, or found by resolution (the closest enclosing zone that has an NS RRset, asked of
 *       the configured resolvers, and the A and AAAA records of its name servers).
 * </ul>
 *
 * <p>A server named with a TSIG key ({@code <IP>[:PORT]^<key>}) is asked with it, queries and transfer alike (RFC 8945
 * §5.1), and its answers must carry a valid TSIG: an unsigned or badly signed answer is a failure (§5.3.1). A key
 * the keyring does not have, or cannot unwrap, is a wait that names it.
 *
 * <p>The servers of one check are asked at the same time, each query bounded by the query timeout, the transfer by
 * the transfer timeout, so a check never holds the roll timer for long. Anything that does not answer as expected
 * is a wait with its reason, never an error.
 */
public final class DnsPropagationChecker implements PropagationChecker {

  private final List<ServerName> ownPublicationServers;
  private final Resolver resolver;
  private final TsigKeys tsigKeys;
  private final Duration queryTimeout;
  private final Duration transferTimeout;
  private final ExecutorService queries;

  /**
   * @param ownPublicationServers Cascade's own publication servers: where a zone is checked whose policy names none;
   *     a host name stands for all its addresses, looked up at each check
   * @param resolver the resolver that finds a parent's name servers when the policy names none
   * @param tsigKeys the keys a server named with {@code ^<key>} is asked with
   * @param queryTimeout how long one query may take, per attempt (UDP, then TCP)
   * @param transferTimeout how long the zone transfer may take
   */
  public DnsPropagationChecker(List<ServerName> ownPublicationServers, Resolver resolver, TsigKeys tsigKeys,
      Duration queryTimeout, Duration transferTimeout) {
    this.ownPublicationServers = List.copyOf(ownPublicationServers);
    this.resolver = resolver;
    this.tsigKeys = tsigKeys;
    this.queryTimeout = queryTimeout;
    this.transferTimeout = transferTimeout;
    this.queries = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "propagation-query");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public Result check(PropagationExpectation expected, PropagationSettings where) {
    List<NameServer> publication = where.publication();
    boolean atPublication = expected.propagates().contains(Propagation.DNSKEY)
        || expected.propagates().contains(Propagation.RRSIG);
    if (publication.isEmpty() && atPublication) {
      try {
        publication = own();
      } catch (UnknownHostException e) {
        return Result.waiting("Cascade's publication servers " + ownPublicationServers + " cannot be found: "
            + e.getMessage());
      }
    }
    Duration ttl = Duration.ZERO;
    List<String> checked = new ArrayList<>();
    for (Propagation propagation : Propagation.values()) {
      if (!expected.propagates().contains(propagation)) {
        continue;
      }
      Outcome outcome = switch (propagation) {
        case DNSKEY -> dnskey(expected, publication);
        case RRSIG -> rrsig(expected, publication);
        case DS -> ds(expected, where.parent());
      };
      if (outcome.reason().isPresent()) {
        return Result.waiting(outcome.reason().get());
      }
      ttl = ttl.compareTo(outcome.ttl()) >= 0 ? ttl : outcome.ttl();
      checked.add(outcome.summary());
    }
    return Result.propagated(ttl, String.join("; ", checked));
  }

  private List<NameServer> own() throws UnknownHostException {
    List<NameServer> addresses = new ArrayList<>();
    for (ServerName server : ownPublicationServers) {
      server.addresses().forEach(address -> addresses.add(NameServer.of(address)));
    }
    if (addresses.isEmpty()) {
      throw new UnknownHostException("none configured (cascade.keymanager.publication-servers)");
    }
    return addresses;
  }

  /** One propagation's outcome: a reason to wait, or the TTL observed and what was seen. */
  private record Outcome(Optional<String> reason, Duration ttl, String summary) {
    static Outcome waiting(String reason) {
      return new Outcome(Optional.of(reason), Duration.ZERO, "");
    }
  }

  private Outcome dnskey(PropagationExpectation expected, List<NameServer> servers) {
    String what = "the DNSKEY RRset of " + expected.zone();
    List<Answer> answers = askAll(servers, expected.zone(), Type.DNSKEY);
    Duration ttl = Duration.ZERO;
    for (int i = 0; i < servers.size(); i++) {
      Answer answer = answers.get(i);
      if (answer.failure().isPresent()) {
        return Outcome.waiting(what + ": " + address(servers.get(i)) + " " + answer.failure().get());
      }
      Optional<String> mismatch = expected.dnskeyMismatch(answer.records());
      if (mismatch.isPresent()) {
        return Outcome.waiting(what + " has not propagated: " + address(servers.get(i)) + " serves a "
            + mismatch.get());
      }
      Duration served = expected.ttl(answer.records(), Type.DNSKEY);
      ttl = ttl.compareTo(served) >= 0 ? ttl : served;
    }
    return new Outcome(Optional.empty(), ttl, "DNSKEY RRset on " + addresses(servers) + ", TTL " + ttl.toSeconds());
  }

  private Outcome rrsig(PropagationExpectation expected, List<NameServer> servers) {
    String what = "the signatures of " + expected.zone();
    NameServer primary = servers.get(0);
    PropagationExpectation.ZoneSignatures tally = expected.zoneSignatures();
    Optional<TSIG> tsig;
    try {
      tsig = tsig(primary);
    } catch (UnknownKey e) {
      return Outcome.waiting(what + ": " + e.getMessage());
    }
    try {
      ZoneTransferIn transfer = ZoneTransferIn.newAXFR(expected.zone(), primary.address(), tsig.orElse(null));
      transfer.setTimeout(transferTimeout);
      transfer.run(new Tally(tally));
    } catch (IOException | ZoneTransferException e) {
      return Outcome.waiting(what + ": the zone transfer from " + address(primary) + " failed: " + e.getMessage());
    }
    Optional<String> mismatch = tally.mismatch();
    if (mismatch.isPresent()) {
      return Outcome.waiting(what + " have not propagated: in the transfer from " + address(primary) + ", "
          + mismatch.get());
    }
    long serial = tally.serial().orElseThrow();
    List<Answer> answers = askAll(servers, expected.zone(), Type.SOA);
    for (int i = 0; i < servers.size(); i++) {
      Answer answer = answers.get(i);
      if (answer.failure().isPresent()) {
        return Outcome.waiting(what + ": " + address(servers.get(i)) + " " + answer.failure().get());
      }
      Optional<Long> served = answer.records().stream()
          .filter(r -> r instanceof SOARecord && r.getName().equals(expected.zone()))
          .map(r -> ((SOARecord) r).getSerial()).findFirst();
      if (served.isEmpty()) {
        return Outcome.waiting(what + ": " + address(servers.get(i)) + " serves no SOA record for the zone");
      }
      Optional<String> behind = PropagationExpectation.serialMismatch(serial, served.get());
      if (behind.isPresent()) {
        return Outcome.waiting(what + " have not propagated: " + address(servers.get(i)) + " " + behind.get());
      }
    }
    return new Outcome(Optional.empty(), tally.maxTtl(), "signatures of serial " + serial + " on "
        + addresses(servers) + ", largest TTL " + tally.maxTtl().toSeconds());
  }

  private Outcome ds(PropagationExpectation expected, List<NameServer> configured) {
    String what = "the DS RRset of " + expected.zone();
    List<NameServer> servers = configured;
    if (servers.isEmpty()) {
      try {
        servers = parentServers(expected.zone());
      } catch (ParentNotFound e) {
        return Outcome.waiting(what + ": " + e.getMessage());
      }
    }
    List<Answer> answers = askAll(servers, expected.zone(), Type.DS);
    Duration ttl = Duration.ZERO;
    for (int i = 0; i < servers.size(); i++) {
      Answer answer = answers.get(i);
      if (answer.failure().isPresent()) {
        return Outcome.waiting(what + ": parent server " + address(servers.get(i)) + " " + answer.failure().get());
      }
      Optional<String> mismatch = expected.dsMismatch(answer.records());
      if (mismatch.isPresent()) {
        return Outcome.waiting(what + " has not propagated: parent server " + address(servers.get(i)) + " serves "
            + mismatch.get());
      }
      Duration served = expected.ttl(answer.records(), Type.DS);
      ttl = ttl.compareTo(served) >= 0 ? ttl : served;
    }
    return new Outcome(Optional.empty(), ttl, "DS RRset on the parent's " + addresses(servers) + ", TTL "
        + ttl.toSeconds());
  }

  /** Why the parent's name servers could not be found. */
  private static final class ParentNotFound extends Exception {
    ParentNotFound(String message) {
      super(message);
    }
  }

  /**
   * Every address of every name server of the zone that encloses {@code zone}: the closest ancestor with an NS
   * RRset of its own (RFC 1034 §4.2.1: a zone's apex has one), asked of the resolvers.
   */
  private List<NameServer> parentServers(Name zone) throws ParentNotFound {
    for (int labels = 1; labels < zone.labels(); labels++) {
      Name parent = new Name(zone, labels);
      List<Record> ns = resolve(parent, Type.NS);
      List<Name> hosts = ns.stream().filter(r -> r instanceof NSRecord && r.getName().equals(parent))
          .map(r -> ((NSRecord) r).getTarget()).toList();
      if (hosts.isEmpty()) {
        continue;
      }
      Set<InetSocketAddress> addresses = new LinkedHashSet<>();
      for (Name host : hosts) {
        for (int type : new int[] {Type.A, Type.AAAA}) {
          for (Record record : resolve(host, type)) {
            InetAddress address = record instanceof ARecord a ? a.getAddress()
                : record instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
            if (address != null) {
              addresses.add(new InetSocketAddress(address, 53));
            }
          }
        }
      }
      if (addresses.isEmpty()) {
        throw new ParentNotFound("no address found for the name servers " + hosts + " of the parent zone " + parent);
      }
      return addresses.stream().map(NameServer::of).toList();
    }
    throw new ParentNotFound("no parent zone with name servers found above " + zone
        + " (set parent-nameservers in the policy if the resolvers cannot see it)");
  }

  /** The answer section of the resolvers' answer to {@code name type}; none for a failure, NXDOMAIN or no data. */
  private List<Record> resolve(Name name, int type) throws ParentNotFound {
    try {
      Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
      int rcode = response.getRcode();
      if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
        throw new ParentNotFound("the resolvers answer " + Rcode.string(rcode) + " to " + name + " "
            + Type.string(type));
      }
      return response.getSection(Section.ANSWER);
    } catch (IOException e) {
      throw new ParentNotFound("the resolvers do not answer " + name + " " + Type.string(type) + ": " + e.getMessage());
    }
  }

  /** One server's answer: the answer section, or why there is none. */
  private record Answer(List<Record> records, Optional<String> failure) {}

  /** Asks every server at once; each answer within the query timeout (twice it, with the fallback to TCP). */
  private List<Answer> askAll(List<NameServer> servers, Name name, int type) {
    List<Future<Answer>> pending = servers.stream().map(server -> queries.submit(() -> ask(server, name, type)))
        .toList();
    List<Answer> answers = new ArrayList<>();
    long deadline = System.nanoTime() + queryTimeout.multipliedBy(2).plusSeconds(1).toNanos();
    for (Future<Answer> future : pending) {
      try {
        answers.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        future.cancel(true);
        answers.add(new Answer(List.of(), Optional.of("did not answer in time")));
      } catch (ExecutionException e) {
        answers.add(new Answer(List.of(), Optional.of("could not be asked: " + e.getCause())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answers.add(new Answer(List.of(), Optional.of("was not asked: interrupted")));
      }
    }
    return answers;
  }

  /** A server's key was not found in the keyring. */
  private static final class UnknownKey extends Exception {
    UnknownKey(String message) {
      super(message);
    }
  }

  /** The TSIG signer and verifier {@code server} is asked with, if its entry names a key. */
  private Optional<TSIG> tsig(NameServer server) throws UnknownKey {
    Optional<Name> name = server.keyName();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(tsigKeys.find(name.get()).map(TsigKey::tsig).orElseThrow(() -> new UnknownKey(
        "the TSIG key " + server.tsigKey() + " of " + address(server) + " is not known to the key manager"
            + " (cascade tsig add it; the key manager needs the key-encryption key it is wrapped under)")));
  }

  private Answer ask(NameServer server, Name name, int type) {
    SimpleResolver simple = new SimpleResolver(server.address());
    simple.setTimeout(queryTimeout);
    Optional<TSIG> tsig;
    try {
      tsig = tsig(server);
    } catch (UnknownKey e) {
      return new Answer(List.of(), Optional.of("cannot be asked: " + e.getMessage()));
    }
    tsig.ifPresent(simple::setTSIGKey);
    // DO (RFC 3225), so the RRSIGs come with the RRset; a 1232-byte UDP payload, the DNS flag day 2020 value.
    simple.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    try {
      Message response = simple.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
      if (tsig.isPresent() && response.getTSIG() != null && response.getTSIG().getError() != Rcode.NOERROR) {
        // The server refused the key or its signature (RFC 8945 §5.2): BADKEY, BADSIG or BADTIME.
        return new Answer(List.of(), Optional.of("refuses the TSIG key " + server.tsigKey() + ": "
            + Rcode.TSIGstring(response.getTSIG().getError())));
      }
      if (tsig.isPresent() && !response.isVerified()) {
        return new Answer(List.of(), Optional.of("answers " + name + " " + Type.string(type)
            + " without a valid TSIG signature of key " + server.tsigKey()));
      }
      int rcode = response.getRcode();
      if (rcode != Rcode.NOERROR && !(rcode == Rcode.NXDOMAIN && type == Type.DS)) {
        return new Answer(List.of(), Optional.of("answers " + Rcode.string(rcode) + " to " + name + " "
            + Type.string(type)));
      }
      if (!response.getHeader().getFlag(Flags.AA)) {
        return new Answer(List.of(), Optional.of("is not authoritative for " + name + " " + Type.string(type)));
      }
      return new Answer(response.getSection(Section.ANSWER), Optional.empty());
    } catch (IOException e) {
      return new Answer(List.of(), Optional.of("did not answer " + name + " " + Type.string(type) + ": "
          + e.getMessage()));
    }
  }

  private static String address(NameServer server) {
    return server.toString();
  }

  private static String addresses(List<NameServer> servers) {
    return servers.stream().map(DnsPropagationChecker::address).toList().toString();
  }

  /** Shuts the query threads down. */
  public void close() {
    queries.shutdownNow();
  }
}
