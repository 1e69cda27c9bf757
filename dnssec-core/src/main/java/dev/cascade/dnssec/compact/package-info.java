/**
 * Zone versions held compactly, as a long-running service keeps them: records in uncompressed wire format (RFC 1035
 * §4.1.3) packed into large byte pages in canonical order (RFC 4034 §6), each owner name stored once for all its
 * records, and the differences between versions (RFC 1995 §4) in the same form. A 1 M-delegation zone is a few hundred
 * byte arrays and two index arrays instead of millions of objects.
 */
package dev.cascade.dnssec.compact;
