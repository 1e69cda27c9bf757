/**
 * The signer service: signs each unsigned zone version that passed the unsigned review with the zone's current key
 * set, runs an independent verification gate over the result and publishes the signed version (or why signing failed).
 */
package dev.cascade.signer;
