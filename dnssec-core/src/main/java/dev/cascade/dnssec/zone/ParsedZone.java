package dev.cascade.dnssec.zone;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A zone after parsing (of a zone file) or receiving (of records from elsewhere), input checks and normalisation
 * ({@link ZoneNormaliser}).
 *
 * @param origin the zone apex
 * @param records normalised records in canonical order ({@link CanonicalOrder#RECORDS})
 * @param serial the SOA serial of the zone
 * @param byteCount total size of the zone file and every file it included; 0 for records that came from no file
 * @param warnings every normalisation applied (stripped DNSSEC records, duplicates, TTL fixes)
 */
public record ParsedZone(Name origin, List<Record> records, long serial, long byteCount, List<String> warnings) {
  public ParsedZone {
    records = CanonicalOrder.isKnownSorted(records) ? records : List.copyOf(records);
    warnings = List.copyOf(warnings);
  }
}
