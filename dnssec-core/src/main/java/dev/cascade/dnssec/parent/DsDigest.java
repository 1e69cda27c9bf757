package dev.cascade.dnssec.parent;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The digest of the DS and CDS records ({@code [key-manager] ds-algorithm}): SHA-256 (RFC 4509), the reference's
 * default and the one RFC 8624 §3.3 says MUST be used, or SHA-384 (RFC 6605 §2). SHA-1 is left out: RFC 8624 §3.3
 * says it MUST NOT be used to make DS records.
 */
public enum DsDigest {
  SHA_256("SHA-256", 2),
  SHA_384("SHA-384", 4);

  private final String word;
  private final int id;

  DsDigest(String word, int id) {
    this.word = word;
    this.id = id;
  }

  /** The policy's spelling, the reference's. */
  public String word() {
    return word;
  }

  /** The DS digest type number (IANA "Delegation Signer (DS) Resource Record (RR) Type Digest Algorithms"). */
  public int id() {
    return id;
  }

  /**
   * The digest spelled {@code word}.
   *
   * @throws IllegalArgumentException naming the accepted spellings
   */
  public static DsDigest fromWord(String word) {
    return Arrays.stream(values()).filter(d -> d.word.equalsIgnoreCase(word)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("ds-algorithm must be one of "
            + Arrays.stream(values()).map(d -> "\"" + d.word + "\"").collect(Collectors.joining(", "))
            + ", got \"" + word + "\""));
  }
}
