/**
 * Zone signing: RRSIG generation (RFC 4034 §3, RFC 4035 §2) and authenticated denial of
 * existence with NSEC (RFC 4034 §4) or NSEC3 (RFC 5155), in parallel over RRsets; full or incremental
 * (reusing the previous version's RRSIGs that are still good, emitting the RFC 1995 difference), with expirations
 * spread so that refreshes re-sign a zone a slice at a time.
 */
package dev.cascade.dnssec.sign;
