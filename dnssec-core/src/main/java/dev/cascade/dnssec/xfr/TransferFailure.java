package dev.cascade.dnssec.xfr;

/**
 * Why a refresh from a primary failed, with the words an operator acts on.
 *
 * @param cause the kind of failure, shown and kept as {@link Cause#label}
 * @param reason what happened, naming the primary
 */
public record TransferFailure(Cause cause, String reason) {

  /** The kinds of failure the issue asks to tell apart (issue 10, item 1). */
  public enum Cause {
    /** The primary answered with an error rcode (REFUSED, NOTAUTH, SERVFAIL, ...). */
    REFUSED("refused"),
    /** No answer within the timeout. */
    TIMEOUT("timeout"),
    /** No connection at all (nothing listens, no route). */
    UNREACHABLE("unreachable"),
    /** The answer or the transfer was not a zone: cut off, bad framing, missing SOA, wrong serials. */
    MALFORMED("malformed transfer"),
    /** The primary answered without authority for the zone (no AA bit, RFC 1035 §4.1.1). */
    NOT_AUTHORITATIVE("not authoritative"),
    /** The TSIG key is unknown or the TSIG of the answer did not verify (RFC 8945 §5.2). */
    TSIG("TSIG failure"),
    /** EXPIRE has passed since the last successful refresh (RFC 1035 §3.3.13); the last version stays served. */
    EXPIRED("expired");

    private final String label;

    Cause(String label) {
      this.label = label;
    }

    /** The cause as status and history show it. */
    public String label() {
      return label;
    }
  }

  @Override
  public String toString() {
    return cause.label() + ": " + reason;
  }
}
