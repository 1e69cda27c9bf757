/**
 * TSIG keys (RFC 8945): the shared secrets that authenticate zone transfers and NOTIFY messages between Cascade and
 * its primaries and secondaries. Parsing of the operator's forms and of BIND key files, and wrapping of the secret
 * at rest and on the bus; dnsjava's {@link org.xbill.DNS.TSIG} does the signing and verifying on the wire.
 */
package dev.cascade.dnssec.tsig;
