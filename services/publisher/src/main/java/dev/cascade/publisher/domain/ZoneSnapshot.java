package dev.cascade.publisher.domain;

import dev.cascade.dnssec.zone.CanonicalOrder;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One zone version as a server holds it: the records in canonical order (RFC 4034 §6) in one array, with the
 * uncompressed wire length of each, so an AXFR can be cut into messages without encoding twice. Immutable: servers
 * swap whole snapshots, so a transfer in progress keeps reading the version it started with.
 */
public final class ZoneSnapshot {

  private final Name origin;
  private final String versionId;
  private final SOARecord soa;
  private final Record[] records;
  private final int[] wireLengths;

  private ZoneSnapshot(Name origin, String versionId, SOARecord soa, Record[] records, int[] wireLengths) {
    this.origin = origin;
    this.versionId = versionId;
    this.soa = soa;
    this.records = records;
    this.wireLengths = wireLengths;
  }

  /**
   * Builds a snapshot from a version's records.
   *
   * @throws InvalidZoneException if there is not exactly one SOA at the apex or a record lies outside the zone
   */
  public static ZoneSnapshot of(Name origin, String versionId, List<Record> records) throws InvalidZoneException {
    Record[] sorted = records.toArray(new Record[0]);
    Arrays.sort(sorted, CanonicalOrder.RECORDS);
    SOARecord soa = null;
    int[] lengths = new int[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      Record record = sorted[i];
      if (!record.getName().subdomain(origin)) {
        throw new InvalidZoneException(record.getName() + " is outside zone " + origin);
      }
      if (record.getType() == Type.SOA) {
        if (!record.getName().equals(origin)) {
          throw new InvalidZoneException("SOA at " + record.getName() + ", not at the apex " + origin);
        }
        if (soa != null) {
          throw new InvalidZoneException("more than one SOA record at " + origin);
        }
        soa = (SOARecord) record;
      }
      lengths[i] = record.toWire(Section.ANSWER).length;
    }
    if (soa == null) {
      throw new InvalidZoneException("no SOA record at the apex " + origin);
    }
    return new ZoneSnapshot(origin, versionId, soa, sorted, lengths);
  }

  public Name origin() {
    return origin;
  }

  public String versionId() {
    return versionId;
  }

  public SOARecord soa() {
    return soa;
  }

  public long serial() {
    return soa.getSerial();
  }

  public int size() {
    return records.length;
  }

  /** The record at {@code index} in canonical order. */
  public Record record(int index) {
    return records[index];
  }

  /** Uncompressed wire length of the record at {@code index}: an upper bound of what it takes in a message. */
  public int wireLength(int index) {
    return wireLengths[index];
  }
}
