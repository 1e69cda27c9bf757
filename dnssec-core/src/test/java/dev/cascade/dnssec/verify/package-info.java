/**
 * Tests of the verification gate: correct zones pass, and each kind of broken zone is refused
 * with a precise reason.
 */
package dev.cascade.dnssec.verify;
