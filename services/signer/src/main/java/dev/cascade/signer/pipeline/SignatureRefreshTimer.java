package dev.cascade.signer.pipeline;

import dev.cascade.service.kafka.HeldZones;
import dev.cascade.signer.config.SignerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the signature refresh check ({@link SigningService#refreshDueZones}) every
 * {@code cascade.signer.refresh-check-interval}, and once more whenever this instance gains partitions
 * ({@link HeldZones}); per zone, re-signing happens only when its stored refresh instant
 * has come (reference notes §6: re-signing every signature-refresh-interval) and no newer version of the zone is on its
 * way to being signed, or the safety valve opened ({@code ResignTiming}).
 *
 * <p>A plain single-thread {@link ScheduledExecutorService} owned by this bean rather than the quarkus-scheduler
 * extension: one periodic task needs no cron, clustering or extra dependency, a single thread with a fixed delay
 * never runs two checks at once, and the check blocks (database, Kafka reads, signing), which this dedicated thread
 * may do without holding a Vert.x or shared worker thread.
 */
@ApplicationScoped
public class SignatureRefreshTimer {

  private static final Logger LOG = Logger.getLogger(SignatureRefreshTimer.class);

  private final SigningService signing;
  private final SignerRebuild rebuild;
  private final HeldZones held;
  private final Duration interval;
  private volatile ScheduledExecutorService executor;

  public SignatureRefreshTimer(
      SigningService signing, SignerRebuild rebuild, HeldZones held, SignerConfig config) {
    this.signing = signing;
    this.rebuild = rebuild;
    this.held = held;
    this.interval = config.refreshCheckInterval();
  }

  void start(@Observes StartupEvent started) {
    if (interval.isZero()) {
      LOG.info("signature refresh timer off (cascade.signer.refresh-check-interval=0)");
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "signature-refresh"));
    held.onGain(this::checkSoon);
    executor.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A check soon after this instance gained partitions: the zones it took over from a replica that left may have
   * signatures due, which must not wait for the next periodic check. On the timer's own thread, so never two at once.
   */
  private void checkSoon() {
    ScheduledExecutorService running = executor;
    if (running != null && !running.isShutdown()) {
      running.execute(this::check);
    }
  }

  /**
   * One check, once the tables hold the signer's own topic and are rebuilt from the log (before that, a head could
   * be missing its latest version); whatever it throws is logged, since an exception would cancel the periodic task.
   */
  private void check() {
    if (!rebuild.done()) {
      return;
    }
    try {
      signing.refreshDueZones();
    } catch (RuntimeException e) {
      LOG.error("signature refresh check failed", e);
    }
  }

  @PreDestroy
  void stop() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
