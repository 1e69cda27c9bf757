/**
 * Loading a zone from a primary name server: the source ({@code <IP>[:<PORT>][^<TSIG key>]}), the SOA refresh
 * timers (RFC 1035 §3.3.13, RFC 1996 §4.4, RFC 1982), and the transfer itself (an SOA query, then IXFR, RFC 1995,
 * or AXFR, RFC 5936), with every failure named by its cause.
 */
package dev.cascade.dnssec.xfr;
