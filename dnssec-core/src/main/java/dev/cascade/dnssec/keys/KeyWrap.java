package dev.cascade.dnssec.keys;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wraps private keys for storage: AES-256-GCM (NIST SP 800-38D) over the PKCS#8 encoding, output
 * {@code IV (12 bytes, random) || ciphertext || tag (16 bytes)}. The DNSSEC algorithm number is the
 * additional authenticated data, so a wrapped key cannot be unwrapped as a key of another algorithm.
 */
public final class KeyWrap {
  /** 96-bit IV: the length SP 800-38D §8.2 recommends; random, so one KEK can wrap about 2^32 keys. */
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec kek;
  private final SecureRandom random = new SecureRandom();

  /** @param kek32 the 32-byte key-encryption key (config {@code cascade.key-encryption-key}) */
  public KeyWrap(byte[] kek32) {
    if (kek32 == null || kek32.length != 32) {
      throw new IllegalArgumentException("the key-encryption key must be 32 bytes (AES-256)");
    }
    this.kek = new SecretKeySpec(kek32.clone(), "AES");
  }

  /** Wraps a key of the given DNSSEC algorithm. */
  public byte[] wrap(PrivateKey k, int dnssecAlgorithm) {
    if (!"PKCS#8".equals(k.getFormat())) {
      throw new IllegalArgumentException("private key has no PKCS#8 encoding (format " + k.getFormat() + ")");
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] plain = k.getEncoded();
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, dnssecAlgorithm);
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM wrapping failed", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Wraps a key whose DNSSEC algorithm follows from the key itself (ECDSA curve, Ed25519, Ed448).
   *
   * @throws IllegalArgumentException for RSA keys, which fit both RSASHA256 and RSASHA512: use
   *     {@link #wrap(PrivateKey, int)}
   */
  public byte[] wrap(PrivateKey k) {
    return wrap(k, algorithmOf(k));
  }

  /**
   * Unwraps what {@link #wrap} produced.
   *
   * @throws IllegalArgumentException if the key-encryption key or the algorithm is wrong or the data is damaged
   */
  public PrivateKey unwrap(byte[] wrapped, int dnssecAlgorithm) {
    if (wrapped.length <= IV_BYTES) {
      throw new IllegalArgumentException("wrapped key too short");
    }
    byte[] plain = null;
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(wrapped, IV_BYTES), dnssecAlgorithm);
      plain = cipher.doFinal(wrapped, IV_BYTES, wrapped.length - IV_BYTES);
      return KeyFactory.getInstance(jcaKeyAlgorithm(dnssecAlgorithm), CryptoProvider.bouncyCastle())
          .generatePrivate(new PKCS8EncodedKeySpec(plain));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot unwrap the private key: wrong key-encryption key or algorithm, or damaged data", e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private Cipher cipher(int mode, byte[] iv, int dnssecAlgorithm) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, kek, new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD(new byte[] {(byte) dnssecAlgorithm});  // algorithm numbers are one octet (RFC 4034 §2.1.3)
    return cipher;
  }

  private static String jcaKeyAlgorithm(int dnssecAlgorithm) {
    return switch (dnssecAlgorithm) {
      case Algorithms.RSASHA256, Algorithms.RSASHA512 -> "RSA";
      case Algorithms.ECDSAP256SHA256, Algorithms.ECDSAP384SHA384 -> "EC";
      case Algorithms.ED25519 -> "Ed25519";
      case Algorithms.ED448 -> "Ed448";
      default -> throw new IllegalArgumentException("unsupported DNSSEC algorithm " + dnssecAlgorithm);
    };
  }

  private static int algorithmOf(PrivateKey k) {
    if (k instanceof ECPrivateKey ec) {
      int bits = ec.getParams().getOrder().bitLength();
      if (bits == 256) {
        return Algorithms.ECDSAP256SHA256;
      }
      if (bits == 384) {
        return Algorithms.ECDSAP384SHA384;
      }
    }
    // The JDK names EdDSA keys "EdDSA" and keeps the curve in the parameters; Bouncy Castle names the curve.
    String name = k instanceof EdECPrivateKey ed ? ed.getParams().getName() : k.getAlgorithm();
    if (name.equalsIgnoreCase("Ed25519")) {
      return Algorithms.ED25519;
    }
    if (name.equalsIgnoreCase("Ed448")) {
      return Algorithms.ED448;
    }
    throw new IllegalArgumentException("cannot tell the DNSSEC algorithm of a " + name
        + " key (RSA fits RSASHA256 and RSASHA512): use wrap(key, algorithm)");
  }
}
