/** Tests of the key-roll state machine, against a model of what resolvers may hold in their caches. */
package dev.cascade.dnssec.roll;
