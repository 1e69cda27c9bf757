package dev.cascade.keymanager.persistence;

import dev.cascade.dnssec.keys.SigningRole;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.UUID;

/**
 * One DNSSEC key of a zone. The private key is stored only as AES-GCM-wrapped PKCS#8 (KeyWrap); the row's id is the
 * key's reference ({@code db:keymanager/<id>}). A unique (zone, key_tag) constraint backs the rule that key tags never
 * repeat within a zone.
 */
@Entity
@Table(
    name = "zone_key",
    uniqueConstraints = @UniqueConstraint(name = "zone_key_tag_unique", columnNames = {"zone", "key_tag"}),
    indexes = @Index(name = "zone_key_zone", columnList = "zone"))
public class StoredZoneKey extends PanacheEntityBase {

  private static final String REFERENCE_PREFIX = "db:keymanager/";

  @Id
  @Column(name = "id", nullable = false)
  public UUID id;

  /** Apex, lower case, absolute. */
  @Column(name = "zone", nullable = false)
  public String zone;

  @Column(name = "key_tag", nullable = false)
  public int keyTag;

  @Column(name = "algorithm", nullable = false)
  public int algorithm;

  @Column(name = "flags", nullable = false)
  public int flags;

  @Enumerated(EnumType.STRING)
  @Column(name = "role", nullable = false, length = 3)
  public SigningRole role;

  /** Base64 of the DNSKEY public key field (RFC 4034 §2.2). */
  @Column(name = "public_key", nullable = false, length = 4096)
  public String publicKey;

  /**
   * The private key wrapped under the key-encryption key; empty for a key a PKCS#11 token keeps, and for a key only
   * published (see {@link #publicOnly}).
   */
  @Column(name = "wrapped_private_key", nullable = false)
  public byte[] wrappedPrivateKey;

  /** RFC 7512 URI of the private key in a PKCS#11 token; null for a wrapped key. */
  @Column(name = "private_key_uri", length = 1024)
  public String privateKeyUri;

  @Column(name = "dnskey_ttl", nullable = false)
  public long dnskeyTtl;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  /** End of the planned validity; null when the policy sets none. */
  @Column(name = "expires_at")
  public Instant expiresAt;

  /** When the zone was removed; null while the key is part of the zone's key set. */
  @Column(name = "retired_at")
  public Instant retiredAt;

  /**
   * When the key was removed ({@code auto-remove}): its private key destroyed, its row kept for its key tag; null
   * before.
   */
  @Column(name = "removed_at")
  public Instant removedAt;

  /** eventId of the ZoneAdded that generated or last reactivated this key. */
  @Column(name = "activated_by", nullable = false, length = 64)
  public String activatedBy;

  /** In the zone's DNSKEY RRset (RFC 7583 §3.1: published). */
  @Column(name = "published", nullable = false)
  public boolean published;

  /** Signs the DNSKEY RRset (and CDS, CDNSKEY). */
  @Column(name = "signs_keys", nullable = false)
  public boolean signsKeys;

  /** Signs every other RRset. */
  @Column(name = "signs_zone", nullable = false)
  public boolean signsZone;

  /** Its DS is to be at the parent. */
  @Column(name = "at_parent", nullable = false)
  public boolean atParent;

  /**
   * Whether the key is only published: imported without its private half ({@code --import-public-key}), another
   * signer's key (RFC 8901 §2.1). It never signs and no roll touches it; its DS, if it is a KSK, belongs in the
   * parent's DS RRset beside this signer's (RFC 8901 §2.1.1).
   */
  public boolean publicOnly() {
    return privateKeyUri == null && wrappedPrivateKey.length == 0;
  }

  /**
   * Makes the key do all its role's jobs: a key set's keys before any roll, and keys brought back. A key only
   * published has no job but being published.
   */
  public void activeInItsRole() {
    published = true;
    signsKeys = role != SigningRole.ZSK && !publicOnly();
    signsZone = role != SigningRole.KSK && !publicOnly();
    atParent = role != SigningRole.ZSK;
  }

  /** Where the key lives, as carried in KeySetChanged. */
  public String reference() {
    return reference(id.toString());
  }

  /** The reference of the key with row id {@code id}. */
  public static String reference(String id) {
    return REFERENCE_PREFIX + id;
  }

  /**
   * The row id of the key with {@code reference}.
   *
   * @throws IllegalArgumentException if it is not a reference of this key manager
   */
  public static UUID idOf(String reference) {
    if (!reference.startsWith(REFERENCE_PREFIX)) {
      throw new IllegalArgumentException("not a key of this key manager: " + reference);
    }
    return UUID.fromString(reference.substring(REFERENCE_PREFIX.length()));
  }
}
