package dev.cascade.service.messaging;

import dev.cascade.dnssec.progress.PhaseProgress;
import dev.cascade.dnssec.progress.ProgressThrottle;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.PipelineStep;
import dev.cascade.events.v1.ProgressUnit;
import dev.cascade.events.v1.StepPhase;
import dev.cascade.events.v1.StepProgressed;
import io.quarkus.arc.properties.UnlessBuildProperty;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends StepProgressed, keyed by zone apex, while a long step works on one zone version: the loader loading a zone
 * file (step LOAD), the signer signing a version (SIGN), the publisher reading a signed version to serve it (PUBLISH).
 * The service names its step in {@code cascade.progress.step} and maps the channel {@value #CHANNEL} to its own topic
 * ({@code cascade.load-progress.v1}, {@code cascade.sign-progress.v1}, {@code cascade.publish-progress.v1}: one writer
 * per topic). Through a {@link ProgressThrottle}, so at most once per {@code cascade.progress.interval} per version and
 * nothing for a step that ends sooner (a change signed as a change takes moments).
 *
 * <p>Progress is throw-away and must never slow the work it reports on: a report is handed to the channel without
 * waiting for Kafka, and dropped (overflow DROP) when the channel cannot take it; a report that fails is logged at
 * debug level and forgotten. Reports may come from several threads of one step (the signer's checking threads).
 *
 * <p>The bean exists only in a service that sets {@code cascade.progress.step} (at build time: {@link
 * UnlessBuildProperty} with a value no step has); elsewhere, as in the key manager and review-gateway, its channel
 * would have no topic to go to.
 */
@ApplicationScoped
@UnlessBuildProperty(name = "cascade.progress.step", stringValue = "NONE")
public class StepProgressEmitter {

  /** The outgoing channel; each producing service maps it to its own progress topic. */
  public static final String CHANNEL = "progress-reports";

  private static final Logger LOG = Logger.getLogger(StepProgressEmitter.class);

  private final Emitter<StepProgressed> emitter;
  private final Clock clock;
  private final String producer;
  private final PipelineStep step;
  private final Duration interval;

  public StepProgressEmitter(
      @Channel(CHANNEL) @OnOverflow(OnOverflow.Strategy.DROP) Emitter<StepProgressed> emitter,
      Clock clock,
      @ConfigProperty(name = "quarkus.application.name") String producer,
      ProgressConfig config) {
    this.emitter = emitter;
    this.clock = clock;
    this.producer = producer;
    this.step = config.step().orElseThrow(() -> new IllegalStateException("cascade.progress.step is not set"));
    this.interval = config.interval();
  }

  /**
   * The progress of making {@code versionId} of {@code zone}, starting now.
   *
   * @param causationId the event that caused the step (the load request, the approval, the signed-version fact)
   */
  public PhaseProgress start(String zone, String versionId, String causationId) {
    return new ProgressThrottle(clock, interval, (phase, done, total) -> {
      StepProgressed event =
          StepProgressed.newBuilder()
              .setMetadata(EventMetadataFactory.next(clock, producer, causationId))
              .setZone(zone)
              .setVersionId(versionId)
              .setStep(step)
              .setPhase(StepPhase.valueOf(phase.name()))
              .setDone(done)
              .setTotal(total)
              .setUnit(phase.countsBytes() ? ProgressUnit.BYTES : ProgressUnit.RECORDS)
              .build();
      try {
        emitter.send(
            Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(zone).build()));
      } catch (RuntimeException e) {
        LOG.debugf(e, "zone %s version %s: progress report dropped", zone, versionId);
      }
    });
  }
}
