package dev.cascade.signer.domain;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.dnssec.pkcs11.Pkcs11Uri;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Turns a wrapped key set into signing keys: rebuilds each DNSKEY record from its public fields, unwraps its
 * private key with the key-encryption key, and keeps its use. The clear private keys exist only in the returned
 * objects, in memory. A key a PKCS#11 token keeps is found there by its URI instead, and signs inside the token; a
 * key with neither a wrapped private key nor a URI is only published.
 */
public final class KeySetUnwrapper {

  /** DNSKEY protocol field: always 3 (RFC 4034 §2.1.2). */
  private static final int DNSKEY_PROTOCOL = 3;

  private final KeyWrap keyWrap;
  private final Pkcs11Token token;

  /** @param keyWrap the current key-encryption key, and the previous ones during a rotation */
  public KeySetUnwrapper(KeyWrap keyWrap) {
    this(keyWrap, null);
  }

  /**
   * @param keyWrap the current key-encryption key, and the previous ones during a rotation
   * @param token the PKCS#11 token the key manager keeps keys in; null for none
   */
  public KeySetUnwrapper(KeyWrap keyWrap, Pkcs11Token token) {
    this.keyWrap = keyWrap;
    this.token = token;
  }

  /**
   * The CDS and CDNSKEY records the key set asks the zone's apex to publish.
   *
   * @throws KeySetException naming the zone and the record when one does not parse, is of another type or owner
   */
  public static List<Record> cdsAndCdnskey(WrappedKeySet keySet) throws KeySetException {
    List<Record> records = new ArrayList<>();
    for (String text : keySet.cdsAndCdnskey()) {
      Record record;
      try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
        record = master.nextRecord();
      } catch (IOException | RuntimeException e) {
        throw new KeySetException("CDS/CDNSKEY record of " + keySet.zone() + " does not parse (" + e.getMessage()
            + "): " + text);
      }
      if (record == null || record.getType() != Type.CDS && record.getType() != Type.CDNSKEY
          || !record.getName().toString().equalsIgnoreCase(keySet.zone())) {
        throw new KeySetException("not a CDS or CDNSKEY record at the apex of " + keySet.zone() + ": " + text);
      }
      records.add(record);
    }
    return List.copyOf(records);
  }

  /**
   * Unwraps every key of the set.
   *
   * @throws KeySetException naming the zone and key tag when a key cannot be rebuilt or unwrapped, or when its
   *     public key does not produce the announced key tag; the message never contains key material
   */
  public List<SigningKey> unwrap(WrappedKeySet keySet) throws KeySetException {
    if (keySet.keys().isEmpty()) {
      throw new KeySetException("key set of " + keySet.zone() + " has no keys");
    }
    Name origin;
    try {
      origin = Name.fromString(keySet.zone(), Name.root);
    } catch (TextParseException e) {
      throw new KeySetException("key set zone name " + keySet.zone() + " is invalid: " + e.getMessage());
    }
    List<SigningKey> keys = new ArrayList<>(keySet.keys().size());
    for (WrappedKey key : keySet.keys()) {
      DNSKEYRecord dnskey;
      try {
        dnskey =
            new DNSKEYRecord(
                origin,
                DClass.IN,
                keySet.dnskeyTtl(),
                key.flags(),
                DNSKEY_PROTOCOL,
                key.algorithm(),
                Base64.getDecoder().decode(key.publicKey()));
      } catch (IllegalArgumentException e) {
        throw new KeySetException(
            "key " + key.keyTag() + " of " + keySet.zone() + ": public key is not valid base64");
      }
      if (dnskey.getFootprint() != key.keyTag()) {
        throw new KeySetException(
            "key " + key.keyTag() + " of " + keySet.zone() + ": public key has key tag " + dnskey.getFootprint());
      }
      if (key.privateKeyUri() != null) {
        keys.add(inToken(keySet.zone(), key, dnskey));
        continue;
      }
      if (key.wrappedPrivateKey().length == 0) {
        keys.add(publicOnly(keySet.zone(), key, dnskey));
        continue;
      }
      PrivateKey privateKey;
      try {
        privateKey = keyWrap.unwrap(key.wrappedPrivateKey(), dnskey);
      } catch (Exception e) {
        // The cause's message (for example "Tag mismatch") says why without exposing any key bytes.
        throw new KeySetException(
            "key " + key.keyTag() + " of " + keySet.zone() + ": cannot unwrap private key ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
      }
      keys.add(new SigningKey(dnskey, privateKey, key.use()));
    }
    return List.copyOf(keys);
  }

  /** A key the key manager has only the public half of (another signer's, RFC 8901 §2.1): it may only be published. */
  private static SigningKey publicOnly(String zone, WrappedKey key, DNSKEYRecord dnskey) throws KeySetException {
    try {
      return new SigningKey(dnskey, null, key.use());
    } catch (IllegalArgumentException e) {
      throw new KeySetException("key " + key.keyTag() + " of " + zone + " has no private key, yet its use is "
          + key.use() + ": it cannot sign");
    }
  }

  /** The key in the token, checked against its DNSKEY record ({@link Pkcs11Token#find}). */
  private SigningKey inToken(String zone, WrappedKey key, DNSKEYRecord dnskey) throws KeySetException {
    if (token == null) {
      throw new KeySetException("key " + key.keyTag() + " of " + zone + " is in a PKCS#11 token ("
          + key.privateKeyUri() + "), but this signer has no token configured (cascade.pkcs11.library)");
    }
    try {
      return token.find(Pkcs11Uri.parse(key.privateKeyUri()), dnskey, key.use());
    } catch (RuntimeException e) {
      throw new KeySetException("key " + key.keyTag() + " of " + zone + ": " + e.getMessage());
    }
  }
}
