package dev.cascade.dnssec.zone;

import dev.cascade.dnssec.parallel.Parallel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.xbill.DNS.Record;

/**
 * Writes records as {@link ZoneFileWriter} does, in the order given, but formats them in batches on other threads:
 * the thread that hands the records over (the one that also puts a signed zone in order) only collects them and
 * writes finished bytes. Formatting the 3 M records of a signed 1 M-delegation zone takes several CPU seconds even
 * with {@link ZoneFileWriter}'s own formatting of the common types: done here, it overlaps the signing.
 * Not thread-safe: one thread calls {@link #write} and {@link #finish}.
 */
public final class ParallelZoneFileWriter implements AutoCloseable {
  /** Records per batch: large enough to amortise a hand-over, small enough to keep few in memory. */
  private static final int BATCH = 4096;
  /** Formatted batches waiting to be written, per formatting thread: the threads keep busy within a bound. */
  private static final int AHEAD_PER_THREAD = 4;

  private final OutputStream out;
  private final ExecutorService pool;
  private final int ahead;
  /** Each formatting thread's writer: its buffer and caches serve batch after batch. */
  private final ThreadLocal<ZoneFileWriter> writers = ThreadLocal.withInitial(ZoneFileWriter::new);
  private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
  private List<Record> batch = new ArrayList<>(BATCH);
  private long count;

  /**
   * @param out where the zone goes; neither flushed nor closed here
   * @param threads formatting threads, at least 1
   */
  public ParallelZoneFileWriter(OutputStream out, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.out = out;
    this.ahead = threads * AHEAD_PER_THREAD;
    this.pool = Parallel.pool(threads, "zone-file-writer");
  }

  /** Queues one record. */
  public void write(Record r) throws IOException {
    batch.add(r);
    count++;
    if (batch.size() == BATCH) {
      submit();
    }
  }

  /** Writes every record queued so far to the stream; returns how many records were written in all. */
  public long finish() throws IOException {
    if (!batch.isEmpty()) {
      submit();
    }
    while (!pending.isEmpty()) {
      writeOldest();
    }
    return count;
  }

  private void submit() throws IOException {
    List<Record> records = batch;
    batch = new ArrayList<>(BATCH);
    pending.add(pool.submit(() -> writers.get().format(records)));
    while (pending.size() > ahead) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    try {
      out.write(pending.poll().get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e.getCause() instanceof RuntimeException re ? re : new UncheckedIOException(new IOException(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing the zone", e);
    }
  }

  /** Stops the formatting threads (also after a failure). */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
