package dev.cascade.dnssec.progress;

/**
 * A phase of a pipeline step whose progress is counted: what a {@link Progress} count is a count of. The loader parses
 * and writes, the signer reads, signs, verifies and writes, the publisher reads.
 */
public enum Phase {
  /** The zone file, in bytes of its size: the records it holds are not known before it is read. */
  PARSE(true),
  /** Records read back from a content topic, of the version's record count (its manifest). */
  READ(false),
  /** Records of the zone whose RRsets have been signed and handed on, in canonical order. */
  SIGN(false),
  /** Records whose signatures the verification gate has checked. */
  VERIFY(false),
  /** Records written to a content topic. */
  WRITE(false);

  private final boolean countsBytes;

  Phase(boolean countsBytes) {
    this.countsBytes = countsBytes;
  }

  /** True if the phase counts bytes, false if it counts records. */
  public boolean countsBytes() {
    return countsBytes;
  }
}
