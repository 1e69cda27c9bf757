/**
 * Tests of zone file parsing, input checks, normalisation, canonical order, digest and the record
 * text codec, on the zone files in {@code src/test/resources/zones}.
 */
package dev.cascade.dnssec.zone;
