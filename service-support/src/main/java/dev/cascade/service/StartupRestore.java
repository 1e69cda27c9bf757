package dev.cascade.service;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * Brings a service's tables up to its own topic once, at start, before the service handles any event.
 *
 * <p>A service announces a fact and then records it, so a crash in between leaves a fact on the bus that its tables
 * lack; the event that led to it, delivered again, would be handled a second time. The restore reads the service's
 * own topic back ({@link TopicHistory}) and records what is missing. It runs on a thread of its own and is tried again
 * until it succeeds (Kafka or the database may not be there yet at start); handlers wait for it, and the service's
 * readiness check reports {@link #done()}.
 */
public final class StartupRestore {

  private static final Logger LOG = Logger.getLogger(StartupRestore.class.getName());
  /** Pause between attempts when Kafka or the database is not there yet at start; no official reference. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final String what;
  private final IntSupplier restore;
  private final CompletableFuture<Void> restored = new CompletableFuture<>();

  /**
   * @param what what is restored, for the log ("key sets", "signed versions")
   * @param restore records what the tables lack and returns how many facts it recorded
   */
  public StartupRestore(String what, IntSupplier restore) {
    this.what = what;
    this.restore = restore;
  }

  /** Starts the restore on a daemon thread of its own. */
  public void start() {
    Thread thread = new Thread(this::restoreUntilDone, what.replace(' ', '-') + "-restore");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the tables hold every fact of the topic. */
  public boolean done() {
    return restored.isDone();
  }

  /** Completes when {@link #done()}; reactive handlers chain on it. */
  public CompletionStage<Void> restored() {
    return restored;
  }

  /** Blocks the calling worker thread until {@link #done()}; blocking handlers call it first. */
  public void await() {
    try {
      restored.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the " + what + " to be restored", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the " + what + " were not restored", e.getCause());
    }
  }

  private void restoreUntilDone() {
    while (true) {
      try {
        int recorded = restore.getAsInt();
        LOG.info(() -> what + " restored: " + recorded + " fact(s) recorded that the tables lacked");
        restored.complete(null);
        return;
      } catch (RuntimeException e) {
        LOG.warning(() -> "cannot restore the " + what + " yet, retrying in " + RETRY.toSeconds() + " s: " + e);
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
