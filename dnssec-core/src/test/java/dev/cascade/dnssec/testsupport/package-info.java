/**
 * Test fixtures shared by the package tests: the fixed keys from {@code src/test/resources/keys}, ECDSA keys with
 * a zero first octet in d, x or y ({@link dev.cascade.dnssec.testsupport.LeadingZeroKeys}), and the external zone
 * verifiers (BIND dnssec-verify, ldns-verify-zone, Knot kzonecheck).
 */
package dev.cascade.dnssec.testsupport;
