/**
 * The TSIG keyring every service that signs or verifies with TSIG (RFC 8945) builds from the {@code
 * cascade.tsig-keys.v1} topic: the loader for transfers in, the publisher for transfers and NOTIFY out, the
 * review-gateway for its view of the keys. One implementation, so every service reads the facts alike.
 */
package dev.cascade.service.tsig;
