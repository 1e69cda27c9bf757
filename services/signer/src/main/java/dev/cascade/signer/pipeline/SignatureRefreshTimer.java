package dev.cascade.signer.pipeline;

import dev.cascade.service.kafka.HeldZones;
import dev.cascade.service.kafka.HeldZonesTimer;
import dev.cascade.signer.config.SignerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs the signature refresh check ({@link SigningService#refreshDueZones}) every
 * {@code cascade.signer.refresh-check-interval}, and once more whenever this instance gains partitions
 * ({@link HeldZonesTimer}); per zone, re-signing happens only when its stored refresh instant
 * has come (reference notes §6: re-signing every signature-refresh-interval) and no newer version of the zone is on its
 * way to being signed, or the safety valve opened ({@code ResignTiming}).
 */
@ApplicationScoped
public class SignatureRefreshTimer {

  private final HeldZonesTimer timer;

  public SignatureRefreshTimer(
      SigningService signing, SignerRebuild rebuild, HeldZones held, SignerConfig config) {
    // Only once the tables hold the signer's own topic and are rebuilt from the log: before that, a head could be
    // missing its latest version.
    this.timer = new HeldZonesTimer("signature-refresh", config.refreshCheckInterval(), held, () -> {
      if (rebuild.done()) {
        signing.refreshDueZones();
      }
    });
  }

  void start(@Observes StartupEvent started) {
    timer.start();
  }

  @PreDestroy
  void stop() {
    timer.close();
  }
}
