/**
 * Tests of loading from a primary: source parsing and the SOA timers with a fixed clock, and the transfers against a
 * real primary, BIND's {@code named}, on an ephemeral loopback port.
 */
package dev.cascade.dnssec.xfr;
