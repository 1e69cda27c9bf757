package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.keymanager.domain.HsmKeys;
import dev.cascade.keymanager.domain.NewKey;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.UUID;

/**
 * The row of a key the key manager made or took in, with its private half where the house rules keep it (house-style
 * §6): a key of the PKCS#11 token by its RFC 7512 URI alone, a software key wrapped under the current key-encryption
 * key, a key only published with neither. Every new key's row is made here: generated, rolled in, or imported.
 */
@ApplicationScoped
class KeyRows {
  private final HsmKeys hsmKeys;
  private final KeyWrap keyWrap;

  KeyRows(HsmKeys hsmKeys, KeyWrap keyWrap) {
    this.hsmKeys = hsmKeys;
    this.keyWrap = keyWrap;
  }

  /**
   * The row of {@code key}, with no use yet: the caller sets it ({@link StoredZoneKey#activeInItsRole}, or the roll
   * step's uses).
   *
   * @param cause the event or step that brought the key in
   */
  StoredZoneKey row(String zone, UUID id, NewKey key, long dnskeyTtl, String cause) {
    return row(zone, id, key, dnskeyTtl, cause, null);
  }

  /**
   * As {@link #row(String, UUID, NewKey, long, String)}, for a key taken over in the token under the URI it was
   * imported with ({@code cascade migrate opendnssec}); null: the URI this key manager gives a key it made there.
   */
  StoredZoneKey row(String zone, UUID id, NewKey key, long dnskeyTtl, String cause, String privateKeyUri) {
    SigningKey signingKey = key.key();
    StoredZoneKey row = new StoredZoneKey();
    row.id = id;
    row.zone = zone;
    row.keyTag = signingKey.keyTag();
    row.algorithm = signingKey.dnskey().getAlgorithm();
    row.flags = signingKey.dnskey().getFlags();
    row.role = key.role();
    row.publicKey = Base64.getEncoder().encodeToString(signingKey.dnskey().getKey());
    row.privateKeyUri = privateKeyUri != null ? privateKeyUri : hsmKeys.privateKeyUri(signingKey);
    row.wrappedPrivateKey = row.privateKeyUri != null || signingKey.privateKey() == null
        ? new byte[0] : keyWrap.wrap(signingKey);
    row.dnskeyTtl = dnskeyTtl;
    row.createdAt = key.createdAt();
    row.expiresAt = key.expiresAt();
    row.activatedBy = cause;
    return row;
  }
}
