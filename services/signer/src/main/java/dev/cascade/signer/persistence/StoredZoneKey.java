package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * One key of a zone's latest key set, at its position in the KeySetChanged event. The private key is kept only in
 * its wrapped form (house-style §6: private keys never appear in clear outside memory).
 */
@Entity
@Table(name = "zone_key")
@IdClass(StoredZoneKey.Key.class)
public class StoredZoneKey extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  /** Index of the key in the event's key list; the set is read back in this order. */
  @Id
  @Column(name = "position", nullable = false)
  public int position;

  /** Key tag as the key manager computed it (RFC 4034 Appendix B). */
  @Column(name = "key_tag", nullable = false)
  public int keyTag;

  @Column(name = "algorithm", nullable = false)
  public int algorithm;

  /** DNSKEY flags: 257 for a KSK or CSK, 256 for a ZSK (RFC 4034 §2.1.1). */
  @Column(name = "flags", nullable = false)
  public int flags;

  /** KSK, ZSK or CSK. */
  @Column(name = "role", nullable = false, length = 3)
  public String role;

  /** Base64 of the DNSKEY public key field (RFC 4034 §2.2). */
  @Column(name = "public_key", nullable = false, length = 4096)
  public String publicKey;

  /** AES-GCM-wrapped PKCS#8 private key, as the key manager published it; empty for a key in a PKCS#11 token. */
  @Column(name = "wrapped_private_key", nullable = false)
  public byte[] wrappedPrivateKey;

  /** RFC 7512 URI of the private key in a PKCS#11 token; null for a wrapped key. */
  @Column(name = "private_key_uri", length = 1024)
  public String privateKeyUri;

  /**
   * The key's use ({@link dev.cascade.dnssec.keys.KeyUse}): in the DNSKEY RRset. Null, as the two after it, for a
   * key announced without a use, and for the keys stored before uses were (migration V3): all their role's jobs.
   */
  @Column(name = "published")
  public Boolean published;

  /** Signs the DNSKEY RRset (and CDS, CDNSKEY); null as {@link #published}. */
  @Column(name = "signs_keys")
  public Boolean signsKeys;

  /** Signs every other RRset; null as {@link #published}. */
  @Column(name = "signs_zone")
  public Boolean signsZone;

  /** The composite primary key (zone, position). */
  public static class Key implements Serializable {

    public String zone;
    public int position;

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && position == key.position && Objects.equals(zone, key.zone);
    }

    @Override
    public int hashCode() {
      return Objects.hash(zone, position);
    }
  }
}
