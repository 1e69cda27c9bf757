package dev.cascade.publisher.dns;

import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.publisher.config.PublisherConfig;
import dev.cascade.publisher.domain.DnsResponder;
import dev.cascade.publisher.domain.IncomingNotify;
import dev.cascade.publisher.domain.SecondaryFetches;
import dev.cascade.publisher.domain.ServedZones;
import dev.cascade.publisher.domain.TransferAcl;
import dev.cascade.publisher.domain.TransferLimit;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The publisher's three DNS servers (reference Cascade's loaded-review, signed-review and publication servers), each
 * with its own set of served zones. The sets exist from construction, so consumers can fill them before and while
 * the sockets open; the sockets open at start and close at shutdown. Each server has its own transfer ACL (the
 * reference has one for all three); the limit of concurrent transfers per client counts over all three.
 */
@ApplicationScoped
public class DnsListeners {

  private final PublisherConfig config;
  /** NOTIFYs in, on the publication server only (cascade-reference.md §1.2). */
  private final IncomingNotify notifies;
  private final TransferLimit limit;
  private final SecondaryFetches secondaries;
  private final Clock clock;
  private final TsigKeys keys;
  private final DnsQueryMetrics queries;
  private final ServedZones unsignedReview;
  private final ServedZones signedReview;
  private final ServedZones publication;
  private final List<DnsServer> servers = new ArrayList<>();
  private volatile int unsignedReviewPort;
  private volatile int signedReviewPort;
  private volatile int publicationPort;

  public DnsListeners(PublisherConfig config, Clock clock, TsigKeys keys, IncomingNotify notifies,
      DnsQueryMetrics queries) {
    this.notifies = notifies;
    this.queries = queries;
    this.config = config;
    this.clock = clock;
    this.keys = keys;
    this.secondaries = new SecondaryFetches(clock);
    this.unsignedReview = new ServedZones(config.maxDiffs(), config.maxDiffsSize());
    this.signedReview = new ServedZones(config.maxDiffs(), config.maxDiffsSize());
    this.publication = new ServedZones(config.maxDiffs(), config.maxDiffsSize());
    this.limit = new TransferLimit(config.maxTransfersPerClient());
  }

  synchronized void start(@Observes StartupEvent event) {
    try {
      InetAddress address = InetAddress.getByName(config.address());
      // What review tooling fetched is of no interest to anyone; what secondaries fetched is.
      unsignedReviewPort = open("unsigned-review", address, config.unsignedReviewPort(), unsignedReview,
          config.unsignedReviewProvideXfrTo(), new SecondaryFetches(clock), null);
      signedReviewPort = open("signed-review", address, config.signedReviewPort(), signedReview,
          config.signedReviewProvideXfrTo(), new SecondaryFetches(clock), null);
      publicationPort = open("publication", address, config.publicationPort(), publication, config.provideXfrTo(),
          secondaries, notifies);
    } catch (IOException e) {
      stop(null);
      throw new UncheckedIOException("cannot open the DNS listeners on " + config.address(), e);
    }
  }

  private int open(String name, InetAddress address, int port, ServedZones zones, List<String> provideXfrTo,
      SecondaryFetches fetches, IncomingNotify notifies) throws IOException {
    DnsServer server = DnsServer.start(name, address, port, new DnsResponder(zones, TransferAcl.of(provideXfrTo),
        limit, fetches, keys, clock, notifies), queries);
    servers.add(server);
    return server.port();
  }

  synchronized void stop(@Observes ShutdownEvent event) {
    servers.forEach(DnsServer::close);
    servers.clear();
  }

  /** Zones served on the unsigned-review port: the latest loaded version of each zone. */
  public ServedZones unsignedReview() {
    return unsignedReview;
  }

  /** Zones served on the signed-review port: the latest signed version of each zone. */
  public ServedZones signedReview() {
    return signedReview;
  }

  /** Zones served on the publication port: the approved, published version of each zone. */
  public ServedZones publication() {
    return publication;
  }

  /** What each secondary has of each published zone, as its queries to the publication server show it. */
  public SecondaryFetches secondaries() {
    return secondaries;
  }

  /** Bound port of the unsigned-review server (differs from the configured one when that is 0). */
  public int unsignedReviewPort() {
    return unsignedReviewPort;
  }

  public int signedReviewPort() {
    return signedReviewPort;
  }

  public int publicationPort() {
    return publicationPort;
  }
}
