/**
 * The key manager's read-only HTTP view for the status pages: the public side of a zone's keys (tags, roles,
 * algorithm, DNSKEY text). Private keys, wrapped or not, never leave through this API.
 */
package dev.cascade.keymanager.api;
