package dev.cascade.loader.pipeline;

import dev.cascade.loader.persistence.LoaderStore;
import dev.cascade.loader.persistence.TransferState;
import dev.cascade.service.kafka.HeldZones;
import dev.cascade.service.kafka.HeldZonesTimer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refreshes the zones loaded from a primary when their SOA timers say so, or a NOTIFY asked for it: every {@code
 * cascade.loader.refresh-check-interval} it looks at the timers in the shared table ({@link TransferState}) of the
 * zones this instance holds ({@link HeldZones}: with several replicas only the holder of a zone's partition refreshes
 * it), once more when the instance gains partitions ({@link HeldZonesTimer}), and at once when a NOTIFY asked for a
 * refresh ({@link #checkSoon}). The timers are in the database, so they go on after a restart or at another replica.
 */
@ApplicationScoped
public class RefreshTimer {

  private final HeldZonesTimer timer;
  private final LoaderStore state;
  private final ZoneRegistryConsumer loader;
  private final HeldZones held;
  private final Clock clock;

  public RefreshTimer(LoaderStore state, ZoneRegistryConsumer loader, LoaderRebuild rebuild, HeldZones held,
      Clock clock, @ConfigProperty(name = "cascade.loader.refresh-check-interval") Duration interval) {
    this.state = state;
    this.loader = loader;
    this.held = held;
    this.clock = clock;
    // Only once the tables are rebuilt from the log: before that a zone's last version could be missing.
    this.timer = new HeldZonesTimer("zone-refresh", interval, held, () -> {
      if (rebuild.done()) {
        check();
      }
    });
  }

  void check() {
    Instant now = clock.instant();
    for (TransferState row : state.transferStates()) {
      if (held.holds(row.zone) && (row.refreshAsked || row.timers().due(now))) {
        if (row.refreshAsked) {
          // Taken back before the refresh starts: a NOTIFY during it asks for one more refresh, never for more.
          state.takeRefreshAsk(row.zone);
        }
        loader.refresh(row.zone, row.source, null, false);
      }
    }
  }

  /**
   * A check now rather than at the next interval, on the timer's thread: a NOTIFY asks for a refresh at once (RFC
   * 1996 §4.7), and waiting up to the interval (1 s) took half of issue 10's 1 s budget from a change on the
   * primary to the secondaries (docs/benchmark.md, "Chain benchmark").
   */
  void checkSoon() {
    timer.checkSoon();
  }

  void start(@Observes StartupEvent started) {
    timer.start();
  }

  @PreDestroy
  void stop() {
    timer.close();
  }
}
