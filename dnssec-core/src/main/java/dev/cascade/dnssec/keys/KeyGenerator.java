package dev.cascade.dnssec.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;

/** Generates DNSSEC key pairs with Bouncy Castle (which, unlike some native providers, also does Ed448). */
public final class KeyGenerator {
  /** Flags of a KSK or CSK: Zone Key + Secure Entry Point (RFC 4034 §2.1.1). */
  public static final int FLAGS_SEP = DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY;
  /** Flags of a ZSK: Zone Key only (RFC 4034 §2.1.1). */
  public static final int FLAGS_ZSK = DNSKEYRecord.Flags.ZONE_KEY;

  private KeyGenerator() {}

  /** Generates a key pair of {@code algorithm} with its default size ({@link KeyAlgorithm#of}). */
  public static SigningKey generate(Name zone, int algorithm, int flags, long ttl) {
    return generate(zone, KeyAlgorithm.of(algorithm), flags, ttl);
  }

  /**
   * Generates a new key pair and its DNSKEY record.
   *
   * @param zone the apex owning the key
   * @param algorithm the algorithm, with the RSA modulus length for RSA
   * @param flags {@link #FLAGS_SEP} (257, KSK/CSK) or {@link #FLAGS_ZSK} (256, ZSK)
   * @param ttl TTL of the DNSKEY record
   * @throws IllegalArgumentException for an unsupported algorithm or flags
   */
  public static SigningKey generate(Name zone, KeyAlgorithm algorithm, int flags, long ttl) {
    if (flags != FLAGS_SEP && flags != FLAGS_ZSK) {
      throw new IllegalArgumentException("flags must be 257 (KSK/CSK) or 256 (ZSK), not " + flags);
    }
    KeyPair pair = keyPair(algorithm.number(), algorithm.modulusBits());
    try {
      DNSKEYRecord dnskey = new DNSKEYRecord(zone, DClass.IN, ttl, flags, DNSKEYRecord.Protocol.DNSSEC,
          algorithm.number(), pair.getPublic());
      return new SigningKey(dnskey, pair.getPrivate());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("dnsjava cannot encode a " + algorithm + " public key", e);
    }
  }

  /** A Bouncy Castle key pair for the algorithm; {@code rsaBits} only matters for RSA. */
  static KeyPair keyPair(int algorithm, int rsaBits) {
    String jca;
    AlgorithmParameterSpec spec;
    switch (algorithm) {
      case Algorithms.RSASHA256, Algorithms.RSASHA512 -> {
        jca = "RSA";
        // Public exponent 65537 (F4), as every DNSSEC signer uses.
        spec = new RSAKeyGenParameterSpec(rsaBits, BigInteger.valueOf(65537));
      }
      case Algorithms.ECDSAP256SHA256 -> {
        jca = "EC";
        spec = new ECGenParameterSpec("secp256r1");  // RFC 6605 §2: P-256
      }
      case Algorithms.ECDSAP384SHA384 -> {
        jca = "EC";
        spec = new ECGenParameterSpec("secp384r1");  // RFC 6605 §2: P-384
      }
      case Algorithms.ED25519 -> {
        jca = "Ed25519";  // RFC 8080 §3
        spec = null;
      }
      case Algorithms.ED448 -> {
        jca = "Ed448";  // RFC 8080 §3
        spec = null;
      }
      default -> throw new IllegalArgumentException("unsupported DNSSEC algorithm " + algorithm);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(jca, CryptoProvider.bouncyCastle());
      if (spec != null) {
        generator.initialize(spec);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Bouncy Castle cannot generate " + jca + " keys", e);
    }
  }
}
