/**
 * The key manager's rules in plain Java: which keys a policy asks for (KSK + ZSK or one CSK), when to generate,
 * keep or reactivate a zone's keys, unique key tags within a zone, and the key-encryption key's format.
 */
package dev.cascade.keymanager.domain;
