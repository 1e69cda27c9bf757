/**
 * Plain JUnit tests of the signer's domain: when an approved version may be signed, key unwrapping, signing with
 * the verification gate (full or incremental) and when a zone is due for re-signing, all against the real
 * dnssec-core (no mocks), with fixed clocks.
 */
package dev.cascade.signer.domain;
