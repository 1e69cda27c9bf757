package dev.cascade.dnssec.sign;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * The difference between two versions of a zone, as an incremental zone transfer carries it (RFC 1995 §4): the
 * records to delete from the older version and the records to add to it. A record whose TTL changed is in both.
 * Between two signed versions the old SOA is among the removed and the new one among the added records, each with
 * its RRSIGs, so a publisher can form the RFC 1995 difference sequence from it.
 *
 * @param removed records of the older version that the newer one lacks, in canonical order (RFC 4034 §6)
 * @param added records of the newer version that the older one lacks, in canonical order
 */
public record ZoneDiff(List<Record> removed, List<Record> added) {
  public ZoneDiff {
    removed = List.copyOf(removed);
    added = List.copyOf(added);
  }
}
