/**
 * Plain JUnit tests of the signer's domain: when an approved version may be signed, key unwrapping, and signing
 * with the verification gate, all against the real dnssec-core (no mocks).
 */
package dev.cascade.signer.domain;
