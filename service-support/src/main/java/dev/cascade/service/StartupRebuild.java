package dev.cascade.service;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * Rebuilds a service's tables from the log once, at start, after its {@link StartupRestore} and before the service
 * handles any event (docs/architecture.md, rule 1: tables are projections of the log).
 *
 * <p>A schema that was dropped (or lost) is migrated again empty at start, and the events that built it lie before
 * the consumer group's committed offsets, so they are never delivered again: the rebuild reads them back
 * ({@link dev.cascade.service.kafka.RebuildHistory}) and applies them as the handlers did, without sending anything.
 * It runs after the restore, which may have recorded a zone's last fact into the empty tables, so that the replay in
 * order has the last word. Like the restore it runs on a thread of its own and is tried again until it succeeds;
 * handlers wait for {@link #rebuilt()}, and the service's readiness check reports {@link #done()}.
 */
public final class StartupRebuild {

  private static final Logger LOG = Logger.getLogger(StartupRebuild.class.getName());
  /** Pause between attempts when Kafka or the database is not there yet at start; no official reference. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final String what;
  private final IntSupplier rebuild;
  private final CompletableFuture<Void> rebuilt = new CompletableFuture<>();

  /**
   * @param what what is rebuilt, for the log ("loader projection")
   * @param rebuild applies the events the tables lack and returns how many it applied (0 when nothing was missing)
   */
  public StartupRebuild(String what, IntSupplier rebuild) {
    this.what = what;
    this.rebuild = rebuild;
  }

  /**
   * Starts the rebuild on a daemon thread of its own, which first waits for the service's start-up restore.
   *
   * @param awaitRestored blocks until the restore is done (the restore bean's own wait)
   */
  public void startAfter(Runnable awaitRestored) {
    Thread thread = new Thread(() -> {
      awaitRestored.run();
      rebuildUntilDone();
    }, what.replace(' ', '-') + "-rebuild");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the tables hold the state the log gives. */
  public boolean done() {
    return rebuilt.isDone();
  }

  /** Completes when {@link #done()}; handlers chain on it. */
  public CompletionStage<Void> rebuilt() {
    return rebuilt;
  }

  private void rebuildUntilDone() {
    while (true) {
      try {
        int applied = rebuild.getAsInt();
        LOG.info(() -> what + " rebuilt: " + applied + " event(s) applied that the tables lacked");
        rebuilt.complete(null);
        return;
      } catch (RuntimeException e) {
        LOG.warning(() -> "cannot rebuild the " + what + " yet, retrying in " + RETRY.toSeconds() + " s: " + e);
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
