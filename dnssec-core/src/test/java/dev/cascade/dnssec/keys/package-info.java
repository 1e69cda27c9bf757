/**
 * Tests of key generation for every supported algorithm, key wrapping, algorithm mnemonics and the
 * provider choice.
 */
package dev.cascade.dnssec.keys;
