package dev.cascade.dnssec.sign;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * The result of signing.
 *
 * @param records every record of the signed zone in canonical order, SOA serial = the signed serial
 * @param stats counts for metrics and the zone history
 */
public record SignedZone(List<Record> records, SigningCounts stats) {
  public SignedZone {
    records = List.copyOf(records);
  }
}
