package dev.cascade.dnssec.zone;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A zone file's text cut into blocks at content-defined places, so that the text of a new version of the file can be
 * compared with the last one block by block and only the blocks that changed parsed ({@link #changesFrom}).
 *
 * <p>A block starts at a logical record (RFC 1035 §5.1: a record continues over newlines inside parentheses) that
 * names its owner and states its TTL or has a {@code $TTL} in force, as the parser's parallel blocks do: nothing
 * parsed in the block then depends on the records before it, only on the {@code $ORIGIN} and {@code $TTL} in force,
 * which a scan of the directives follows. Among those records, a block starts where a hash of the record's first
 * octets has its low bits zero: where the blocks start depends on the text around, not on offsets, so an insertion or
 * a deletion moves the blocks around it only (content-defined chunking, as rsync's rolling checksum and LBFS cut
 * files; no official reference for the zone file form).
 *
 * <p>A block is the same as a block of the last version when its octets and the origin and $TTL it starts in are the
 * same: it then holds the same records. The text of a file that {@code $INCLUDE}s another, or holds a directive the
 * scan cannot follow (or a record that starts with a parenthesis, after which the tokenizer reads a directive), is not
 * cut ({@link #uncutBecause}): an included file can change without the text changing.
 */
public final class ZoneFileBlocks {

  /** About one logical record in this many starts a block: blocks of a few KiB in a TLD zone; no official reference. */
  public static final int RECORDS_PER_BLOCK = 256;

  /**
   * Octets of a logical record its hash covers: about an owner name and its TTL, which decide a cut as well as the
   * whole record would, and hashing more costs a third of the scan's time on a TLD zone (measured); no official
   * reference.
   */
  private static final int HASHED_OCTETS = 24;

  private final byte[] text;
  private final Name zoneOrigin;
  private final int mask;
  private int count;
  private int[] start = new int[64];
  private int[] line = new int[64];
  private Name[] origin = new Name[64];
  private long[] defaultTtl = new long[64];
  private long[] key = new long[64];
  private String uncutBecause;

  private ZoneFileBlocks(byte[] text, Name zoneOrigin, int recordsPerBlock) {
    this.text = text;
    this.zoneOrigin = zoneOrigin;
    this.mask = recordsPerBlock - 1;
  }

  /** The text of a zone file cut into blocks of about {@link #RECORDS_PER_BLOCK} logical records. */
  public static ZoneFileBlocks cut(byte[] text, Name zoneOrigin) {
    return cut(text, zoneOrigin, RECORDS_PER_BLOCK);
  }

  /**
   * The text of a zone file cut into blocks of about {@code recordsPerBlock} logical records, a power of two.
   *
   * @param text the zone file's octets; kept, not copied: the caller does not change them
   * @param zoneOrigin the zone apex, the initial {@code $ORIGIN}
   */
  public static ZoneFileBlocks cut(byte[] text, Name zoneOrigin, int recordsPerBlock) {
    if (Integer.bitCount(recordsPerBlock) != 1) {
      throw new IllegalArgumentException("recordsPerBlock must be a power of two: " + recordsPerBlock);
    }
    ZoneFileBlocks blocks = new ZoneFileBlocks(text, zoneOrigin, recordsPerBlock);
    blocks.cut(lexer(zoneOrigin));
    return blocks;
  }

  /** A lexer for the blocks of a text: a text with an {@code $INCLUDE} is not cut, so none reads a file. */
  private static RecordLexer lexer(Name zoneOrigin) {
    return new RecordLexer(zoneOrigin, new RecordLexer.NameCache(), (target, origin, defaultTtl, file, line) -> {
      throw new IllegalStateException("a block of a cut zone file holds an $INCLUDE at " + file + ":" + line);
    });
  }

  private void cut(RecordLexer scanner) {
    FileState scan = new FileState(zoneOrigin, -1);
    add(0, 1, scan, 0);
    int pos = 0;
    int lineAt = 1;
    while (pos < text.length) {
      int end = scanner.recordEnd(text, pos, text.length, true);
      byte first = text[pos];
      if (first == '$') {
        if (isInclude(pos, end)) {
          uncutBecause = "it has an $INCLUDE at line " + lineAt;
          return;
        }
        if (!Directives.follow(text, pos, end, scan)) {
          uncutBecause = "the directive at line " + lineAt + " cannot be followed";
          return;
        }
      } else if (first == '(') {
        // The tokenizer reads a directive after an opening parenthesis, which this scan would not follow.
        uncutBecause = "the record at line " + lineAt + " starts with a parenthesis";
        return;
      } else if (pos > 0 && !RecordLexer.isSpace(first) && first != ';') {
        long hash = hash(pos, end);
        if ((hash & mask) == 0 && (scan.defaultTtl >= 0 || RecordLexer.hasTtl(text, pos, end))) {
          add(pos, lineAt, scan, hash);
        }
      }
      lineAt += scanner.recordLines();
      pos = end;
    }
    start[count] = text.length;
  }

  private boolean isInclude(int from, int end) {
    int tokenEnd = from;
    while (tokenEnd < end && !RecordLexer.isSpace(text[tokenEnd])) {
      tokenEnd++;
    }
    return RecordLexer.is(text, from, tokenEnd, "$INCLUDE");
  }

  /** FNV-1a (64 bits) over the record's first octets, then mixed so its low bits depend on all of them. */
  private long hash(int from, int end) {
    long h = 0xcbf29ce484222325L;
    for (int i = from, last = Math.min(end, from + HASHED_OCTETS); i < last; i++) {
      h = (h ^ (text[i] & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 29;
    h *= 0xbf58476d1ce4e5b9L;
    return h ^ (h >>> 32);
  }

  private void add(int at, int lineAt, FileState scan, long hash) {
    if (count + 1 >= start.length) {
      int size = start.length * 2;
      start = Arrays.copyOf(start, size);
      line = Arrays.copyOf(line, size);
      origin = Arrays.copyOf(origin, size);
      defaultTtl = Arrays.copyOf(defaultTtl, size);
      key = Arrays.copyOf(key, size);
    }
    start[count] = at;
    line[count] = lineAt;
    origin[count] = scan.origin;
    defaultTtl[count] = scan.defaultTtl;
    key[count] = hash;
    count++;
  }

  /** Why the text was not cut into blocks ($INCLUDE, a directive the scan cannot follow), or null if it was. */
  public String uncutBecause() {
    return uncutBecause;
  }

  /** The number of blocks. */
  public int blockCount() {
    return count;
  }

  /** The octets of the zone file. */
  public int textBytes() {
    return text.length;
  }

  /**
   * The parsed records of the blocks of this text that are not in {@code previous} (added) and of those of {@code
   * previous} not in this text (removed), less the records in both (as multisets, a record being its octets and TTL):
   * what changed from the records the previous text parses into to those this text parses into, before
   * normalisation. Null when more than {@code maxChangedBytes} octets of blocks, old and new together, changed.
   *
   * @param previous the blocks of the last version of the same zone file, cut the same way
   * @param displayName the file name errors name
   * @throws ZoneInputException when a changed block does not parse; the line is that of this text or of the previous
   * @throws IllegalArgumentException when either text was not cut, or not the same way
   */
  public Change changesFrom(ZoneFileBlocks previous, String displayName, long maxChangedBytes)
      throws ZoneInputException {
    if (uncutBecause != null || previous.uncutBecause != null || mask != previous.mask
        || !zoneOrigin.equals(previous.zoneOrigin)) {
      throw new IllegalArgumentException("both texts must be cut, the same way, for the same zone");
    }
    Map<Long, ArrayDeque<Integer>> oldByKey = new HashMap<>();
    for (int b = 0; b < previous.count; b++) {
      oldByKey.computeIfAbsent(previous.key[b] * 31 + previous.length(b), k -> new ArrayDeque<>()).add(b);
    }
    boolean[] oldSame = new boolean[previous.count];
    List<Integer> newChanged = new ArrayList<>();
    long changedBytes = 0;
    for (int b = 0; b < count; b++) {
      ArrayDeque<Integer> candidates = oldByKey.get(key[b] * 31 + length(b));
      Integer match = null;
      if (candidates != null) {
        for (Integer old : candidates) {
          if (sameBlock(b, previous, old)) {
            match = old;
            break;
          }
        }
      }
      if (match == null) {
        newChanged.add(b);
        changedBytes += length(b);
      } else {
        candidates.remove(match);
        oldSame[match] = true;
      }
    }
    List<Integer> oldChanged = new ArrayList<>();
    for (int b = 0; b < previous.count; b++) {
      if (!oldSame[b]) {
        oldChanged.add(b);
        changedBytes += previous.length(b);
      }
    }
    if (changedBytes > maxChangedBytes) {
      return null;
    }
    RecordLexer lexer = lexer(zoneOrigin);
    List<Record> removed = previous.parse(lexer, oldChanged, displayName);
    List<Record> added = parse(lexer, newChanged, displayName);
    // Records in both (a block cut differently around an edit, a record moved) cancel out, one for one.
    Map<ByteBuffer, Integer> removedCount = new HashMap<>();
    for (Record r : removed) {
      removedCount.merge(ByteBuffer.wrap(r.toWire(Section.ANSWER)), 1, Integer::sum);
    }
    List<Record> addedOnly = new ArrayList<>();
    for (Record r : added) {
      ByteBuffer wire = ByteBuffer.wrap(r.toWire(Section.ANSWER));
      Integer n = removedCount.get(wire);
      if (n == null) {
        addedOnly.add(r);
      } else if (n == 1) {
        removedCount.remove(wire);
      } else {
        removedCount.put(wire, n - 1);
      }
    }
    List<Record> removedOnly = new ArrayList<>();
    for (Record r : removed) {
      ByteBuffer wire = ByteBuffer.wrap(r.toWire(Section.ANSWER));
      Integer n = removedCount.get(wire);
      if (n != null) {
        removedOnly.add(r);
        if (n == 1) {
          removedCount.remove(wire);
        } else {
          removedCount.put(wire, n - 1);
        }
      }
    }
    return new Change(removedOnly, addedOnly, oldChanged.size(), newChanged.size(), changedBytes);
  }

  /**
   * What changed between two texts of a zone file, before normalisation.
   *
   * @param removed records the previous text parses into and this one does not, as parsed
   * @param added records this text parses into and the previous one does not, as parsed
   * @param oldBlocks blocks of the previous text that were parsed
   * @param newBlocks blocks of this text that were parsed
   * @param parsedBytes octets of both that were parsed
   */
  public record Change(List<Record> removed, List<Record> added, int oldBlocks, int newBlocks, long parsedBytes) {
    public Change {
      removed = List.copyOf(removed);
      added = List.copyOf(added);
    }
  }

  private int length(int block) {
    return start[block + 1] - start[block];
  }

  /** Whether block {@code b} of this text and block {@code old} of {@code previous} parse into the same records. */
  private boolean sameBlock(int b, ZoneFileBlocks previous, int old) {
    return length(b) == previous.length(old)
        && defaultTtl[b] == previous.defaultTtl[old]
        && sameSpelling(origin[b], previous.origin[old])
        && Arrays.equals(text, start[b], start[b + 1], previous.text, previous.start[old], previous.start[old + 1]);
  }

  /** Names equal octet for octet: relative names take the origin's case, which the records keep. */
  private static boolean sameSpelling(Name a, Name b) {
    return a == b || Arrays.equals(a.toWire(), b.toWire());
  }

  private List<Record> parse(RecordLexer lexer, List<Integer> blocks, String displayName)
      throws ZoneInputException {
    List<Record> records = new ArrayList<>();
    for (int b : blocks) {
      records.addAll(lexer.parseBlock(text, start[b], start[b + 1], displayName, line[b],
          new FileState(origin[b], defaultTtl[b])));
    }
    return records;
  }
}
