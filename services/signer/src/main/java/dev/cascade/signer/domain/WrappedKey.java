package dev.cascade.signer.domain;

import dev.cascade.dnssec.keys.KeyUse;

/**
 * One key of a zone's key set as the key manager publishes it: the DNSKEY fields in clear, the private key only as
 * AES-GCM-wrapped PKCS#8 bytes (house-style §6: private keys never travel in clear).
 *
 * @param keyTag the key tag the key manager computed (RFC 4034 Appendix B)
 * @param algorithm DNSSEC algorithm number (RFC 8624)
 * @param flags DNSKEY flags: 257 for a KSK or CSK (SEP bit set), 256 for a ZSK (RFC 4034 §2.1.1)
 * @param role KSK, ZSK or CSK
 * @param publicKey base64 DNSKEY public key field (RFC 4034 §2.2)
 * @param wrappedPrivateKey the wrapped private key; empty for a key a PKCS#11 token keeps
 * @param use what the key does in the zone as the key manager's rolls set it (published, signs the DNSKEY RRset,
 *     signs the rest); null for a key set announced without uses, whose keys do all their role's jobs
 * @param privateKeyUri the RFC 7512 URI of the private key in a PKCS#11 token; null for a wrapped key
 */
public record WrappedKey(
    int keyTag, int algorithm, int flags, String role, String publicKey, byte[] wrappedPrivateKey, KeyUse use,
    String privateKeyUri) {

  /** A wrapped key. */
  public WrappedKey(
      int keyTag, int algorithm, int flags, String role, String publicKey, byte[] wrappedPrivateKey, KeyUse use) {
    this(keyTag, algorithm, flags, role, publicKey, wrappedPrivateKey, use, null);
  }
}
