package dev.cascade.publisher.domain;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;

/**
 * One zone version as a server holds it: the records in canonical order (RFC 4034 §6) as {@link CompactRecords}, so
 * a large zone costs about its wire size and an AXFR copies records straight into messages, plus the differences
 * from the versions served before it (RFC 1995), from which IXFR is answered. Immutable: servers swap whole
 * snapshots, so a transfer in progress keeps reading the version it started with.
 */
public final class ZoneSnapshot {

  /**
   * One step of the history: the difference from the version with SOA {@code from} to the one with SOA {@code to}.
   * The difference holds the two SOA records too (removed and added).
   */
  public record Delta(SOARecord from, SOARecord to, CompactDiff diff) {}

  private final Name origin;
  private final String versionId;
  private final SOARecord soa;
  private final CompactRecords records;
  /** Oldest first; the last one ends at this version. */
  private final List<Delta> history;

  private ZoneSnapshot(Name origin, String versionId, SOARecord soa, CompactRecords records, List<Delta> history) {
    this.origin = origin;
    this.versionId = versionId;
    this.soa = soa;
    this.records = records;
    this.history = List.copyOf(history);
  }

  /**
   * Builds a snapshot from a version's records in any order; for small zones (tests).
   *
   * @throws InvalidZoneException as {@link #of(Name, String, CompactRecords)}, or for a duplicate record
   */
  public static ZoneSnapshot of(Name origin, String versionId, List<Record> records) throws InvalidZoneException {
    CompactRecords compact;
    try {
      compact = CompactRecords.of(records);
    } catch (IllegalArgumentException e) {
      throw new InvalidZoneException(e.getMessage());
    }
    return of(origin, versionId, compact);
  }

  /**
   * A snapshot of a version's records, without history, once they are checked to form a zone: the apex is the first
   * owner name and every other one is below it (in canonical order a name's descendants follow it contiguously, RFC
   * 4034 §6.1, so that is a binary search), and the only SOA record is at the apex. Reads record types from the
   * octets; only the apex's records are decoded.
   *
   * @throws InvalidZoneException if the records do not form the zone {@code origin}
   */
  public static ZoneSnapshot of(Name origin, String versionId, CompactRecords records) throws InvalidZoneException {
    if (records.isEmpty() || !records.ownerName(0).equals(origin)) {
      throw new InvalidZoneException("no SOA record at the apex " + origin);
    }
    if (records.ownerAfterSubtree(origin) != records.ownerCount()) {
      throw new InvalidZoneException(
          records.ownerName(records.ownerAfterSubtree(origin)) + " is outside zone " + origin);
    }
    CompactRecords.Cursor cursor = records.cursor();
    while (cursor.next()) {
      if (cursor.type() == Type.SOA && cursor.ownerIndex() != 0) {
        throw new InvalidZoneException("SOA at " + records.ownerName(cursor.ownerIndex()) + ", not at the apex "
            + origin);
      }
    }
    List<Record> soas = records.recordsOf(0).stream().filter(r -> r.getType() == Type.SOA).toList();
    if (soas.size() != 1) {
      throw new InvalidZoneException(soas.isEmpty() ? "no SOA record at the apex " + origin
          : "more than one SOA record at " + origin);
    }
    return new ZoneSnapshot(origin, versionId, (SOARecord) soas.get(0), records, List.of());
  }

