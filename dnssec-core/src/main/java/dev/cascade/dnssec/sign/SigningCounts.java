package dev.cascade.dnssec.sign;

/**
 * Counts of one signing run.
 *
 * @param unsignedRrCount records in the unsigned input
 * @param denialRrCount NSEC or NSEC3 records in the signed zone
 * @param rrsigCount RRSIG records in the signed zone, made in this run or reused
 * @param reusedRrsigCount of those, RRSIGs taken unchanged from the previous signed version (0 for a full signing)
 * @param threads threads used for RRSIG generation
 */
public record SigningCounts(long unsignedRrCount, long denialRrCount, long rrsigCount, long reusedRrsigCount,
    int threads) {}
