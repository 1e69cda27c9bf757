/**
 * Tests of the serial policies and RFC 1982 serial arithmetic, with a fixed clock.
 */
package dev.cascade.dnssec.serial;
