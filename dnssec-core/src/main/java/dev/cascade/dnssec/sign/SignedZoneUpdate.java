package dev.cascade.dnssec.sign;

/**
 * The result of an incremental signing ({@link ZoneSigner#resign}).
 *
 * @param zone the new signed version, complete, with its stats ({@link SigningCounts#reusedRrsigCount()} says how
 *     many RRSIGs were carried over)
 * @param diff the new signed version relative to the previous one (RFC 1995 difference)
 */
public record SignedZoneUpdate(SignedZone zone, ZoneDiff diff) {}
