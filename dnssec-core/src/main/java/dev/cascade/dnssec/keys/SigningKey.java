package dev.cascade.dnssec.keys;

import java.security.PrivateKey;
import java.util.Objects;
import org.xbill.DNS.DNSKEYRecord;

/**
 * A DNSSEC key pair as the signer uses it: the public half as the DNSKEY record published at the
 * apex (RFC 4034 §2), the private half, and what the key does in the zone. {@link #toString()} never shows the
 * private key.
 *
 * @param privateKey the private half; null for a key that is only published
 * @param use what the key does during a roll; null for a key that does all its role's jobs, its role told by the
 *     SEP flag: then, per algorithm, the SEP keys sign the DNSKEY RRset and the others the rest, and every key is
 *     published (see {@code ZoneSigner})
 * @param provider the name of the JCA provider that holds the private key and must sign with it, as a PKCS#11
 *     token's SunPKCS11 provider does for a key that never leaves the token; null for a key in memory, which the
 *     fastest provider signs ({@link CryptoProvider#signingProvider(int)})
 */
public record SigningKey(DNSKEYRecord dnskey, PrivateKey privateKey, KeyUse use, String provider) {
  public SigningKey {
    Objects.requireNonNull(dnskey, "dnskey");
    if (privateKey == null && (use == null || use.signsKeys() || use.signsZone())) {
      throw new IllegalArgumentException("key " + dnskey.getFootprint() + " has no private key, so it cannot sign");
    }
  }

  /** A key only published in the DNSKEY RRset, whose private half is elsewhere (another signer's, RFC 8901). */
  public static SigningKey publicOnly(DNSKEYRecord dnskey) {
    return new SigningKey(dnskey, null, new KeyUse(true, false, false), null);
  }

  /** A key in memory doing {@code use}. */
  public SigningKey(DNSKEYRecord dnskey, PrivateKey privateKey, KeyUse use) {
    this(dnskey, privateKey, use, null);
  }

  /** A key that does all its role's jobs: what a zone outside any roll, and an offline signing, has. */
  public SigningKey(DNSKEYRecord dnskey, PrivateKey privateKey) {
    this(dnskey, privateKey, null);
  }

  /** This key doing {@code use}. */
  public SigningKey withUse(KeyUse use) {
    return new SigningKey(dnskey, privateKey, use, provider);
  }

  /** The key tag (RFC 4034 Appendix B) that RRSIGs made with this key carry. */
  public int keyTag() {
    return dnskey.getFootprint();
  }

  /** The DNSSEC algorithm number (RFC 4034 §2.1.3). */
  public int algorithm() {
    return dnskey.getAlgorithm();
  }

  /** True for a KSK or CSK: the Secure Entry Point flag (RFC 4034 §2.1.1, RFC 3757) is set. */
  public boolean isSep() {
    return (dnskey.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0;
  }

  @Override
  public String toString() {
    return "SigningKey[" + dnskey.getName() + " " + Algorithms.mnemonic(algorithm()) + " tag " + keyTag()
        + (isSep() ? " SEP" : "") + (use == null ? "" : " " + use) + (provider == null ? "" : " in " + provider) + "]";
  }
}
