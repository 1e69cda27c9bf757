package dev.cascade.dnssec.keys;

/**
 * What a key does in a signed zone, as the key manager's rolls set it: during a roll a key is published before it
 * signs, or signs before it is published, and is withdrawn or stops signing one job at a time (RFC 7583 §3.1,
 * RFC 6781 §4.1). A key without a use ({@link SigningKey#use()} null) does all its role's jobs.
 *
 * @param published in the zone's DNSKEY RRset
 * @param signsKeys signs the DNSKEY RRset, and the CDS and CDNSKEY RRsets where the zone has them (RFC 7344 §4.1:
 *     those are signed by a key the parent's DS refers to)
 * @param signsZone signs every other RRset
 */
public record KeyUse(boolean published, boolean signsKeys, boolean signsZone) {}
