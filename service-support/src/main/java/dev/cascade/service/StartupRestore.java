package dev.cascade.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

/**
 * Brings a service's tables up to the log once, at start, before the service handles any event: to its own topic
 * (a restore), or to the events its consumer group consumed (a rebuild).
 *
 * <p>A service announces a fact and then records it, so a crash in between leaves a fact on the bus that its tables
 * lack; the event that led to it, delivered again, would be handled a second time. The restore reads the service's
 * own topic back ({@link TopicHistory}) and records what is missing. It runs on a thread of its own and is tried again
 * until it succeeds (Kafka or the database may not be there yet at start); handlers wait for it, and the service's
 * readiness check reports {@link #done()}.
 *
 * <p>A schema that was dropped (or lost) is migrated again empty at start, and the events that built it lie before
 * the consumer group's committed offsets, so they are never delivered again: a rebuild reads them back
 * ({@link dev.cascade.service.kafka.RebuildHistory}) and applies them as the handlers did, without sending anything
 * (docs/architecture.md, rule 1: tables are projections of the log). It runs {@link #after()} the restore, which may
 * have recorded a zone's last fact into the empty tables, so that the replay in order has the last word.
 *
 * <p>A subclass is the service's bean (application-scoped: one restore per process) and says what it restores and
 * how; this class starts it when the application starts and tells the handlers when it is done. The description is a
 * method rather than a constructor argument so that the bean keeps a constructor without parameters of its own to
 * inherit, which the client proxy of a normal-scoped bean needs.
 */
public abstract class StartupRestore {

  private static final Logger LOG = Logger.getLogger(StartupRestore.class.getName());
  /** Pause between attempts when Kafka or the database is not there yet at start; no official reference. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  /** How long one reading of a topic may wait for the broker; no official reference. */
  protected static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final CompletableFuture<Void> restored = new CompletableFuture<>();

  /** What is restored, for the log and the thread's name ("key sets", "signed versions"). */
  protected abstract String what();

  /**
   * The restore that must be done before this one starts, or null for none; the rebuild's handlers then wait for the
   * rebuild alone.
   */
  protected StartupRestore after() {
    return null;
  }

  /**
   * Records what the tables lack and returns how many facts or events it applied. Throws when Kafka or the database cannot be
   * reached, to be tried again; must change nothing for facts the tables already hold, as it runs at every start.
   */
  protected abstract int restore();

  /**
   * Starts the restore on a daemon thread of its own when the application starts. Public, so that the observer CDI
   * generates for the subclass, in the subclass's package, may call it.
   */
  public void onStart(@Observes StartupEvent event) {
    StartupRestore before = after();
    Thread thread = new Thread(() -> {
      if (before != null) {
        before.restored().toCompletableFuture().join();
      }
      restoreUntilDone();
    }, what().replace(' ', '-') + "-restore");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the tables hold every fact of the topic (readiness waits for it). */
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
      throw new IllegalStateException("interrupted while waiting for the " + what() + " to be restored", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the " + what() + " were not restored", e.getCause());
    }
  }

  private void restoreUntilDone() {
    while (true) {
      try {
        int recorded = restore();
        LOG.info(() -> what() + " restored: " + recorded + " fact(s) or event(s) applied that the tables lacked");
        restored.complete(null);
        return;
      } catch (RuntimeException e) {
        LOG.warning(() -> "cannot restore the " + what() + " yet, retrying in " + RETRY.toSeconds() + " s: " + e);
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
