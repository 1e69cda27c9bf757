/**
 * Tests of the zone signer: a small zone with every hard case, signed with NSEC, NSEC3 and NSEC3
 * opt-out, checked structurally, by the independent verifier and by three external verifiers.
 */
package dev.cascade.dnssec.sign;
