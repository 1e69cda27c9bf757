/**
 * SOA serial policies of the signer (reference Cascade `[signer] serial-policy`), computed with
 * RFC 1982 serial number arithmetic.
 */
package dev.cascade.dnssec.serial;
