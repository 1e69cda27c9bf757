/**
 * DNSSEC signing keys (RFC 4034 §2): generation, DNSSEC algorithm mnemonics (RFC 8624),
 * AES-GCM wrapping of private keys at rest, and the choice of the fastest JCA provider.
 */
package dev.cascade.dnssec.keys;
