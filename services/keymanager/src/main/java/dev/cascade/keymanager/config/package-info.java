/**
 * Startup configuration of the key manager: the key-encryption key from {@code cascade.key-encryption-key}, checked
 * when the service starts so a missing or malformed key stops it at once instead of at the first zone.
 */
package dev.cascade.keymanager.config;
