package dev.cascade.service.messaging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.progress.Phase;
import dev.cascade.dnssec.progress.PhaseProgress;
import dev.cascade.events.v1.PipelineStep;
import dev.cascade.events.v1.ProgressUnit;
import dev.cascade.events.v1.StepPhase;
import dev.cascade.events.v1.StepProgressed;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class StepProgressEmitterTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void aReportNamesTheServicesStepAndIsKeyedByZone() {
    Capturing channel = new Capturing();
    PhaseProgress progress =
        emitter(channel, PipelineStep.SIGN, Duration.ZERO).start("example.org.", "version-1", "cause-1");

    progress.of(Phase.SIGN).reached(40, 100);
    progress.of(Phase.PARSE).reached(1024, 4096);

    assertEquals(2, channel.sent.size());
    Message<? extends StepProgressed> first = channel.sent.get(0);
    StepProgressed signing = first.getPayload();
    assertEquals(PipelineStep.SIGN, signing.getStep());
    assertEquals(StepPhase.SIGN, signing.getPhase());
    assertEquals("example.org.", signing.getZone());
    assertEquals("version-1", signing.getVersionId());
    assertEquals(40, signing.getDone());
    assertEquals(100, signing.getTotal());
    assertEquals(ProgressUnit.RECORDS, signing.getUnit());
    assertEquals("signer", signing.getMetadata().getProducer());
    assertEquals("cause-1", signing.getMetadata().getCausationId());
    assertEquals(NOW, signing.getMetadata().getOccurredAt());
    assertEquals("example.org.", first.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
    assertEquals(ProgressUnit.BYTES, channel.sent.get(1).getPayload().getUnit(), "parsing counts bytes of the file");
  }

  @Test
  void nothingIsReportedBeforeTheFirstInterval() {
    Capturing channel = new Capturing();
    PhaseProgress progress =
        emitter(channel, PipelineStep.LOAD, Duration.ofSeconds(1)).start("example.org.", "version-1", "cause-1");

    progress.of(Phase.WRITE).reached(1, 2);

    assertTrue(channel.sent.isEmpty(), "the fixed clock never reaches the first interval");
  }

  @Test
  void aReportTheChannelRefusesIsDroppedWithoutDisturbingTheStep() {
    Capturing channel = new Capturing();
    channel.refuse = true;
    PhaseProgress progress =
        emitter(channel, PipelineStep.PUBLISH, Duration.ZERO).start("example.org.", "version-1", "cause-1");

    assertDoesNotThrow(() -> progress.of(Phase.READ).reached(1, 2));
  }

  private static StepProgressEmitter emitter(Capturing channel, PipelineStep step, Duration interval) {
    String producer = step == PipelineStep.SIGN ? "signer" : "loader";
    return new StepProgressEmitter(channel, CLOCK, producer, new ProgressConfig() {
      @Override
      public Optional<PipelineStep> step() {
        return Optional.of(step);
      }

      @Override
      public Duration interval() {
        return interval;
      }
    });
  }

  /** Keeps what is sent, or refuses it as a full channel would. */
  private static final class Capturing implements Emitter<StepProgressed> {

    final List<Message<? extends StepProgressed>> sent = new ArrayList<>();
    boolean refuse;

    @Override
    public CompletionStage<Void> send(StepProgressed payload) {
      send(Message.of(payload));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public <M extends Message<? extends StepProgressed>> void send(M message) {
      if (refuse) {
        throw new IllegalStateException("channel full");
      }
      sent.add(message);
    }

    @Override
    public void complete() {}

    @Override
    public void error(Exception e) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean hasRequests() {
      return true;
    }
  }
}
