package dev.cascade.dnssec.keys;

import java.security.PrivateKey;
import java.util.Objects;
import org.xbill.DNS.DNSKEYRecord;

/**
 * A DNSSEC key pair as the signer uses it: the public half as the DNSKEY record published at the
 * apex (RFC 4034 §2) and the private half. {@link #toString()} never shows the private key.
 */
public record SigningKey(DNSKEYRecord dnskey, PrivateKey privateKey) {
  public SigningKey {
    Objects.requireNonNull(dnskey, "dnskey");
    Objects.requireNonNull(privateKey, "privateKey");
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
        + (isSep() ? " SEP" : "") + "]";
  }
}
