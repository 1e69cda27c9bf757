package dev.cascade.dnssec.sign;

/**
 * Counts of one signing run.
 *
 * @param unsignedRrCount records in the unsigned input
 * @param denialRrCount NSEC or NSEC3 records generated
 * @param rrsigCount RRSIG records generated
 * @param threads threads used for RRSIG generation
 */
public record SigningStats(long unsignedRrCount, long denialRrCount, long rrsigCount, int threads) {}
