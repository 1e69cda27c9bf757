package dev.cascade.dnssec.keys;

import java.util.Locale;
import java.util.Map;

/**
 * The DNSSEC algorithms Cascade signs with and their mnemonics as registered by IANA and used in
 * RFC 8624 §3.1. Only algorithms RFC 8624 lists as MUST or RECOMMENDED for signing, plus ED448 and
 * RSASHA512 (MAY / NOT RECOMMENDED but still validated everywhere), are accepted.
 */
public final class Algorithms {
  public static final int RSASHA256 = 8;
  public static final int RSASHA512 = 10;
  public static final int ECDSAP256SHA256 = 13;
  public static final int ECDSAP384SHA384 = 14;
  public static final int ED25519 = 15;
  public static final int ED448 = 16;

  private static final Map<Integer, String> MNEMONICS = Map.of(
      RSASHA256, "RSASHA256",
      RSASHA512, "RSASHA512",
      ECDSAP256SHA256, "ECDSAP256SHA256",
      ECDSAP384SHA384, "ECDSAP384SHA384",
      ED25519, "ED25519",
      ED448, "ED448");

  private Algorithms() {}

  /**
   * The algorithm number for a mnemonic (case-insensitive, e.g. {@code "ecdsap256sha256"}) or for its
   * decimal number (e.g. {@code "13"}).
   *
   * @throws IllegalArgumentException if the algorithm is not one Cascade signs with
   */
  public static int fromMnemonic(String m) {
    String upper = m.trim().toUpperCase(Locale.ROOT);
    for (Map.Entry<Integer, String> e : MNEMONICS.entrySet()) {
      if (e.getValue().equals(upper) || e.getKey().toString().equals(upper)) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("unsupported DNSSEC algorithm " + m + "; supported: " + MNEMONICS.values());
  }

  /**
   * The RFC 8624 mnemonic of an algorithm number.
   *
   * @throws IllegalArgumentException if the algorithm is not one Cascade signs with
   */
  public static String mnemonic(int alg) {
    String m = MNEMONICS.get(alg);
    if (m == null) {
      throw new IllegalArgumentException("unsupported DNSSEC algorithm " + alg + "; supported: " + MNEMONICS.keySet());
    }
    return m;
  }

  /** Whether Cascade can generate keys for and sign with this algorithm. */
  public static boolean isSupported(int alg) {
    return MNEMONICS.containsKey(alg);
  }
}
