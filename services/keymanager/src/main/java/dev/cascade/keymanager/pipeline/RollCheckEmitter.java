package dev.cascade.keymanager.pipeline;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.PropagationChecked;
import dev.cascade.keymanager.domain.RollDriver;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Announces what the propagation checks of a zone's rolls saw (PropagationChecked on {@code cascade.roll-checks.v1}),
 * the only way review-gateway's {@code zone status} can learn why a roll waits, and logs it at INFO. Only when a
 * roll's outcome changes, not at every check of the roll timer, and again once {@link #REPEAT_AFTER} has passed, so a
 * reader that starts within the topic's one-hour retention still finds it. Like progress, a report is throw-away:
 * handed to the channel without waiting for Kafka, dropped when the channel cannot take it; a failure is logged and
 * the next change or repeat announces again. Outcomes are remembered in memory per instance: after a restart each is
 * announced once more.
 */
@ApplicationScoped
public class RollCheckEmitter {

  /** Half the topic's retention (Topics.PROGRESS_RETENTION_MS, one hour), so one report is always within it. */
  static final Duration REPEAT_AFTER = Duration.ofMinutes(30);

  private static final Logger LOG = Logger.getLogger(RollCheckEmitter.class);

  /** What was announced last, per zone and roll variant, and when. */
  private record Announced(int phase, boolean propagated, long ttlSeconds, String summary, Instant at) {}

  private final Emitter<PropagationChecked> emitter;
  private final Clock clock;
  private final String producer;
  private final Map<String, Announced> last = new HashMap<>();

  public RollCheckEmitter(
      @Channel("roll-checks") @OnOverflow(OnOverflow.Strategy.DROP) Emitter<PropagationChecked> emitter,
      Clock clock,
      @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.emitter = emitter;
    this.clock = clock;
    this.producer = producer;
  }

  /** Announces those of {@code checks} of {@code zone} whose outcome changed since the last announcement. */
  synchronized void checked(String zone, List<RollDriver.Check> checks) {
    Instant now = clock.instant();
    for (RollDriver.Check check : checks) {
      String key = zone + " " + check.variant().word();
      long ttl = check.result().ttl().map(Duration::toSeconds).orElse(0L);
      Announced previous = last.get(key);
      Announced current = new Announced(check.phase(), check.result().isPropagated(), ttl, check.result().summary(),
          now);
      if (previous != null && previous.phase() == current.phase() && previous.propagated() == current.propagated()
          && previous.ttlSeconds() == current.ttlSeconds() && Objects.equals(previous.summary(), current.summary())
          && now.isBefore(previous.at().plus(REPEAT_AFTER))) {
        continue;
      }
      last.put(key, current);
      LOG.infof("zone %s: %s roll, propagation%d %s: %s", zone, check.variant().word(), check.phase(),
          current.propagated() ? "complete" : "not yet", current.summary());
      PropagationChecked event = PropagationChecked.newBuilder()
          .setMetadata(EventMetadataFactory.next(clock, producer,
              "roll-check/" + zone + "/" + check.variant().word()))
          .setZone(zone)
          .setVariant(check.variant().word())
          .setPhase(check.phase())
          .setPropagated(current.propagated())
          .setTtlSeconds(ttl)
          .setSummary(current.summary())
          .setExpected(check.expected())
          .build();
      try {
        emitter.send(
            Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(zone).build()));
      } catch (RuntimeException e) {
        last.remove(key);
        LOG.debugf(e, "zone %s: propagation check report dropped", zone);
      }
    }
  }
}
