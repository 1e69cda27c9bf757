package dev.cascade.publisher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;

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
   * Clients allowed to transfer zones (addresses or CIDR prefixes). Default loopback only: deny by default, as the
   * reliability anchors ask of a hidden primary.
   */
  @WithName("provide-xfr-to")
  @WithDefault("127.0.0.1,::1")
  List<String> provideXfrTo();

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
