/**
 * The key manager's Kafka side, the only package that touches SmallRye Messaging: consumes zone registry facts and
 * emits KeySetChanged (wrapped private keys only) to cascade.key-sets.v1, keyed by zone apex.
 */
package dev.cascade.keymanager.pipeline;
