package dev.cascade.dnssec.compact;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * The content digest of a version ({@link CompactRecords#digest}), a two-level hash tree over its records, so that a
 * version made of another by a small difference ({@link CompactDiff#applyTo}) is digested for the cost of what
 * changed rather than of the whole zone (issue 8: one changed delegation in a 1 M-delegation zone served in 2 s; a
 * flat hash of its 4.8 M signed records took a second of the signer's part alone).
 *
 * <p>The definition: the records in canonical order (RFC 4034 §6.1 and §6.3), each in canonical wire form (§6.2),
 * are cut into runs. A run starts at the first record, and at the first record of every owner name (compared as
 * canonical octets, so spellings of one name in other cases are one name) whose canonical wire form has a CRC-32C
 * (RFC 3720 §B.4) with its low {@value #RUN_BITS} bits zero. Where runs start thus depends on the names alone, and a
 * change moves no run boundary but its own. A run's digest is SHA-256 (FIPS 180-4) over its records' canonical wire
 * forms one after the other; the version's digest is SHA-256 over the runs' digests in order, written as
 * {@value #PREFIX} and lower-case hex.
 */
final class RunDigests {

  /** Names the digest's definition in its text, so a reader tells it from the flat SHA-384 written before it. */
  static final String PREFIX = "runs-sha256:";

  /**
   * A run holds 2^10 owner names on average: a changed run costs about 100 KB of hashing in a TLD (two or three
   * records of some 80 octets per name), and a 1 M-delegation zone has about two thousand runs, whose digests are
   * hashed again in moments; no official reference.
   */
  private static final int RUN_BITS = 10;

  private static final int RUN_MASK = (1 << RUN_BITS) - 1;

  private static final int SHA256_BYTES = 32;

  /**
   * Owner names of a version taken unchanged from another: the owner names {@code [newStart, newStart + length)} of
   * the new version are {@code [oldStart, oldStart + length)} of the old one, with the same records.
   */
  record Span(int newStart, int oldStart, int length) {}

  private final int ownerCount;
  /** The owner name each run starts at, ascending; the first is 0. Empty for an empty version. */
  private final int[] runStart;
  /** The runs' digests, {@value #SHA256_BYTES} octets each, in order. */
  private final byte[] runDigests;
  private final String digest;

  private RunDigests(int ownerCount, int[] runStart, byte[] runDigests) {
    this.ownerCount = ownerCount;
    this.runStart = runStart;
    this.runDigests = runDigests;
    MessageDigest top = sha256();
    top.update(runDigests);
    this.digest = PREFIX + HexFormat.of().formatHex(top.digest());
  }

  /** The digest in its text form. */
  String digest() {
    return digest;
  }

  /** Every run of {@code records} found and digested, the runs on all cores. */
  static RunDigests of(CompactRecords records) {
    IntList found = new IntList();
    addRunStarts(records, 0, records.ownerCount(), found);
    int[] starts = found.toArray();
    byte[] digests = new byte[starts.length * SHA256_BYTES];
    IntStream.range(0, starts.length).parallel().forEach(run -> digestRun(records, starts, run, digests));
    return new RunDigests(records.ownerCount(), starts, digests);
  }

  /**
   * The runs of {@code newer}, made of the version these runs are of by taking over {@code unchanged} (ascending,
   * not overlapping) and adding other owner names between them: a run that lies inside one span and ends where it
   * ended in the old version keeps its digest; only the others are digested.
   */
  RunDigests after(List<Span> unchanged, CompactRecords newer) {
    IntList starts = new IntList();
    int next = 0;
    for (Span span : unchanged) {
      addRunStarts(newer, next, span.newStart(), starts);
      if (span.length() > 0) {
        // The span's first name starts a run or not by its predecessor, which may have changed; the others keep theirs.
        addRunStarts(newer, span.newStart(), span.newStart() + 1, starts);
        int from = firstRunAtOrAfter(span.oldStart() + 1);
        for (int run = from; run < runStart.length && runStart[run] < span.oldStart() + span.length(); run++) {
          starts.add(runStart[run] - span.oldStart() + span.newStart());
        }
      }
      next = span.newStart() + span.length();
    }
    addRunStarts(newer, next, newer.ownerCount(), starts);
    int[] newStarts = starts.toArray();
    byte[] digests = new byte[newStarts.length * SHA256_BYTES];
    int[] toDigest = new int[newStarts.length];
    int count = 0;
    int spanIndex = 0;
    for (int run = 0; run < newStarts.length; run++) {
      int start = newStarts[run];
      int end = run + 1 < newStarts.length ? newStarts[run + 1] : newer.ownerCount();
      while (spanIndex < unchanged.size()
          && unchanged.get(spanIndex).newStart() + unchanged.get(spanIndex).length() <= start) {
        spanIndex++;
      }
      int old = spanIndex < unchanged.size() ? oldRunOf(unchanged.get(spanIndex), start, end) : -1;
      if (old >= 0) {
        System.arraycopy(runDigests, old * SHA256_BYTES, digests, run * SHA256_BYTES, SHA256_BYTES);
      } else {
        toDigest[count++] = run;
      }
    }
    IntStream.range(0, count).parallel().forEach(i -> digestRun(newer, newStarts, toDigest[i], digests));
    return new RunDigests(newer.ownerCount(), newStarts, digests);
  }

  /**
   * The index of the old run that the new run of owner names {@code [start, end)} is, when it lies in {@code span} and
   * the old run started and ended at the same names; else -1.
   */
  private int oldRunOf(Span span, int start, int end) {
    if (start < span.newStart() || end > span.newStart() + span.length()) {
      return -1;
    }
    int oldStart = start - span.newStart() + span.oldStart();
    int run = Arrays.binarySearch(runStart, oldStart);
    if (run < 0) {
      return -1;
    }
    int oldEnd = run + 1 < runStart.length ? runStart[run + 1] : ownerCount;
    return oldEnd - oldStart == end - start ? run : -1;
  }

  /** The index of the first run starting at or after owner name {@code owner}. */
  private int firstRunAtOrAfter(int owner) {
    int found = Arrays.binarySearch(runStart, owner);
    return found >= 0 ? found : -found - 1;
  }

  /** Adds to {@code starts} the owner names of {@code records} in {@code [from, to)} that start a run. */
  private static void addRunStarts(CompactRecords records, int from, int to, IntList starts) {
    CRC32C crc = new CRC32C();
    byte[] lower = new byte[255];
    for (int owner = from; owner < to; owner++) {
      if (startsRun(records, owner, crc, lower)) {
        starts.add(owner);
      }
    }
  }

  private static boolean startsRun(CompactRecords records, int owner, CRC32C crc, byte[] lower) {
    if (owner == 0) {
      return true;
    }
    byte[] page = records.ownerPage(owner);
    int offset = records.ownerOffset(owner);
    if (WireNames.compare(records.ownerPage(owner - 1), records.ownerOffset(owner - 1), page, offset) == 0) {
      return false;
    }
    int length = WireNames.length(page, offset);
    System.arraycopy(page, offset, lower, 0, length);
    CanonicalWire.lower(lower, 0, length);
    crc.reset();
    crc.update(lower, 0, length);
    return (crc.getValue() & RUN_MASK) == 0;
  }

  /** Digests run {@code run} of {@code records}, whose runs start at {@code starts}, into {@code digests}. */
  private static void digestRun(CompactRecords records, int[] starts, int run, byte[] digests) {
    int end = run + 1 < starts.length ? starts[run + 1] : records.ownerCount();
    MessageDigest sha = sha256();
    records.canonicalWire(starts[run], end, sha::update);
    byte[] digest = sha.digest();
    System.arraycopy(digest, 0, digests, run * SHA256_BYTES, SHA256_BYTES);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every Java platform", e);
    }
  }

  /** A growing list of ints. */
  private static final class IntList {
    private int[] values = new int[64];
    private int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
