package dev.cascade.publisher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/** The publisher's own settings under {@code cascade.publisher.}. */
@ConfigMapping(prefix = "cascade.publisher")
public interface PublisherConfig {

  /** Address of all three DNS listeners; loopback by default (design: ports table). */
  @WithDefault("127.0.0.1")
  String address();

  /** DNS port of the unsigned version under review: 4540, reference Cascade's {@code [loader.review] servers}. */
  @WithName("unsigned-review-port")
  @WithDefault("4540")
  int unsignedReviewPort();

  /** DNS port of the signed version under review: 4541, reference Cascade's {@code [signer.review] servers}. */
  @WithName("signed-review-port")
  @WithDefault("4541")
  int signedReviewPort();

  /** DNS port of the published zones: 4542, reference Cascade's {@code [server] servers}. */
  @WithName("publication-port")
  @WithDefault("4542")
  int publicationPort();

  /**
   * Clients allowed to transfer zones from the publication server (addresses or CIDR prefixes, which the reference's
   * {@code [server.outbound] provide-xfr-to} lacks, its #978), each with {@code ^<TSIG key>} if the client must sign
   * its transfers and SOA queries with that key (RFC 8945), as the reference writes it. Default loopback only: deny by
   * default, as the reliability anchors ask of a hidden primary.
   */
  @WithName("provide-xfr-to")
  @WithDefault("127.0.0.1,::1")
  List<String> provideXfrTo();

  /**
   * Clients allowed to transfer zones from the unsigned-review server: the review hooks' hosts. Default loopback only,
   * as for publication; the reference has one list for all its servers.
   */
  @WithName("unsigned-review-provide-xfr-to")
  @WithDefault("127.0.0.1,::1")
  List<String> unsignedReviewProvideXfrTo();

  /** Clients allowed to transfer zones from the signed-review server; default loopback only. */
  @WithName("signed-review-provide-xfr-to")
  @WithDefault("127.0.0.1,::1")
  List<String> signedReviewProvideXfrTo();

  /**
   * Zone transfers one client may run at once, over all three servers: 10, BIND's default {@code transfers-out} (its
   * limit for all clients together; the reference has none).
   */
  @WithName("max-transfers-per-client")
  @WithDefault("10")
  int maxTransfersPerClient();

  /**
   * Secondaries sent a NOTIFY (RFC 1996) for each new published serial, and for every published zone at start:
   * {@code <IP>[:<PORT>][^<TSIG key>]} each, the reference's {@code [server.outbound] send-notify-to}; with a key the
   * NOTIFY is signed with it. None by default, as there.
   */
  @WithName("send-notify-to")
  Optional<List<String>> sendNotifyTo();

  /**
   * Where each published version is also written as a zone file, if set: a path in which {@code {zone}} stands for the
   * zone's name without its final dot ({@code root} for the root zone), e.g.
   * {@code /var/lib/cascade/signed/{zone}.zone}. OpenDNSSEC users serve such files; the reference cannot (its #449).
   */
  @WithName("output-file")
  Optional<String> outputFile();

  /**
   * Differences kept per zone and server for IXFR (RFC 1995); an older client gets the whole zone. 5, reference
   * Cascade's {@code [server.outbound] max-diffs} (NSD's default); 0 keeps none.
   */
  @WithName("max-diffs")
  @WithDefault("5")
  int maxDiffs();

  /**
   * Most records all kept differences of a zone may hold together, in % of the zone's record count: 20, reference
   * Cascade's {@code [server.outbound] max-diffs-size}. Past it the oldest differences are dropped.
   */
  @WithName("max-diffs-size")
  @WithDefault("20")
  int maxDiffsSize();
}
