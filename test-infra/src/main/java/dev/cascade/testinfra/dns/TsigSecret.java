package dev.cascade.testinfra.dns;

import org.xbill.DNS.TSIG;

/**
 * A TSIG key (RFC 8945) as the test servers' configurations name it: algorithm, name and base64 secret. Written
 * {@code <algorithm>:<name>:<secret>}, kdig's and nsupdate's {@code -y} form.
 */
public record TsigSecret(String algorithm, String name, String secret) {

  /** Parses {@code <algorithm>:<name>:<secret>}. */
  public static TsigSecret parse(String text) {
    String[] parts = text.split(":", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not <algorithm>:<name>:<secret>: " + parts[0] + ":…");
    }
    return new TsigSecret(parts[0], parts[1], parts[2]);
  }

  /** {@code <algorithm>:<name>:<secret>}, for {@code kdig -y} and {@code nsupdate -y}. */
  public String text() {
    return algorithm + ":" + name + ":" + secret;
  }

  /** The key for dnsjava's clients ({@code ZoneTransferIn}, {@code SimpleResolver}). */
  public TSIG tsig() {
    return TSIG.fromString(text());
  }

  /** The same key with another secret: what a client that mistyped it sends. */
  public TsigSecret withSecret(String other) {
    return new TsigSecret(algorithm, name, other);
  }

  /** Never the secret: a record's default toString would print it in assertion messages. */
  @Override
  public String toString() {
    return algorithm + ":" + name;
  }
}
