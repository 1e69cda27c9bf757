/**
 * Tests of the zone signer: a small zone with every hard case, signed with NSEC, NSEC3 and NSEC3
 * opt-out, checked structurally, by the independent verifier and by three external verifiers; incremental
 * signing checked against full signing over random edit sequences; the spread of expirations over a year of refreshes.
 */
package dev.cascade.dnssec.sign;
