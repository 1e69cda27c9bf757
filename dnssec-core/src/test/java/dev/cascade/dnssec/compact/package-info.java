/** Tests of the compact record store and of differences between versions, on random zones with fixed seeds. */
package dev.cascade.dnssec.compact;
