package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.dnssec.pkcs11.Pkcs11Uri;
import java.util.Map;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * The PKCS#11 token this key manager generates keys in, under the id policies name it by
 * ({@code [key-manager.generation] hsm-server-id}); {@link #NONE} when none is configured. A key generated there
 * is stored and announced with its RFC 7512 URI instead of a wrapped private key.
 */
public final class HsmKeys {
  /** No token: every key is a software key. */
  public static final HsmKeys NONE = new HsmKeys(null, null);

  private final String serverId;
  private final Pkcs11Token token;

  /** @param serverId the id policies name the token by */
  public HsmKeys(String serverId, Pkcs11Token token) {
    this.serverId = serverId;
    this.token = token;
  }

  /** The token as a key source, by its id; empty for {@link #NONE}. */
  public Map<String, KeySetGenerator.KeySource> sources() {
    if (token == null) {
      return Map.of();
    }
    return Map.of(serverId, new KeySetGenerator.KeySource() {
      @Override
      public SigningKey generate(Name zone, KeyAlgorithm algorithm, int flags, long ttl) {
        return token.generate(zone, algorithm, flags, ttl);
      }

      @Override
      public void discard(SigningKey key) {
        token.delete(token.uriOf(key.dnskey()));
      }
    });
  }

  /**
   * The key {@code privateKeyUri} names in the token, to be taken over as it is ({@code cascade migrate opendnssec}):
   * the private key stays in the token.
   *
   * @throws IllegalArgumentException when there is no token, the URI is malformed or for another token, or the
   *     token's key is not the DNSKEY's
   */
  public SigningKey open(String privateKeyUri, DNSKEYRecord dnskey) {
    if (token == null) {
      throw new IllegalArgumentException("this key manager has no PKCS#11 token (cascade.pkcs11.library), so it "
          + "cannot take over the key " + privateKeyUri);
    }
    return token.find(Pkcs11Uri.parse(privateKeyUri), dnskey, null);
  }

  /**
   * Destroys the token's key {@code privateKeyUri} names, for a key removed for good.
   *
   * @return false if the token had no such key (removed before)
   * @throws IllegalStateException when this key manager has no token, or the token refuses
   */
  public boolean destroy(String privateKeyUri) {
    if (token == null) {
      throw new IllegalStateException("key " + privateKeyUri + " is in a PKCS#11 token, and this key manager has none"
          + " configured (cascade.pkcs11.library)");
    }
    return token.delete(Pkcs11Uri.parse(privateKeyUri));
  }

  /**
   * The RFC 7512 URI of {@code key}'s private key if the token holds it; null for a software key.
   *
   * @throws IllegalStateException for a key in some other provider, which this key manager cannot name
   */
  public String privateKeyUri(SigningKey key) {
    if (key.provider() == null) {
      return null;
    }
    if (token == null || !key.provider().equals(token.providerName())) {
      throw new IllegalStateException("key " + key.keyTag() + " is in " + key.provider()
          + ", not in this key manager's PKCS#11 token");
    }
    return token.uriOf(key.dnskey()).toString();
  }
}
