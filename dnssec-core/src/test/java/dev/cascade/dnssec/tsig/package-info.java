/** Tests of TSIG key parsing and wrapping, and of the RFC 8945 §5.2 checks of signed requests. */
package dev.cascade.dnssec.tsig;
