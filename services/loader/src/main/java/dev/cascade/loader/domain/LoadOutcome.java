package dev.cascade.loader.domain;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.reload.ZoneReload;

/**
 * The result of reading one zone file: a new version, the same content as the last loaded version, or a reason why
 * the file could not be used. A failure is a value, not an exception, so a bad file can never stop the consumer.
 */
public sealed interface LoadOutcome {

  /**
   * A zone whose digest differs from the last loaded version (or the first version of the zone).
   *
   * @param zone the loaded zone: records, serial, warnings, what the next load compares with, how it was parsed
   * @param digest {@link CompactRecords#digest()} of the records
   */
  record Loaded(ZoneReload.Result zone, String digest) implements LoadOutcome {
    /** The records in compact form, canonical order. */
    public CompactRecords records() {
      return zone.records();
    }
  }

  /**
   * The records are identical, in canonical order, to the last loaded version: no new version is made.
   *
   * @param zone the loaded zone (its text may differ from the last version's: comments, order)
   * @param digest {@link CompactRecords#digest()} of the records
   */
  record Unchanged(ZoneReload.Result zone, String digest) implements LoadOutcome {
    /** The SOA serial of the file. */
    public long serial() {
      return zone.serial();
    }
  }

  /**
   * The file could not be loaded.
   *
   * @param source the source as the zone registry named it
   * @param file the file the problem is in (an {@code $INCLUDE}d file may differ from the source), if known
   * @param line the 1-based line of the problem, if known
   * @param reason what is wrong, in words an operator can act on
   */
  record Failed(String source, String file, Integer line, String reason) implements LoadOutcome {}
}
