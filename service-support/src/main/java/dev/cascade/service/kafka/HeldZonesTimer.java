package dev.cascade.service.kafka;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs a check of the zones this instance holds every {@code interval}, and once more whenever the instance gains
 * partitions ({@link HeldZones#onGain}): zones taken over from a replica that left must not wait a whole interval.
 * The signer's signature refresh and the key manager's roll steps are such checks.
 *
 * <p>A plain single-thread {@link ScheduledExecutorService} rather than the quarkus-scheduler extension: one periodic
 * task needs no cron, clustering or extra dependency, a single thread with a fixed delay never runs two checks at
 * once, and a check blocks (database, Kafka, signing, key generation), which this dedicated thread may do without
 * holding a Vert.x or shared worker thread.
 */
public final class HeldZonesTimer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(HeldZonesTimer.class);

  private final String name;
  private final Duration interval;
  private final HeldZones held;
  private final Runnable check;
  private volatile ScheduledExecutorService executor;

  /**
   * @param name the thread's name and the check's in log lines, e.g. {@code signature-refresh}
   * @param interval the time between two checks; zero turns the timer off
   * @param check the check; whatever it throws is logged, since an exception would cancel the periodic task
   */
  public HeldZonesTimer(String name, Duration interval, HeldZones held, Runnable check) {
    this.name = name;
    this.interval = interval;
    this.held = held;
    this.check = check;
  }

  /** Starts the periodic check, unless the interval is zero. */
  public void start() {
    if (interval.isZero()) {
      LOG.infof("%s timer off (interval 0)", name);
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, name));
    held.onGain(this::checkSoon);
    executor.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A check soon, on the timer's own thread, so never two at once: when the instance gains partitions, or when
   * something that a check acts on arrived (the loader's NOTIFY) and should not wait for the interval.
   */
  public void checkSoon() {
    ScheduledExecutorService running = executor;
    if (running != null && !running.isShutdown()) {
      running.execute(this::check);
    }
  }

  private void check() {
    try {
      check.run();
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s check failed", name);
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
