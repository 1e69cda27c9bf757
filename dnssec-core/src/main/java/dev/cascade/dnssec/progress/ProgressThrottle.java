package dev.cascade.dnssec.progress;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes on the progress of one step (one zone version) at most once per interval, and not at all before the first
 * interval has passed since the step began: a step that ends sooner reports nothing, and a long one reports once a
 * second with the default interval, whatever the number of batches it counts. The counts in between are dropped, not
 * queued; only the latest matters to someone watching.
 *
 * <p>Cheap and lock-free, as it is called on the working threads: a clock read and a volatile read per batch, and a
 * compare-and-set on the rare call that is due, so of several threads due at the same moment exactly one reports.
 */
public final class ProgressThrottle implements PhaseProgress {

  /** Where a due count goes. Called on a working thread; must not block and must not throw. */
  @FunctionalInterface
  public interface Sink {
    void report(Phase phase, long done, long total);
  }

  /**
   * Once a second: often enough that a watched step is seen moving (the reference's status is read by hand), and a
   * 1 M-delegation zone's two-minute pipeline gives about a hundred events; no official reference.
   */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final Clock clock;
  private final long intervalMillis;
  private final Sink sink;
  /** When, in the clock's epoch milliseconds, the next count may be passed on. */
  private final AtomicLong nextAt;

  /**
   * Starts the step now.
   *
   * @param interval the shortest time between two reports, and before the first; zero passes on every count
   * @throws IllegalArgumentException if {@code interval} is negative
   */
  public ProgressThrottle(Clock clock, Duration interval, Sink sink) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("progress interval is negative: " + interval);
    }
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.sink = sink;
    this.nextAt = new AtomicLong(clock.millis() + intervalMillis);
  }

  @Override
  public Progress of(Phase phase) {
    return (done, total) -> offer(phase, done, total);
  }

  private void offer(Phase phase, long done, long total) {
    long due = nextAt.get();
    long now = clock.millis();
    if (now >= due && nextAt.compareAndSet(due, now + intervalMillis)) {
      sink.report(phase, done, total);
    }
  }
}
