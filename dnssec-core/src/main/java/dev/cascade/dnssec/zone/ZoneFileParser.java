package dev.cascade.dnssec.zone;

import dev.cascade.dnssec.parallel.Parallel;
import dev.cascade.dnssec.progress.Progress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Reads an RFC 1035 §5 master file into a {@link ParsedZone}: the zone file and the files it includes, on one thread
 * or, for a large file, on several.
 *
 * <p>The file is read a block at a time ({@link BlockReader}); the {@link RecordLexer} makes a record of each logical
 * record in it, with the file and line it starts at, and {@link Directives} follows {@code $ORIGIN}, {@code $TTL}
 * and {@code $INCLUDE}, whose file this parser reads (only inside the zone file's directory). A large file is cut
 * into blocks that several threads parse at the same time, with the same result as one thread. The
 * {@link ZoneNormaliser} then checks and normalises the records: every error names the file and line of the
 * offending record.
 */
public final class ZoneFileParser {

  private final Name zoneOrigin;
  private final Path zoneDir;
  private final Path zoneDirReal;
  private final Deque<Path> includeStack = new ArrayDeque<>();
  /** The records read so far, with the file and line of each. */
  private final LocatedRecords records = new LocatedRecords();
  private final RecordLexer lexer;
  private long byteCount;
  /** Reading in blocks: the size of the file, and of the blocks whose records are taken over so far. */
  private long fileBytes;
  private long blockBytesTaken;
  /** A block's parser: the length of its block. */
  private int blockBytes;
  /** Told how many bytes of the zone file (not of the files it includes) are parsed; only the top parser's is set. */
  private Progress progress = Progress.NONE;
  /**
   * The zone file's text when the caller read it already ({@link dev.cascade.dnssec.reload.ZoneReload}), else null:
   * read from the file.
   */
  private byte[] zoneText;

  private ZoneFileParser(Name zoneOrigin, Path zoneDir, Path zoneDirReal, RecordLexer.NameCache names) {
    this.zoneOrigin = zoneOrigin;
    this.zoneDir = zoneDir;
    this.zoneDirReal = zoneDirReal;
    this.lexer = new RecordLexer(zoneOrigin, names, this::include);
  }

  /**
   * Parses, checks and normalises a zone file, reading it on as many threads as there are processors.
   *
   * @see #parse(Path, Name, int)
   */
  public static ParsedZone parse(Path file, Name origin) throws ZoneInputException {
    return parse(file, origin, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Parses, checks and normalises a zone file.
   *
   * @param file the zone file; {@code $INCLUDE} may only name files inside its directory
   * @param origin the zone apex (absolute); also the initial {@code $ORIGIN}
   * @param threads threads that parse blocks of a large file at the same time, at least 1
   * @throws ZoneInputException on a syntax error or a failed input check, naming file and line
   */
  public static ParsedZone parse(Path file, Name origin, int threads) throws ZoneInputException {
    return parse(file, origin, threads, PARALLEL_BLOCK, Progress.NONE);
  }

  /**
   * Parses, checks and normalises a zone file as {@link #parse(Path, Name, int)} does, and tells {@code progress} on
   * the calling thread, about once per MiB, how many bytes of the file (of its size) are parsed: the records it holds
   * are not known before it is read. Files it includes are not counted; normalising after the last byte is not
   * either.
   */
  public static ParsedZone parse(Path file, Name origin, int threads, Progress progress) throws ZoneInputException {
    return parse(file, origin, threads, PARALLEL_BLOCK, progress);
  }

  /** {@link #parse(Path, Name, int)} with another block size, so tests can cut small files into many blocks. */
  static ParsedZone parse(Path file, Name origin, int threads, int blockSize) throws ZoneInputException {
    return parse(file, origin, threads, blockSize, Progress.NONE);
  }

  /** {@link #parse(Path, Name, int, Progress)} with another block size, for tests. */
  static ParsedZone parse(Path file, Name origin, int threads, int blockSize, Progress progress)
      throws ZoneInputException {
    return parse(file, null, origin, threads, blockSize, progress);
  }

  /**
   * {@link #parse(Path, Name, int, Progress)} of the zone file whose text the caller read already ({@link
   * dev.cascade.dnssec.reload.ZoneReload} keeps it): the records are those of exactly that text, even if the file
   * changes meanwhile. Files it includes are read from the file system.
   */
  public static ParsedZone parse(Path file, byte[] text, Name origin, int threads, Progress progress)
      throws ZoneInputException {
    return parse(file, text, origin, threads, PARALLEL_BLOCK, progress);
  }

  /** {@link #parse(Path, byte[], Name, int, Progress)} with another block size, for tests. */
  static ParsedZone parse(Path file, byte[] text, Name origin, int threads, int blockSize, Progress progress)
      throws ZoneInputException {
    if (!origin.isAbsolute()) {
      throw new IllegalArgumentException("origin must be absolute: " + origin);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    Path absolute = file.toAbsolutePath().normalize();
    Path dir = absolute.getParent();
    Path dirReal;
    try {
      dirReal = dir.toRealPath();
    } catch (IOException e) {
      throw new ZoneInputException(file.toString(), null, "cannot read the zone file's directory: " + e);
    }
    ZoneFileParser parser = new ZoneFileParser(origin, dir, dirReal, new RecordLexer.NameCache());
    parser.progress = progress;
    parser.zoneText = text;
    FileState start = new FileState(origin, -1);
    long length = text != null ? text.length : absolute.toFile().length();
    if (threads == 1 || length <= 2L * blockSize) {
      parser.readFile(absolute, file.toString(), start);
      parser.lexer.forgetOwnerText();
      return ZoneNormaliser.normalise(origin, file.toString(), parser.records, parser.byteCount, null, 1);
    }
    ExecutorService pool = Parallel.pool(threads, "zone-parser");
    try {
      parser.readInBlocks(absolute, file.toString(), start, pool, threads, blockSize);
      parser.lexer.forgetOwnerText();
      return ZoneNormaliser.normalise(origin, file.toString(), parser.records, parser.byteCount, pool, threads);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Bytes read from a zone file at a time; a logical record longer than this grows the buffer. */
  private static final int BLOCK = 1 << 20;

  /** Reads a zone file a block at a time and parses each logical record in it. */
  private void readFile(Path path, String displayName, FileState state) throws ZoneInputException {
    Path real = enter(path, displayName);
    try (BlockReader file = new BlockReader(open(real), BLOCK)) {
      // Only the zone file itself is counted: it is the size the count is of (an $INCLUDE is read by a nested call).
      long size = includeStack.size() == 1 ? size(real) : -1;
      int line = 1;
      while (file.start < file.end || !file.eof) {
        int recordEnd = file.start < file.end ? lexer.recordEnd(file.buffer, file.start, file.end, file.eof) : -1;
        if (recordEnd < 0) {
          if (size >= 0) {
            progress.reached(file.read - (file.end - file.start), size);
          }
          file.readMore();
          lexer.forgetOwnerText();  // the bytes it points at have moved
          continue;
        }
        int lines = lexer.recordLines();  // before an $INCLUDE in this record scans its own file
        Record r = lexer.parse(file.buffer, file.start, recordEnd - file.start, displayName, line, state);
        add(records, lexer, r, displayName, line);
        line += lines;
        file.start = recordEnd;
      }
      byteCount += file.read;
    } catch (IOException e) {
      throw new ZoneInputException(displayName, null, "cannot read: " + e);
    }
    includeStack.pop();
  }

  /** Adds {@code r}, the record {@code lexer} parsed last (if any), and notes the TTL it clamped, if it did. */
  private static void add(LocatedRecords records, RecordLexer lexer, Record r, String displayName, int line) {
    if (r != null) {
      records.add(r, displayName, line);
      long clamped = lexer.takeClampedTtl();
      if (clamped >= 0) {
        records.clampedTtl(displayName, line, clamped);
      }
    }
  }

  /** The file entered last ({@link #enter}): the zone file's text if the caller gave it, else the file. */
  private InputStream open(Path real) throws IOException {
    return zoneText != null && includeStack.size() == 1
        ? new ByteArrayInputStream(zoneText) : Files.newInputStream(real);
  }

  /** The size of the file entered last, as {@link #open} reads it. */
  private long size(Path real) throws IOException {
    return zoneText != null && includeStack.size() == 1 ? zoneText.length : Files.size(real);
  }

  /** The file's real path, pushed on the $INCLUDE stack (popped when it is read). */
  private Path enter(Path path, String displayName) throws ZoneInputException {
    try {
      Path real = path.toRealPath();
      includeStack.push(real);
      return real;
    } catch (IOException e) {
      throw new ZoneInputException(displayName, null, "cannot read: " + e);
    }
  }

  /** Bytes of a zone file one thread parses at a time when the file is read in blocks. */
  private static final int PARALLEL_BLOCK = 4 << 20;

  /**
   * Reads a large zone file in blocks that {@code threads} threads parse at the same time, each into its own
   * parser; the records are then taken over in file order, so the result (order, first error, warnings) is the
   * same as reading it through {@link #readFile}. This thread scans for the logical records and follows
   * {@code $ORIGIN} and {@code $TTL} to know the state each block starts in. A block starts only at a record that
   * names its owner and has a TTL (its own or a {@code $TTL} in force): nothing it parses then depends on the records
   * before it (RFC 1035 §5.1: a blank owner is the previous owner, and without $TTL an omitted TTL is the previous
   * one).
   */
  private void readInBlocks(Path path, String displayName, FileState state, ExecutorService pool, int threads,
      int blockSize) throws ZoneInputException {
    Path real = enter(path, displayName);
    // One name cache per thread at a time; dropped with this queue when the file is read, not kept by the pool.
    Queue<RecordLexer.NameCache> caches = new ConcurrentLinkedQueue<>();
    // Blocks are copied out of the read buffer into buffers that go round: a fresh copy per block would live until
    // its turn to be parsed, reach the old generation and leave there garbage that only a full collection frees.
    Queue<byte[]> freeBlocks = new ConcurrentLinkedQueue<>();
    Deque<Future<ZoneFileParser>> inFlight = new ArrayDeque<>();
    try (BlockReader file = new BlockReader(open(real), 2 * blockSize)) {
      fileBytes = size(real);
      int pos = 0;
      int line = 1;
      int blockLines = 0;
      FileState scan = new FileState(state.origin, state.defaultTtl);
      FileState blockState = state;
      boolean splittable = true;
      while (true) {
        int recordEnd = pos < file.end ? lexer.recordEnd(file.buffer, pos, file.end, file.eof) : -1;
        if (recordEnd < 0) {
          if (file.eof) {
            if (pos > file.start) {
              inFlight.add(submitBlock(pool, caches, freeBlocks, real, file.buffer, file.start, pos, displayName,
                  line, blockState));
            }
            break;
          }
          pos -= file.readMore();
          continue;
        }
        byte first = file.buffer[pos];
        if (splittable && pos - file.start >= blockSize && !RecordLexer.isSpace(first) && first != ';'
            && first != '$' && (scan.defaultTtl >= 0 || RecordLexer.hasTtl(file.buffer, pos, recordEnd))) {
          inFlight.add(submitBlock(pool, caches, freeBlocks, real, file.buffer, file.start, pos, displayName, line,
              blockState));
          line += blockLines;
          blockLines = 0;
          file.start = pos;
          blockState = new FileState(scan.origin, scan.defaultTtl);
          while (inFlight.size() > 2 * threads) {
            takeOver(inFlight.poll());
            progress.reached(blockBytesTaken, fileBytes);
          }
        }
        if (first == '$') {
          splittable &= Directives.follow(file.buffer, pos, recordEnd, scan);
        }
        blockLines += lexer.recordLines();
        pos = recordEnd;
      }
      while (!inFlight.isEmpty()) {
        takeOver(inFlight.poll());
        progress.reached(blockBytesTaken, fileBytes);
      }
      byteCount += file.read;
    } catch (IOException e) {
      throw new ZoneInputException(displayName, null, "cannot read: " + e);
    }
    includeStack.pop();
  }

  private Future<ZoneFileParser> submitBlock(ExecutorService pool, Queue<RecordLexer.NameCache> caches,
      Queue<byte[]> freeBlocks, Path file, byte[] buffer, int from, int to, String displayName, int firstLine,
      FileState state) {
    int length = to - from;
    byte[] free = freeBlocks.poll();
    byte[] block = free != null && free.length >= length ? free : new byte[length + length / 8];
    System.arraycopy(buffer, from, block, 0, length);
    // Room for the block's records from the records per byte so far (at first, one per 32 bytes, a TLD's short
    // lines), so that its arrays are not copied as they fill.
    int expectedRecords = blockBytesTaken > 0 ? (int) (length * 1.1 * records.count / blockBytesTaken) : length / 32;
    return pool.submit(() -> {
      RecordLexer.NameCache cache = caches.poll();
      ZoneFileParser part = new ZoneFileParser(zoneOrigin, zoneDir, zoneDirReal,
          cache != null ? cache : new RecordLexer.NameCache());
      part.records.reserve(expectedRecords);
      part.blockBytes = length;
      part.includeStack.push(file);
      RecordLexer partLexer = part.lexer;
      int pos = 0;
      int line = firstLine;
      try {
        while (pos < length) {
          int recordEnd = partLexer.recordEnd(block, pos, length, true);
          int lines = partLexer.recordLines();
          Record r = partLexer.parse(block, pos, recordEnd - pos, displayName, line, state);
          add(part.records, partLexer, r, displayName, line);
          line += lines;
          pos = recordEnd;
        }
      } finally {
        partLexer.forgetOwnerText();  // it points into the block, which goes round
        caches.add(partLexer.names());
        freeBlocks.add(block);
      }
      return part;
    });
  }

  /** Appends the records of a parsed block, or throws its error (the first in file order: blocks come in order). */
  private void takeOver(Future<ZoneFileParser> block) throws ZoneInputException {
    ZoneFileParser part;
    try {
      part = block.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ZoneInputException z) {
        throw z;
      }
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while parsing", e);
    }
    blockBytesTaken += part.blockBytes;
    int needed = records.count + part.records.count;
    if (needed > records.records.length) {
      // Grow to the records of the whole file, estimated from the share of it parsed so far, rather than by half
      // again and again: each outgrown copy of millions of references would outlive young collections and fill
      // the old generation with garbage that only a full collection frees.
      records.reserve((int) Math.min(Integer.MAX_VALUE - 8,
          Math.max(needed, needed * (fileBytes * 1.05 / blockBytesTaken))));
    }
    records.addAll(part.records);
    byteCount += part.byteCount;
  }

  /** RFC 1035 §5.1 {@code $INCLUDE <file> [<origin>]}, restricted to the zone file's directory. */
  private void include(String target, Name origin, long defaultTtl, String file, int line)
      throws ZoneInputException {
    Path resolved = zoneDir.resolve(target).normalize();
    String outside = "$INCLUDE " + target + " is outside the zone file's directory " + zoneDir;
    if (!resolved.startsWith(zoneDir)) {
      throw new ZoneInputException(file, line, outside);
    }
    Path real;
    try {
      real = resolved.toRealPath();
    } catch (IOException e) {
      throw new ZoneInputException(file, line, "cannot read $INCLUDE " + target + ": " + e);
    }
    if (!real.startsWith(zoneDirReal)) {
      throw new ZoneInputException(file, line, outside + " (through a symbolic link)");
    }
    if (includeStack.contains(real)) {
      throw new ZoneInputException(file, line, "$INCLUDE " + target + " loops back to a file being read");
    }
    readFile(resolved, zoneDir.relativize(resolved).toString(), new FileState(origin, defaultTtl));
  }
}
