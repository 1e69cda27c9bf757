/**
 * Test fixtures shared by the package tests: the fixed keys from {@code src/test/resources/keys}
 * and the external zone verifiers (BIND dnssec-verify, ldns-verify-zone, Knot kzonecheck).
 */
package dev.cascade.dnssec.testsupport;
