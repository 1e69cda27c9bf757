package dev.cascade.dnssec.testsupport;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.SigningKey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;

/**
 * ECDSA keys whose private scalar d, public x or public y starts with a zero octet, made on purpose: about one key
 * in 256 has each property, so a coder that drops or expects that octet is tested on every run rather than on one
 * run in 256 (issue 12). Bouncy Castle generates the keys from a SHA1PRNG seeded with a fixed number, so every run
 * finds the same keys. {@link #writeBindFiles} writes them as BIND does, d without its leading zero octets.
 */
public final class LeadingZeroKeys {
  /** The value of the key that starts with a zero octet. */
  public enum Part { PRIVATE_SCALAR, PUBLIC_X, PUBLIC_Y }

  /** Each property holds for one key in 256, so 100 000 keys without it means the generator is broken. */
  private static final int MAX_TRIES = 100_000;
  private static final Map<String, KeyPair> FOUND = new ConcurrentHashMap<>();

  private LeadingZeroKeys() {}

  /**
   * A key of {@code zone} with the property.
   *
   * @param algorithm {@link Algorithms#ECDSAP256SHA256} or {@link Algorithms#ECDSAP384SHA384}
   * @param flags 257 (KSK) or 256 (ZSK)
   */
  public static SigningKey key(Name zone, int algorithm, Part part, int flags) {
    KeyPair pair = FOUND.computeIfAbsent(algorithm + "/" + part, k -> search(algorithm, part));
    try {
      DNSKEYRecord dnskey = new DNSKEYRecord(zone, DClass.IN, 3600, flags, DNSKEYRecord.Protocol.DNSSEC, algorithm,
          pair.getPublic());
      return new SigningKey(dnskey, pair.getPrivate());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The size in octets of d, x and y: 32 for P-256, 48 for P-384 (RFC 6605 §4). */
  public static int size(int algorithm) {
    return switch (algorithm) {
      case Algorithms.ECDSAP256SHA256 -> 32;
      case Algorithms.ECDSAP384SHA384 -> 48;
      default -> throw new IllegalArgumentException("not an ECDSA algorithm: " + algorithm);
    };
  }

  /**
   * Writes {@code K<zone>+<alg>+<tag>.key} and {@code .private} into {@code dir} in BIND's format, the
   * {@code PrivateKey} field as BIND writes it: d without leading zero octets. Returns the {@code .key} file.
   */
  public static Path writeBindFiles(SigningKey key, Path dir) throws IOException {
    String base = String.format(Locale.ROOT, "K%s+%03d+%05d", key.dnskey().getName(), key.algorithm(), key.keyTag());
    Path publicFile = dir.resolve(base + ".key");
    Files.writeString(publicFile, "; This is a " + (key.isSep() ? "key" : "zone") + "-signing key, keyid "
        + key.keyTag() + ", for " + key.dnskey().getName() + "\n"
        + key.dnskey().getName() + " IN DNSKEY " + key.dnskey().rdataToString() + "\n", StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve(base + ".private"), "Private-key-format: v1.3\n"
        + "Algorithm: " + key.algorithm() + " (" + Algorithms.mnemonic(key.algorithm()) + ")\n"
        + "PrivateKey: " + Base64.getEncoder().encodeToString(withoutLeadingZeros(((ECPrivateKey) key.privateKey())
            .getS())) + "\n", StandardCharsets.US_ASCII);
    return publicFile;
  }

  /** The unsigned big-endian octets of {@code n} without leading zero octets, as OpenSSL's BN_bn2bin writes them. */
  public static byte[] withoutLeadingZeros(BigInteger n) {
    byte[] b = n.toByteArray();
    return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static KeyPair search(int algorithm, Part part) {
    int bits = 8 * (size(algorithm) - 1);
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG", "SUN");
      random.setSeed(algorithm * 1000L + part.ordinal());  // seeded before first use: a fixed sequence
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CryptoProvider.bouncyCastle());
      generator.initialize(new ECGenParameterSpec(algorithm == Algorithms.ECDSAP256SHA256 ? "secp256r1" : "secp384r1"),
          random);
      for (int i = 0; i < MAX_TRIES; i++) {
        KeyPair pair = generator.generateKeyPair();
        if (value(pair, part).bitLength() <= bits) {
          return pair;
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no " + Algorithms.mnemonic(algorithm) + " key with a leading zero in " + part);
  }

  private static BigInteger value(KeyPair pair, Part part) {
    return switch (part) {
      case PRIVATE_SCALAR -> ((ECPrivateKey) pair.getPrivate()).getS();
      case PUBLIC_X -> ((ECPublicKey) pair.getPublic()).getW().getAffineX();
      case PUBLIC_Y -> ((ECPublicKey) pair.getPublic()).getW().getAffineY();
    };
  }
}
