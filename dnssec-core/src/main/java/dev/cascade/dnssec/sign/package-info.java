/**
 * Zone signing: RRSIG generation (RFC 4034 §3, RFC 4035 §2) and authenticated denial of
 * existence with NSEC (RFC 4034 §4) or NSEC3 (RFC 5155), in parallel over RRsets.
 */
package dev.cascade.dnssec.sign;
