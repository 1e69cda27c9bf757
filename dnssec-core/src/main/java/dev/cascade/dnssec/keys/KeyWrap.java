package dev.cascade.dnssec.keys;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.DNSKEYRecord;

/**
 * Wraps private keys for storage: AES-256-GCM (NIST SP 800-38D) over the PKCS#8 encoding, under a key-encryption key
 * (KEK). Output: {@link #MAGIC}, the KEK's id (one length octet, then ASCII), IV (12 bytes, random), ciphertext and
 * tag (16 bytes). The additional authenticated data binds the wrapped key to its KEK's id, its zone (the DNSKEY's
 * owner, lower-cased) and its public key with its algorithm, so a wrapped key cannot be passed off as another zone's
 * key or as another key of the same zone.
 *
 * <p>A KEK is rotated by giving the new one as current and the old ones as previous: keys wrapped under any of them
 * are unwrapped, new wraps use the current one, and {@link #wrappedByCurrent} tells which keys still need wrapping
 * again. Keys wrapped before the KEK had an id (IV first, the algorithm number alone as additional data) are still
 * unwrapped, and are never wrapped by the current KEK in that sense.
 */
public final class KeyWrap {
  /** First octets of a wrapped key that names its KEK; a key wrapped before starts with its random IV. */
  static final byte[] MAGIC = "CKW2".getBytes(StandardCharsets.US_ASCII);
  /** 96-bit IV: the length SP 800-38D §8.2 recommends; random, so one KEK can wrap about 2^32 keys. */
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** A KEK and its id. */
  private record Kek(String id, SecretKeySpec key) {
    static Kek of(byte[] kek32) {
      if (kek32 == null || kek32.length != 32) {
        throw new IllegalArgumentException("a key-encryption key must be 32 bytes (AES-256)");
      }
      return new Kek(idOf(kek32), new SecretKeySpec(kek32.clone(), "AES"));
    }
  }

  private final Kek current;
  private final List<Kek> all;
  private final SecureRandom random = new SecureRandom();

  /** @param kek32 the 32-byte key-encryption key (config {@code cascade.key-encryption-key}) */
  public KeyWrap(byte[] kek32) {
    this(kek32, List.of());
  }

  /**
   * @param kek32 the current 32-byte key-encryption key, for new wraps and for unwrapping
   * @param previous earlier key-encryption keys, for unwrapping only, while keys are wrapped again under the current
   */
  public KeyWrap(byte[] kek32, List<byte[]> previous) {
    this.current = Kek.of(kek32);
    List<Kek> keks = new ArrayList<>();
    keks.add(current);
    previous.stream().map(Kek::of).filter(kek -> !kek.id().equals(current.id())).forEach(keks::add);
    this.all = List.copyOf(keks);
  }

