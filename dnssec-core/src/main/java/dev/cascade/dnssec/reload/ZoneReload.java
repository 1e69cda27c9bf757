package dev.cascade.dnssec.reload;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneFileBlocks;
import dev.cascade.dnssec.zone.ZoneFileParser;
import dev.cascade.dnssec.zone.ZoneInputException;
import dev.cascade.dnssec.zone.ZoneNormaliser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Loads a zone file, and when the last load of the same file is at hand, parses only the parts of the text that
 * changed (issue 8: one changed delegation in a TLD zone must not cost a parse of the whole file).
 *
 * <p>Both texts are cut into content-defined blocks ({@link ZoneFileBlocks}); the blocks found in both are not parsed,
 * the others are, and the records they parse into give what changed, which is applied to the last load's records
 * ({@link CompactDiff#applyTo}). A full parse normalises the whole zone ({@link ZoneNormaliser}: stripped DNSSEC
 * types, duplicates, RRset TTLs, CNAME and SOA checks); the changed records are taken as they are only when that is
 * provably what a full parse would give: the last load normalised nothing (no warnings), and every owner name whose
 * records changed would be taken as it is ({@link ZoneNormaliser#ownerNotAsIs}). Anything else (an {@code $INCLUDE},
 * a changed block that does not parse, too much changed, any doubt) is parsed in full, which reports errors with file
 * and line: the result is always that of a full parse.
 */
public final class ZoneReload {

  /**
   * Above this share of the octets changed (the changed blocks of both texts, of both texts), a full parse on several
   * threads is about as fast as parsing the changed blocks on one; no official reference.
   */
  private static final int MAX_CHANGED_SHARE_INVERSE = 4;

  private final int threads;
  private final int recordsPerBlock;

  /** @param threads threads a full parse uses, at least 1 */
  public ZoneReload(int threads) {
    this(threads, ZoneFileBlocks.RECORDS_PER_BLOCK);
  }

  /**
   * @param threads threads a full parse uses, at least 1
   * @param recordsPerBlock about how many logical records a block holds, a power of two (small in tests)
   */
  public ZoneReload(int threads, int recordsPerBlock) {
    this.threads = threads;
    this.recordsPerBlock = recordsPerBlock;
  }

  /**
   * What one load leaves for the next load of the same zone: its records and, when they are those of its text as it
   * is (nothing normalised, nothing included), the text cut into blocks. The text takes the file's size in memory;
   * no record objects are kept.
   */
  public static final class Baseline {
    private final Path file;
    private final Name origin;
    private final CompactRecords records;
    private final long serial;
    private final ZoneFileBlocks blocks;
    private final String notReusableBecause;

    private Baseline(Path file, Name origin, CompactRecords records, long serial, ZoneFileBlocks blocks,
        String notReusableBecause) {
      this.file = file;
      this.origin = origin;
      this.records = records;
      this.serial = serial;
      this.blocks = blocks;
      this.notReusableBecause = notReusableBecause;
    }

    /** The records this load gave. */
    public CompactRecords records() {
      return records;
    }
  }

  /**
   * A loaded zone file: what a full parse gives, and how it was loaded.
   *
   * @param records the normalised records, in canonical order
   * @param serial the SOA serial
   * @param byteCount the size of the zone file and every file it included
   * @param warnings every normalisation applied, then the notes of a full parse ({@link ParsedZone#notes}); none on
   *     the incremental way, which takes only changes that need no normalisation and does not look for missing glue
   *     or occluded data (a zone-wide look; the next full parse does)
   * @param baseline what the next load of the zone compares with
   * @param incremental whether only the changed parts of the text were parsed
   * @param how what was parsed, or why the file was parsed in full, for the log
   * @param base on the incremental way, the previous load's records the difference applied to, else null
   * @param difference on the incremental way, what changed from {@code base} to {@code records}, else null
   */
  public record Result(CompactRecords records, long serial, long byteCount, List<String> warnings, Baseline baseline,
      boolean incremental, String how, CompactRecords base, CompactDiff difference) {
    public Result {
      warnings = List.copyOf(warnings);
    }

    /**
     * What changed from {@code older} to these records: the difference the incremental way applied when {@code older}
     * is the records it applied it to (no pass over the whole zone), else {@link CompactDiff#between}.
     */
    public CompactDiff differenceFrom(CompactRecords older) {
      return older == base && difference != null ? difference : CompactDiff.between(older, records);
    }
  }

  /**
   * Loads a zone file, re-parsing only what changed since {@code previous} when that gives what a full parse gives.
   *
   * @param file the zone file
   * @param origin the zone apex (absolute)
   * @param previous the last load of this zone, or null
   * @param progress told how many bytes of the file are parsed (the whole file at once on the incremental way)
   * @throws ZoneInputException what a full parse throws
   */
  public Result load(Path file, Name origin, Baseline previous, Progress progress) throws ZoneInputException {
    byte[] text;
    try {
      if (Files.size(file) > Integer.MAX_VALUE - 8) {
        ParsedZone parsed = ZoneFileParser.parse(file, origin, threads, progress);
        return full(file, origin, parsed, null, "the file is larger than 2 GiB", "it is larger than 2 GiB");
      }
      text = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ZoneInputException(file.toString(), null, "cannot read: " + e);
    }
    ZoneFileBlocks blocks = ZoneFileBlocks.cut(text, origin, recordsPerBlock);
    String why = previous == null ? "no previous load in memory"
        // The origin as spelled: relative names take its case, which the records keep.
        : !previous.file.equals(file) || !previous.origin.toString().equals(origin.toString())
            ? "the previous load was of another file or origin"
        : previous.notReusableBecause != null ? "the previous load is not reusable: " + previous.notReusableBecause
        : blocks.uncutBecause() != null ? blocks.uncutBecause()
        : null;
    if (why == null) {
      try {
        Result result = incremental(file, origin, previous, blocks);
        if (result != null) {
          progress.reached(text.length, text.length);
          return result;
        }
        why = "more than 1/" + MAX_CHANGED_SHARE_INVERSE + " of the text changed";
      } catch (NotAsIs e) {
        why = "the change is not taken as it is: " + e.getMessage();
      } catch (ZoneInputException e) {
        why = "a changed block does not parse: " + e.getMessage();
      } catch (RuntimeException e) {
        why = "the change could not be applied: " + e;
      }
    }
    ParsedZone parsed = ZoneFileParser.parse(file, text, origin, threads, progress);
    String notReusable = !parsed.warnings().isEmpty() ? "its load normalised the file (" + parsed.warnings().size()
        + " warning" + (parsed.warnings().size() == 1 ? ")" : "s)") : blocks.uncutBecause();
    return full(file, origin, parsed, notReusable == null ? blocks : null, why, notReusable);
  }

  private static Result full(Path file, Name origin, ParsedZone parsed, ZoneFileBlocks blocks, String why,
      String notReusable) {
    CompactRecords records = CompactRecords.ofSorted(parsed.records());
    Baseline baseline = new Baseline(file, origin, records, parsed.serial(), blocks, notReusable);
    return new Result(records, parsed.serial(), parsed.byteCount(), parsed.warningsAndNotes(), baseline, false,
        "full parse, because " + why, null, null);
  }

  /** Why a change is not taken as it is: a full parse would normalise it, or fail. */
  private static final class NotAsIs extends Exception {
    NotAsIs(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * The result from the changed blocks alone, null when too much changed.
   *
   * @throws ZoneInputException when a changed block does not parse
   * @throws NotAsIs when a full parse would not take the change as it is
   */
  private Result incremental(Path file, Name origin, Baseline previous, ZoneFileBlocks blocks)
      throws ZoneInputException, NotAsIs {
    long maxChanged = ((long) blocks.textBytes() + previous.blocks.textBytes()) / MAX_CHANGED_SHARE_INVERSE;
    ZoneFileBlocks.Change change = blocks.changesFrom(previous.blocks, file.toString(), maxChanged);
    if (change == null) {
      return null;
    }
    String problem = notAsIs(origin, previous.records, change);
    if (problem != null) {
      throw new NotAsIs(problem);
    }
    CompactRecords removed = CompactRecords.of(change.removed());
    CompactRecords added = CompactRecords.of(change.added());
    // A text that changed without changing the records (comments, order) keeps the previous records, not a copy.
    CompactDiff difference = new CompactDiff(removed, added);
    CompactRecords records =
        difference.size() == 0 ? previous.records : difference.applyTo(previous.records);
    if (records.size() != previous.records.size() - removed.size() + added.size()) {
      throw new NotAsIs("the difference does not apply to the previous records");
    }
    long serial = previous.serial;
    for (Record r : change.added()) {
      if (r instanceof SOARecord soa) {
        serial = soa.getSerial();
      }
    }
    String how = String.format("incremental parse: re-parsed %d of %d blocks (%d bytes, old and new) for %d removed and %d"
        + " added records", change.newBlocks() + change.oldBlocks(), blocks.blockCount() + previous.blocks.blockCount(),
        change.parsedBytes(), removed.size(), added.size());
    return new Result(records, serial, blocks.textBytes(), List.of(),
        new Baseline(file, origin, records, serial, blocks, null), true, how, previous.records, difference);
  }

  /**
   * Why the changed records would not be taken as they are by a full parse, or null: each owner name they touch has,
   * after the change, records that {@link ZoneNormaliser#ownerNotAsIs} takes as they are. The owners not touched were
   * taken as they are by the previous load, which normalised nothing.
   */
  private static String notAsIs(Name origin, CompactRecords previous, ZoneFileBlocks.Change change) {
    // Name's order is canonical and ignores case (RFC 4034 §6.1): every spelling of an owner is one entry.
    Map<Name, List<List<Record>>> touched = new TreeMap<>();
    change.removed().forEach(r -> touched.computeIfAbsent(r.getName(), n -> newPair()).get(0).add(r));
    change.added().forEach(r -> touched.computeIfAbsent(r.getName(), n -> newPair()).get(1).add(r));
    for (Map.Entry<Name, List<List<Record>>> owner : touched.entrySet()) {
      Name name = owner.getKey();
      List<Record> records = new ArrayList<>();
      for (int i = previous.ownerCeiling(name); i < previous.ownerCount() && previous.ownerName(i).equals(name); i++) {
        records.addAll(previous.recordsOf(i));
      }
      for (Record gone : owner.getValue().get(0)) {
        if (!removeOne(records, gone)) {
          return "a removed record is not in the previous load: " + gone;
        }
      }
      records.addAll(owner.getValue().get(1));
      String problem = ZoneNormaliser.ownerNotAsIs(origin, name, records);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static List<List<Record>> newPair() {
    return List.of(new ArrayList<>(), new ArrayList<>());
  }

  /** Removes the first of {@code records} with the octets of {@code gone} (owner as spelled, TTL, RDATA). */
  private static boolean removeOne(List<Record> records, Record gone) {
    byte[] wire = gone.toWire(Section.ANSWER);
    for (int i = 0; i < records.size(); i++) {
      if (Arrays.equals(wire, records.get(i).toWire(Section.ANSWER))) {
        records.remove(i);
        return true;
      }
    }
    return false;
  }
}
