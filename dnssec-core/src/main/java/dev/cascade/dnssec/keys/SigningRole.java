package dev.cascade.dnssec.keys;

/**
 * The role a key plays in a zone, with the DNSKEY flags it is published with (RFC 4034 §2.1.1: Zone Key bit 256,
 * Secure Entry Point bit 1; RFC 6781 §3.1 for the KSK/ZSK split, RFC 7583 §3.3 for the combined signing key).
 */
public enum SigningRole {
  /** Key signing key: signs the DNSKEY RRset, referenced by the parent's DS; Zone Key + SEP. */
  KSK(257),
  /** Zone signing key: signs every other RRset; Zone Key only. */
  ZSK(256),
  /** Combined signing key: one key in both roles; Zone Key + SEP because the parent's DS points at it. */
  CSK(257);

  private final int flags;

  SigningRole(int flags) {
    this.flags = flags;
  }

  /** The DNSKEY flags field for this role. */
  public int flags() {
    return flags;
  }
}
