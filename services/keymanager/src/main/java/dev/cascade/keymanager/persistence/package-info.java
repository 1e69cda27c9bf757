/**
 * The key manager's PostgreSQL store (schema {@code keymanager}), written with Hibernate Reactive: every key of every
 * zone with its private key wrapped under the key-encryption key, retired rather than deleted, and processed event ids.
 */
package dev.cascade.keymanager.persistence;
