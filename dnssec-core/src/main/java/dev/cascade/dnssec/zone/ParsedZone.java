package dev.cascade.dnssec.zone;

import java.util.ArrayList;
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
 * @param notes what the zone's author should know that changed no record: missing glue and occluded data
 *     ({@link ZoneCutChecks})
 */
public record ParsedZone(Name origin, List<Record> records, long serial, long byteCount, List<String> warnings,
    List<String> notes) {
  public ParsedZone {
    records = CanonicalOrder.isKnownSorted(records) ? records : List.copyOf(records);
    warnings = List.copyOf(warnings);
    notes = List.copyOf(notes);
  }

  /** The warnings, then the notes: everything an operator is told about the zone. */
  public List<String> warningsAndNotes() {
    List<String> all = new ArrayList<>(warnings);
    all.addAll(notes);
    return List.copyOf(all);
  }
}
