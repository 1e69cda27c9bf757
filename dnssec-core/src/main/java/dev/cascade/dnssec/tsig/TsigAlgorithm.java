package dev.cascade.dnssec.tsig;

import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * The TSIG algorithms Cascade accepts, by their names in the IANA "TSIG Algorithm Names" registry (RFC 8945 §6):
 * HMAC-SHA256 (mandatory to implement), HMAC-SHA384 and HMAC-SHA512, and HMAC-SHA1 for old primaries (RFC 8945 §6
 * keeps it as "required" for interoperability). HMAC-MD5 is refused: RFC 8945 §6 marks it deprecated, and the
 * reference does not offer it either.
 */
public enum TsigAlgorithm {
  HMAC_SHA1("hmac-sha1", TSIG.HMAC_SHA1),
  HMAC_SHA256("hmac-sha256", TSIG.HMAC_SHA256),
  HMAC_SHA384("hmac-sha384", TSIG.HMAC_SHA384),
  HMAC_SHA512("hmac-sha512", TSIG.HMAC_SHA512);

  /** The reference's default for {@code tsig add} without an algorithm. */
  public static final TsigAlgorithm DEFAULT = HMAC_SHA256;

  private final String mnemonic;
  private final Name dnsName;

  TsigAlgorithm(String mnemonic, Name dnsName) {
    this.mnemonic = mnemonic;
    this.dnsName = dnsName;
  }

  /** The IANA name, such as {@code hmac-sha256}: what BIND key files, kdig and the CLI use. */
  public String mnemonic() {
    return mnemonic;
  }

  /** The algorithm name as it appears in the TSIG RR (RFC 8945 §4.2, "Algorithm Name"). */
  public Name dnsName() {
    return dnsName;
  }

  /**
   * Parses an algorithm name: the IANA name in any case, with or without a final dot, or the reference API's
   * {@code HmacSha256} form.
   *
   * @throws IllegalArgumentException naming the accepted algorithms
   */
  public static TsigAlgorithm parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (wanted.endsWith(".")) {
      wanted = wanted.substring(0, wanted.length() - 1);
    }
    for (TsigAlgorithm algorithm : values()) {
      if (algorithm.mnemonic.equals(wanted) || algorithm.mnemonic.replace("-", "").equals(wanted)) {
        return algorithm;
      }
    }
    throw new IllegalArgumentException("unknown TSIG algorithm '" + text
        + "' (accepted: hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512)");
  }

  /** The algorithm of a TSIG RR's algorithm name, if it is one of ours. */
  public static Optional<TsigAlgorithm> of(Name dnsName) {
    for (TsigAlgorithm algorithm : values()) {
      if (algorithm.dnsName.equals(dnsName)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }
}
