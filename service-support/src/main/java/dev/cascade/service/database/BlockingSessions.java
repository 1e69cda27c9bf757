package dev.cascade.service.database;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Hibernate Reactive from worker threads (blocking consumers, start-up restores and rebuilds, tests): each call runs
 * its work on a Vert.x context with {@link VertxContextSupport#subscribeAndAwait}, which Hibernate Reactive sessions
 * need and which refuses to block an event loop, and waits for it. One session or transaction per call: none stays
 * open across a Kafka write.
 */
public final class BlockingSessions {

  /** Upper bound for one database call; no official reference, generous for a loaded 2-core machine. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private BlockingSessions() {}

  /** Runs {@code work} in a session of its own, at most {@link #TIMEOUT}. */
  public static <T> T inSession(Supplier<Uni<T>> work) {
    return await(() -> Panache.withSession(work).ifNoItem().after(TIMEOUT).fail());
  }

  /** Runs {@code work} in a transaction of its own, at most {@link #TIMEOUT}. */
  public static <T> T inTransaction(Supplier<Uni<T>> work) {
    return await(() -> Panache.withTransaction(work).ifNoItem().after(TIMEOUT).fail());
  }

  /**
   * Runs {@code work}, which opens its own sessions, on a Vert.x context and blocks this worker thread until it ends;
   * with no time limit of its own (a rebuild's step may apply many events).
   */
  public static <T> T await(Supplier<Uni<T>> work) {
    try {
      return VertxContextSupport.subscribeAndAwait(work);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("database call failed: " + e.getMessage(), e);
    }
  }
}
