package dev.cascade.dnssec.progress;

/**
 * Receives the count of one phase of work as it grows: {@code done} of {@code total} units (records or bytes, see
 * {@link Phase}). Called once per batch (a block of the zone file, a chunk of signed names, a content chunk, an RRset
 * checked), possibly from several threads at once, and on the working thread: an implementation must be cheap and must
 * not throw, or it slows or fails the work it reports on.
 */
@FunctionalInterface
public interface Progress {

  /** Ignores every count: for callers that do not report progress. */
  Progress NONE = (done, total) -> {};

  /**
   * @param done units done so far
   * @param total units the phase has in all, as far as is known when it starts
   */
  void reached(long done, long total);
}
