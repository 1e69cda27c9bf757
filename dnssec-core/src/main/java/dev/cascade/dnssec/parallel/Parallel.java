package dev.cascade.dnssec.parallel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Pools of worker threads and work over index ranges on them. */
public final class Parallel {
  /** Work on the indexes {@code [from, to)}. */
  public interface RangeTask {
    void run(int from, int to);
  }

  /** Ranges a piece of set-up work is cut into per thread: a few, so that one slow range does not hold up the rest. */
  private static final int PIECES_PER_THREAD = 4;

  private Parallel() {}

  /** How many pieces to cut work into for a pool of {@code threads} threads; 1 without a pool. */
  public static int pieces(ExecutorService pool, int threads) {
    return pool == null ? 1 : PIECES_PER_THREAD * threads;
  }

  /**
   * {@code piece} applied to {@code 0 .. count - 1} on the pool's threads (on this one without a pool), the results
   * in index order.
   *
   * @throws RuntimeException the first failure of a piece, in index order
   */
  public static <T> List<T> map(ExecutorService pool, int count, IntFunction<T> piece) {
    List<T> results = new ArrayList<>(Collections.nCopies(count, null));
    forRanges(pool, count, count, (from, to) -> {
      for (int i = from; i < to; i++) {
        results.set(i, piece.apply(i));
      }
    });
    return results;
  }

  /**
   * A pool of {@code threads} daemon threads named {@code name}: a caller that fails or forgets to shut it down
   * does not keep the JVM (an offline signer's) alive.
   */
  public static ExecutorService pool(int threads, String name) {
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code task} over {@code [0, n)} cut into {@code pieces} ranges of about equal size on the pool's
   * threads, and waits for all of them; without a pool, over the whole range on this thread. More pieces than
   * threads even out ranges that take longer than others.
   *
   * @throws RuntimeException the first failure of a piece, in range order
   */
  public static void forRanges(ExecutorService pool, int n, int pieces, RangeTask task) {
    if (pool == null || pieces <= 1) {
      task.run(0, n);
      return;
    }
    List<Future<?>> running = new ArrayList<>(pieces);
    for (int p = 0; p < pieces; p++) {
      int from = (int) ((long) n * p / pieces);
      int to = (int) ((long) n * (p + 1) / pieces);
      running.add(pool.submit(() -> task.run(from, to)));
    }
    try {
      for (Future<?> f : running) {
        f.get();
      }
    } catch (ExecutionException e) {
      running.forEach(f -> f.cancel(true));
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      running.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
