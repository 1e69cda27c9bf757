package dev.cascade.publisher.pipeline;

import dev.cascade.events.v1.ZoneVersionPublished;
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
 * Writes ZoneVersionPublished events to cascade.published-versions.v1, keyed by zone apex, in the caller's trace
 * context, and waits for Kafka's acknowledgement.
 */
@ApplicationScoped
public class PublishedVersionEmitter {

  /** How long to wait for the broker's acknowledgement; no official reference, above the producer's own timeouts. */
  private static final long ACK_TIMEOUT_SECONDS = 60;

  private final Emitter<ZoneVersionPublished> emitter;

  public PublishedVersionEmitter(@Channel("published-versions") Emitter<ZoneVersionPublished> emitter) {
    this.emitter = emitter;
  }

  void send(ZoneVersionPublished event) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    Message<ZoneVersionPublished> message =
        Message.of(event)
            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.getZone()).build())
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
      throw new IllegalStateException("interrupted while writing the published-version event of " + event.getZone(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write the published-version event of " + event.getZone(), e);
    }
  }
}