  /**
   * This version, serving IXFR from the versions {@code previous} could (RFC 1995 §4): previous's history plus the
   * difference from previous to this one, trimmed to the newest {@code maxDiffs} differences and to at most
   * {@code maxDiffsPercent} % of this version's record count in all (reference Cascade's {@code [server.outbound]
   * max-diffs} and {@code max-diffs-size}). Without a previous version, or when the serial did not increase (RFC 1982:
   * a secondary would not take it), there is no history. A version that {@link #apply} made of previous by a small
   * difference has that difference at hand ({@link CompactDiff#between}), so it is not computed again.
   */
  public ZoneSnapshot after(Optional<ZoneSnapshot> previous, int maxDiffs, int maxDiffsPercent) {
    if (previous.isEmpty() || maxDiffs == 0 || Serial.compare(serial(), previous.get().serial()) <= 0) {
      return new ZoneSnapshot(origin, versionId, soa, records, List.of());
    }
    ZoneSnapshot before = previous.get();
    List<Delta> deltas = new ArrayList<>(before.history);
    deltas.add(new Delta(before.soa, soa, CompactDiff.between(before.records, records)));
    long budget = (long) records.size() * maxDiffsPercent / 100;
    long total = deltas.stream().mapToLong(d -> d.diff().size()).sum();
    while (!deltas.isEmpty() && (deltas.size() > maxDiffs || total > budget)) {
      total -= deltas.remove(0).diff().size();
    }
    return new ZoneSnapshot(origin, versionId, soa, records, deltas);
  }

  /**
   * The next version, made by applying its difference from this one. Only the added records are checked (this
   * version's were when it was built): inside the zone, and the SOA replaced by exactly one new SOA at the apex, or
   * left as it is.
   *
   * @throws InvalidZoneException if the difference does not make a zone of this one
   */
  public ZoneSnapshot apply(String nextVersionId, CompactDiff diff) throws InvalidZoneException {
    SOARecord nextSoa = null;
    for (Record record : diff.added().toRecords()) {
      if (!record.getName().subdomain(origin)) {
        throw new InvalidZoneException(record.getName() + " is outside zone " + origin);
      }
      if (record.getType() == Type.SOA) {
        if (!record.getName().equals(origin) || nextSoa != null) {
          throw new InvalidZoneException("the difference adds an SOA record at " + record.getName() + " beside "
              + (nextSoa == null ? "none" : nextSoa.getName().toString()));
        }
        nextSoa = (SOARecord) record;
      }
    }
    boolean soaRemoved = diff.removed().toRecords().stream().anyMatch(r -> r.equals(soa));
    if (nextSoa == null && !soaRemoved) {
      // A zone file edited without raising its serial: a new version all the same (the loader takes it, and the
      // signer's serial policy gives the signed version a serial of its own), with this version's SOA.
      nextSoa = soa;
    } else if (nextSoa == null || !soaRemoved) {
      throw new InvalidZoneException("the difference does not replace the SOA record of " + origin);
    }
    CompactRecords next;
    try {
      next = diff.applyTo(records);
    } catch (IllegalArgumentException e) {
      throw new InvalidZoneException("the difference is not one from version " + versionId + ": " + e.getMessage());
    }
    return new ZoneSnapshot(origin, nextVersionId, nextSoa, next, List.of());
  }

  /**
   * The difference from the version with serial {@code clientSerial} to this one, condensed into one (RFC 1995 §5),
   * or empty if the history does not reach back to that serial.
   */
  public Optional<Delta> since(long clientSerial) {
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).from().getSerial() == clientSerial) {
        Delta condensed = history.get(i);
        for (Delta next : history.subList(i + 1, history.size())) {
          condensed = new Delta(condensed.from(), next.to(), condensed.diff().then(next.diff()));
        }
        return Optional.of(condensed);
      }
    }
    return Optional.empty();
  }

  /** The serials IXFR can start from, oldest first. */
  public List<Long> historySerials() {
    return history.stream().map(d -> d.from().getSerial()).toList();
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

  /** Every record at the apex, RRSIGs included: the first owner in canonical order (RFC 4034 §6.1). */
  public List<Record> apexRecords() {
    return records.recordsOf(0);
  }

  public long serial() {
    return soa.getSerial();
  }

  /** The number of records, the SOA included. */
  public int size() {
    return records.size();
  }

  /** The records in canonical order. */
  public CompactRecords records() {
    return records;
  }
}
