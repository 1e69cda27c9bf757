package dev.cascade.signer.pipeline;

import dev.cascade.dnssec.progress.PhaseProgress;
import dev.cascade.dnssec.progress.ProgressThrottle;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.PipelineStep;
import dev.cascade.events.v1.ProgressUnit;
import dev.cascade.events.v1.StepPhase;
import dev.cascade.events.v1.StepProgressed;
import dev.cascade.signer.config.SignerConfig;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends StepProgressed (step SIGN) to {@code cascade.sign-progress.v1}, keyed by zone apex, while a version is
 * signed: the records of the unsigned version read, signed, checked by the whole-zone gate, then written. Through a
 * {@link ProgressThrottle}, so at most once per {@code cascade.progress-interval} per signed version and nothing for a
 * signing that ends sooner (a change signed as a change takes moments).
 *
 * <p>Progress is throw-away and must never slow the signing it reports on: a report is handed to the channel without
 * waiting for Kafka, and dropped (overflow DROP) when the channel cannot take it; a report that fails is logged at
 * debug level and forgotten. Reports come from the signing thread and, during the gate, from its checking threads.
 */
@ApplicationScoped
public class SignProgressEmitter {

  private static final Logger LOG = Logger.getLogger(SignProgressEmitter.class);

  private final Emitter<StepProgressed> emitter;
  private final Clock clock;
  private final Duration interval;

  public SignProgressEmitter(
      @Channel("sign-progress") @OnOverflow(OnOverflow.Strategy.DROP) Emitter<StepProgressed> emitter,
      Clock clock,
      SignerConfig config) {
    this.emitter = emitter;
    this.clock = clock;
    this.interval = config.progressInterval();
  }

  /**
   * The progress of making {@code signedVersionId} of {@code zone}, starting now.
   *
   * @param causationId the event that caused the signing
   */
  PhaseProgress start(String zone, String signedVersionId, String causationId) {
    return new ProgressThrottle(clock, interval, (phase, done, total) -> {
      StepProgressed event =
          StepProgressed.newBuilder()
              .setMetadata(EventMetadataFactory.next(clock, EventMapping.PRODUCER, causationId))
              .setZone(zone)
              .setVersionId(signedVersionId)
              .setStep(PipelineStep.SIGN)
              .setPhase(StepPhase.valueOf(phase.name()))
              .setDone(done)
              .setTotal(total)
              .setUnit(phase.countsBytes() ? ProgressUnit.BYTES : ProgressUnit.RECORDS)
              .build();
      try {
        emitter.send(
            Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(zone).build()));
      } catch (RuntimeException e) {
        LOG.debugf(e, "zone %s version %s: progress report dropped", zone, signedVersionId);
      }
    });
  }
}
