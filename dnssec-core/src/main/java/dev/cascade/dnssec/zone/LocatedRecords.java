package dev.cascade.dnssec.zone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Record;
import org.xbill.DNS.TTL;

/**
 * Records in the order they were read, with the source (a file, or e.g. a zone transfer) and line of each, for the
 * errors and warnings of {@link ZoneNormaliser}. Parallel arrays rather than an object per record: a TLD zone has
 * millions of records, and this is the parser's memory peak. The arrays are the normaliser's to work in.
 */
final class LocatedRecords {
  /** The line of a record whose source has no lines, such as a zone transfer. */
  static final int NO_LINE = 0;

  Record[] records = new Record[1024];
  int[] lines = new int[1024];
  /** Index into {@link #names} of each record's source; null while every record comes from the first: most have one. */
  private int[] sources;
  int count;
  private final List<String> names = new ArrayList<>();
  /** How many records had a TTL above {@link TTL#MAX_VALUE} in the text, and where the first few were. */
  private int clampedTtls;
  private final List<String> clampedPlaces = new ArrayList<>();

  /** Makes room for {@code size} records in all. */
  void reserve(int size) {
    if (size > records.length) {
      records = Arrays.copyOf(records, size);
      lines = Arrays.copyOf(lines, size);
      if (sources != null) {
        sources = Arrays.copyOf(sources, size);
      }
    }
  }

  /** The source the {@code k}th record came from. */
  String sourceOf(int k) {
    return names.get(sources == null ? 0 : sources[k]);
  }

  /** Moves the {@code k}th record, its source and line to place {@code to}, over the record there. */
  void move(int k, int to) {
    records[to] = records[k];
    lines[to] = lines[k];
    if (sources != null) {
      sources[to] = sources[k];
    }
  }

  void add(Record r, String source, int line) {
    if (count == records.length) {
      reserve(count + (count >> 1));
    }
    int sourceIndex = names.size() - 1;
    if (sourceIndex < 0 || !names.get(sourceIndex).equals(source)) {
      sourceIndex = names.indexOf(source);
      if (sourceIndex < 0) {
        names.add(source);
        sourceIndex = names.size() - 1;
      }
    }
    records[count] = r;
    lines[count] = line;
    if (sourceIndex > 0 && sources == null) {
      sources = new int[records.length];
    }
    if (sources != null) {
      sources[count] = sourceIndex;
    }
    count++;
  }

  /** Appends the records of {@code other}, with their sources and lines, and its clamped TTLs. */
  void addAll(LocatedRecords other) {
    for (int k = 0; k < other.count; k++) {
      add(other.records[k], other.sourceOf(k), other.lines[k]);
    }
    clampedTtls += other.clampedTtls;
    other.clampedPlaces.stream().limit(ZoneCutChecks.LISTED - clampedPlaces.size()).forEach(clampedPlaces::add);
  }

  /** Notes that the record read at {@code source:line} had {@code ttl} in the text, and got the largest TTL. */
  void clampedTtl(String source, int line, long ttl) {
    if (clampedTtls++ < ZoneCutChecks.LISTED) {
      clampedPlaces.add(source + ":" + line + " (" + ttl + ")");
    }
  }

  /** The warning about the TTLs the lexer set to the largest, if it set any. */
  Optional<String> clampedTtls() {
    if (clampedTtls == 0) {
      return Optional.empty();
    }
    return Optional.of(clampedTtls + " record(s) with a TTL above the largest, " + TTL.MAX_VALUE + " (RFC 2181 §8), "
        + "set to it: " + String.join("; ", clampedPlaces)
        + (clampedTtls > ZoneCutChecks.LISTED ? "; and " + (clampedTtls - ZoneCutChecks.LISTED) + " more" : ""));
  }
}
