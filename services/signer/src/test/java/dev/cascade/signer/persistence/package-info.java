/**
 * Tests of the signer's Hibernate Reactive store against the real PostgreSQL from test-infra: key set replacement,
 * replayed events, and what a removed zone leaves behind.
 */
package dev.cascade.signer.persistence;
