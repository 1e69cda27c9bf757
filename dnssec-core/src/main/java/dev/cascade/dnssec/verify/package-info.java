/**
 * The verification gate: checks a signed zone's RRSIGs and NSEC/NSEC3 chains with code that is
 * deliberately independent of the signer, so that a signer bug is not confirmed by itself. {@link
 * dev.cascade.dnssec.verify.ZoneVerifier} checks a whole zone; {@link dev.cascade.dnssec.verify.ChangeVerifier} checks
 * a version given as a verified version plus a difference, at the cost of the difference.
 */
package dev.cascade.dnssec.verify;