  /**
   * The id of a KEK: the first 8 octets of its SHA-256, in hex. It names the KEK in wrapped keys and in logs without
   * revealing it, and needs no configuration of its own.
   */
  public static String idOf(byte[] kek32) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(kek32), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JCA algorithm", e);
    }
  }

  /** The id of the current KEK. */
  public String currentId() {
    return current.id();
  }

  /** Wraps {@code key}'s private key under the current KEK, bound to its zone and public key. */
  public byte[] wrap(SigningKey key) {
    PrivateKey k = key.privateKey();
    if (!"PKCS#8".equals(k.getFormat())) {
      throw new IllegalArgumentException("private key has no PKCS#8 encoding (format " + k.getFormat() + ")");
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] plain = k.getEncoded();
    byte[] id = current.id().getBytes(StandardCharsets.US_ASCII);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, current, iv);
      cipher.updateAAD(boundTo(current.id(), key.dnskey()));
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(MAGIC.length + 1 + id.length + IV_BYTES + sealed.length)
          .put(MAGIC).put((byte) id.length).put(id).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM wrapping failed", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Unwraps what {@link #wrap} produced for {@code dnskey}, or a key wrapped before KEKs had ids.
   *
   * @throws IllegalArgumentException if no KEK given here wrapped it, it was wrapped for another key or zone, or the
   *     data is damaged; the message names the KEK ids, never key material
   */
  public PrivateKey unwrap(byte[] wrapped, DNSKEYRecord dnskey) {
    Optional<String> id = kekIdOf(wrapped);
    byte[] plain = null;
    try {
      if (id.isPresent()) {
        Kek kek = all.stream().filter(k -> k.id().equals(id.get())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("the private key is wrapped under key-encryption key "
                + id.get() + ", which is not configured (current " + current.id() + ")"));
        int at = MAGIC.length + 1 + id.get().length();
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, kek, Arrays.copyOfRange(wrapped, at, at + IV_BYTES));
        cipher.updateAAD(boundTo(kek.id(), dnskey));
        plain = cipher.doFinal(wrapped, at + IV_BYTES, wrapped.length - at - IV_BYTES);
      } else {
        plain = unwrapWithoutId(wrapped, dnskey.getAlgorithm());
      }
      return KeyFactory.getInstance(jcaKeyAlgorithm(dnskey.getAlgorithm()), CryptoProvider.bouncyCastle())
          .generatePrivate(new PKCS8EncodedKeySpec(plain));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot unwrap the private key under key-encryption key "
          + id.orElse("(any configured)") + ": wrapped for another zone or key, or damaged data", e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  /**
   * Wraps a secret that is not a DNSSEC private key (a TSIG secret) under the current KEK, in the format of
   * {@link #wrap}, bound to {@code context}: what the secret is for, so it cannot be passed off as another's.
   */
  public byte[] wrapSecret(byte[] secret, byte[] context) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] id = current.id().getBytes(StandardCharsets.US_ASCII);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, current, iv);
      cipher.updateAAD(boundTo(current.id(), context));
      byte[] sealed = cipher.doFinal(secret);
      return ByteBuffer.allocate(MAGIC.length + 1 + id.length + IV_BYTES + sealed.length)
          .put(MAGIC).put((byte) id.length).put(id).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM wrapping failed", e);
    }
  }

  /**
   * Unwraps what {@link #wrapSecret} wrapped for {@code context}.
   *
   * @throws IllegalArgumentException if no KEK given here wrapped it, it was wrapped for another context, or the
   *     data is damaged; the message names the KEK ids, never the secret
   */
  public byte[] unwrapSecret(byte[] wrapped, byte[] context) {
    String id = kekIdOf(wrapped).orElseThrow(
        () -> new IllegalArgumentException("the wrapped secret names no key-encryption key"));
    Kek kek = all.stream().filter(k -> k.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the secret is wrapped under key-encryption key "
            + id + ", which is not configured (current " + current.id() + ")"));
    int at = MAGIC.length + 1 + id.length();
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, kek, Arrays.copyOfRange(wrapped, at, at + IV_BYTES));
      cipher.updateAAD(boundTo(kek.id(), context));
      return cipher.doFinal(wrapped, at + IV_BYTES, wrapped.length - at - IV_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot unwrap the secret under key-encryption key " + id
          + ": wrapped for another key, or damaged data", e);
    }
  }

  /** The id of the KEK {@code wrapped} names; empty for a key wrapped before KEKs had ids. */
  public static Optional<String> kekIdOf(byte[] wrapped) {
    if (wrapped.length <= MAGIC.length + 1 || !Arrays.equals(wrapped, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return Optional.empty();
    }
    int length = wrapped[MAGIC.length] & 0xFF;
    if (wrapped.length < MAGIC.length + 1 + length + IV_BYTES) {
      return Optional.empty();
    }
    return Optional.of(new String(wrapped, MAGIC.length + 1, length, StandardCharsets.US_ASCII));
  }

  /** True if {@code wrapped} is wrapped under the current KEK, bound to its key: nothing to wrap again. */
  public boolean wrappedByCurrent(byte[] wrapped) {
    return kekIdOf(wrapped).filter(current.id()::equals).isPresent();
  }

  /**
   * A key wrapped before KEKs had ids: IV first, the algorithm number as the only additional data. Tried with every
   * KEK given; a wrap that starts with {@link #MAGIC} by chance (a random IV, 2^-32) is not one of these.
   */
  private byte[] unwrapWithoutId(byte[] wrapped, int dnssecAlgorithm) throws GeneralSecurityException {
    if (wrapped.length <= IV_BYTES) {
      throw new IllegalArgumentException("wrapped key too short");
    }
    AEADBadTagException last = null;
    for (Kek kek : all) {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, kek, Arrays.copyOf(wrapped, IV_BYTES));
      cipher.updateAAD(new byte[] {(byte) dnssecAlgorithm});  // algorithm numbers are one octet (RFC 4034 §2.1.3)
      try {
        return cipher.doFinal(wrapped, IV_BYTES, wrapped.length - IV_BYTES);
      } catch (AEADBadTagException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * The additional authenticated data: the magic, the KEK's id, the zone (the DNSKEY owner in lower-cased wire form,
   * RFC 4034 §6.2), the algorithm and the public key field (RFC 4034 §2.1.3, §2.1.4). The flags are left out: a key
   * keeps its private half when it is revoked (RFC 5011 §2.1) or changes role.
   */
  private static byte[] boundTo(String kekId, DNSKEYRecord dnskey) {
    ByteArrayOutputStream key = new ByteArrayOutputStream();
    key.writeBytes(dnskey.getName().toWireCanonical());
    key.write(dnskey.getAlgorithm());
    key.writeBytes(dnskey.getKey());
    return boundTo(kekId, key.toByteArray());
  }

  /** The magic, the KEK's id, then what the wrapped data is bound to. */
  private static byte[] boundTo(String kekId, byte[] context) {
    ByteArrayOutputStream aad = new ByteArrayOutputStream();
    aad.writeBytes(MAGIC);
    byte[] id = kekId.getBytes(StandardCharsets.US_ASCII);
    aad.write(id.length);
    aad.writeBytes(id);
    aad.writeBytes(context);
    return aad.toByteArray();
  }

  private static Cipher cipher(int mode, Kek kek, byte[] iv) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, kek.key(), new GCMParameterSpec(TAG_BITS, iv));
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
}
