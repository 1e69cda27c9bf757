/**
 * Reading zone files (RFC 1035 §5 master file format) into normalised, canonically ordered
 * record lists, with the input checks of RFC 1034 §3.6.2 and RFC 2181 ({@link
 * dev.cascade.dnssec.zone.ZoneNormaliser}, also for records from elsewhere), plus the digest and
 * text codec used to move zone content between services.
 */
package dev.cascade.dnssec.zone;
