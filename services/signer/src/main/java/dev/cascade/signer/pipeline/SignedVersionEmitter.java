package dev.cascade.signer.pipeline;

import dev.cascade.events.v1.SignedVersionFact;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Writes SignedVersionFact events to cascade.signed-versions.v1, keyed by zone apex, in the caller's trace context,
 * and waits until Kafka has acknowledged them: the signer marks a version done only after its fact is on the bus.
 */
@ApplicationScoped
public class SignedVersionEmitter {

  /** How long to wait for the broker's acknowledgement; no official reference, above the producer's own timeouts. */
  private static final long ACK_TIMEOUT_SECONDS = 60;

  private final Emitter<SignedVersionFact> emitter;

  public SignedVersionEmitter(@Channel("signed-versions") Emitter<SignedVersionFact> emitter) {
    this.emitter = emitter;
  }

  void send(SignedVersionFact fact) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    Message<SignedVersionFact> message =
        Message.of(fact)
            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(fact.getZone()).build())
            .addMetadata(TracingMetadata.withCurrent(Context.current()))
            .withAck(
                () -> {
                  written.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                failure -> {
                  written.completeExceptionally(failure);
                  return CompletableFuture.completedFuture(null);
                });
    emitter.send(message);
    try {
      written.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the signed-version fact of " + fact.getZone(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write the signed-version fact of " + fact.getZone(), e);
    }
  }
}
