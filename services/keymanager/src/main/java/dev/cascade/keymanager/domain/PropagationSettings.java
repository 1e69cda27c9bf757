package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.parent.DsDigest;
import dev.cascade.dnssec.roll.NameServer;
import java.util.List;

/**
 * Where a zone's {@code auto-report} checks look, and the DS it expects: the policy's {@code [key-manager]
 * publication-nameservers}, {@code parent-nameservers} (our addition) and {@code ds-algorithm}. A server written
 * {@code <IP>[:PORT]^<key>} is asked with that TSIG key (RFC 8945), as the reference allows.
 *
 * @param publication the servers that publish the zone; empty for the key manager's own publication servers
 * @param parent the parent zone's name servers; empty to find them by resolution, as the reference does
 * @param dsDigest the DS digest type (RFC 4034 §5.1.3)
 */
public record PropagationSettings(List<NameServer> publication, List<NameServer> parent, int dsDigest) {

  /** The reference's: its own publication servers, the parent's found by resolution, SHA-256. */
  public static final PropagationSettings DEFAULT = of(List.of(), List.of(), DsDigest.SHA_256);

  public PropagationSettings {
    publication = List.copyOf(publication);
    parent = List.copyOf(parent);
  }

  /**
   * The settings as the policy snapshot spells them.
   *
   * @throws IllegalArgumentException for a server that is not {@code "<IP>[:PORT][^<key>]"}
   */
  public static PropagationSettings of(List<String> publication, List<String> parent, DsDigest dsAlgorithm) {
    return new PropagationSettings(publication.stream().map(NameServer::parse).toList(),
        parent.stream().map(NameServer::parse).toList(), dsAlgorithm.id());
  }
}
