package dev.cascade.dnssec.keys;

import java.util.Locale;

/**
 * The algorithm new keys are generated for, with the RSA modulus length: a policy's
 * {@code [key-manager.generation] algorithm}, written as the reference writes it, {@code <mnemonic>[:<bits>]}
 * (e.g. {@code RSASHA256:3072}; cascade-reference.md §"Policy").
 *
 * @param number DNSSEC algorithm number ({@link Algorithms})
 * @param modulusBits RSA modulus length in bits; 0 for the algorithms whose key size the algorithm fixes
 */
public record KeyAlgorithm(int number, int modulusBits) {

  /**
   * RSA modulus length when the policy names none: 2048 bits, the reference's default and the minimum NIST SP 800-57
   * Part 1 Rev. 5 (Table 2, 112-bit security) accepts for signatures made today.
   */
  public static final int DEFAULT_MODULUS_BITS = 2048;

  /** The longest RSA modulus RFC 5702 §2 allows for RSASHA256 and RSASHA512 keys in DNSSEC. */
  public static final int MAX_MODULUS_BITS = 4096;

  public KeyAlgorithm {
    if (!Algorithms.isSupported(number)) {
      throw new IllegalArgumentException("unsupported DNSSEC algorithm " + number);
    }
    if (isRsa(number) && (modulusBits < DEFAULT_MODULUS_BITS || modulusBits > MAX_MODULUS_BITS)) {
      throw new IllegalArgumentException("an RSA modulus must have " + DEFAULT_MODULUS_BITS + " to " + MAX_MODULUS_BITS
          + " bits (NIST SP 800-57, RFC 5702 §2), not " + modulusBits);
    }
    if (!isRsa(number) && modulusBits != 0) {
      throw new IllegalArgumentException(Algorithms.mnemonic(number) + " keys have a fixed size: no \":" + modulusBits
          + "\"");
    }
  }

  /** {@code algorithm} with its default key size. */
  public static KeyAlgorithm of(int algorithm) {
    return new KeyAlgorithm(algorithm, isRsa(algorithm) ? DEFAULT_MODULUS_BITS : 0);
  }

  /**
   * Parses {@code <mnemonic or number>[:<bits>]}, case-insensitive.
   *
   * @throws IllegalArgumentException for an algorithm Cascade does not sign with, a size on a non-RSA algorithm, or an
   *     RSA size out of range
   */
  public static KeyAlgorithm parse(String text) {
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    if (colon < 0) {
      return of(Algorithms.fromMnemonic(trimmed));
    }
    int number = Algorithms.fromMnemonic(trimmed.substring(0, colon));
    String bits = trimmed.substring(colon + 1);
    if (!bits.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("the key size after \":\" must be a number of bits, got \"" + bits + "\"");
    }
    return new KeyAlgorithm(number, Integer.parseInt(bits));
  }

  /** Whether keys of {@code algorithm} are RSA keys, whose size the policy chooses. */
  public static boolean isRsa(int algorithm) {
    return algorithm == Algorithms.RSASHA256 || algorithm == Algorithms.RSASHA512;
  }

  /** The policy's syntax: the mnemonic, with {@code :<bits>} for an RSA size other than the default. */
  @Override
  public String toString() {
    String mnemonic = Algorithms.mnemonic(number).toUpperCase(Locale.ROOT);
    return isRsa(number) && modulusBits != DEFAULT_MODULUS_BITS ? mnemonic + ":" + modulusBits : mnemonic;
  }
}
