/**
 * Module-wide tests: the architecture rule that keeps the DNSSEC core free of framework code.
 */
package dev.cascade.dnssec;
