package dev.cascade.dnssec.zone;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A zone file after parsing, input checks and normalisation.
 *
 * @param origin the zone apex
 * @param records normalised records in canonical order ({@link CanonicalOrder#RECORDS})
 * @param serial the SOA serial of the file
 * @param byteCount total size of the zone file and every file it included
 * @param warnings every normalisation applied (stripped DNSSEC records, duplicates, TTL fixes)
 */
public record ParsedZone(Name origin, List<Record> records, long serial, long byteCount, List<String> warnings) {
  public ParsedZone {
    records = CanonicalOrder.isKnownSorted(records) ? records : List.copyOf(records);
    warnings = List.copyOf(warnings);
  }
}
