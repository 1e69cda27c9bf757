package dev.cascade.loader.pipeline;

import dev.cascade.dnssec.progress.PhaseProgress;
import dev.cascade.dnssec.progress.ProgressThrottle;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.PipelineStep;
import dev.cascade.events.v1.ProgressUnit;
import dev.cascade.events.v1.StepPhase;
import dev.cascade.events.v1.StepProgressed;
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
 * Sends StepProgressed (step LOAD) to {@code cascade.load-progress.v1}, keyed by zone apex, while a zone file is
 * loaded: the bytes parsed of the file, then the records written of the version. Through a {@link ProgressThrottle},
 * so at most once per {@code cascade.progress-interval} per version and nothing for a load that ends sooner.
 *
 * <p>Progress is throw-away and must never slow the load it reports on: a report is handed to the channel without
 * waiting for Kafka, and dropped (overflow DROP) when the channel cannot take it; a report that fails is logged at
 * debug level and forgotten.
 */
@ApplicationScoped
public class LoadProgressEmitter {

  private static final Logger LOG = Logger.getLogger(LoadProgressEmitter.class);

  private final Emitter<StepProgressed> emitter;
  private final String producer;
  private final Duration interval;
  private final Clock clock = Clock.systemUTC();

  public LoadProgressEmitter(
      @Channel(Channels.LOAD_PROGRESS) @OnOverflow(OnOverflow.Strategy.DROP) Emitter<StepProgressed> emitter,
      @ConfigProperty(name = "quarkus.application.name") String producer,
      @ConfigProperty(name = "cascade.progress-interval", defaultValue = "1s") Duration interval) {
    this.emitter = emitter;
    this.producer = producer;
    this.interval = interval;
  }

  /**
   * The progress of loading {@code versionId} of {@code zone}, starting now.
   *
   * @param causationId the event that asked for the load
   */
  PhaseProgress start(String zone, String versionId, String causationId) {
    return new ProgressThrottle(clock, interval, (phase, done, total) -> {
      StepProgressed event =
          StepProgressed.newBuilder()
              .setMetadata(EventMetadataFactory.next(clock, producer, causationId))
              .setZone(zone)
              .setVersionId(versionId)
              .setStep(PipelineStep.LOAD)
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
