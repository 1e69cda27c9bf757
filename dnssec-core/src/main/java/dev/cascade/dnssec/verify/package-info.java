/**
 * The verification gate: checks a signed zone's RRSIGs and NSEC/NSEC3 chains with code that is
 * deliberately independent of the signer, so that a signer bug is not confirmed by itself.
 */
package dev.cascade.dnssec.verify;
