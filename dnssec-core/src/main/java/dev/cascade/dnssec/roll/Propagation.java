package dev.cascade.dnssec.roll;

/**
 * What must have reached every name server, and then left every cache, before a roll may take its next phase. A
 * report of it (a {@code propagationN-complete} step) gives the TTL the caches may keep the old data for.
 */
public enum Propagation {
  /** The zone's new DNSKEY RRset, on the zone's name servers; its TTL is the DNSKEY TTL (RFC 7583 §3.2.1, TTLkey). */
  DNSKEY("the new DNSKEY RRset has propagated to the zone's name servers"),
  /**
   * The zone's new signatures, on the zone's name servers; the TTL is the largest in the zone (RFC 7583 §3.2.1,
   * TTLsig: every RRset may be cached with the old signatures until then).
   */
  RRSIG("the new signatures have propagated to the zone's name servers"),
  /** The new DS RRset, on the parent's name servers; its TTL is the one the parent serves (RFC 7583 §3.3.2, TTLds). */
  DS("the new DS RRset has propagated to the parent's name servers");

  private final String waitFor;

  Propagation(String waitFor) {
    this.waitFor = waitFor;
  }

  /** What to wait for, as {@code zone status} says it: "Wait until " + this. */
  public String waitFor() {
    return waitFor;
  }
}
