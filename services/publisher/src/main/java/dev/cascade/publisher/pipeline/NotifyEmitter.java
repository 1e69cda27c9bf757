package dev.cascade.publisher.pipeline;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.ZoneNotifyReceived;
import dev.cascade.publisher.domain.IncomingNotify;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Announces each NOTIFY the publication server took in ({@link IncomingNotify}) as ZoneNotifyReceived on {@code
 * cascade.zone-notifies.v1}, keyed by zone, for the loader to refresh the zone. Not in a transaction: a NOTIFY is
 * answered at once, before the fact is on the bus, and a lost one only waits for the next REFRESH (RFC 1996 §4.2
 * has NOTIFY speed up, never replace, the SOA timers). The send does not block the DNS server's thread.
 */
@ApplicationScoped
public class NotifyEmitter {

  private static final Logger LOG = Logger.getLogger(NotifyEmitter.class);

  private final Emitter<ZoneNotifyReceived> emitter;
  private final IncomingNotify notifies;
  private final Clock clock;
  private final String producer;

  public NotifyEmitter(@Channel("zone-notifies") Emitter<ZoneNotifyReceived> emitter, IncomingNotify notifies,
      Clock clock, @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.emitter = emitter;
    this.notifies = notifies;
    this.clock = clock;
    this.producer = producer;
  }

  void start(@Observes StartupEvent started) {
    notifies.onReceived(this::announce);
  }

  private void announce(IncomingNotify.Received received) {
    ZoneNotifyReceived fact = ZoneNotifyReceived.newBuilder()
        .setMetadata(EventMetadataFactory.next(clock, producer, null))
        .setZone(received.zone())
        .setSender(received.sender().getHostAddress())
        .setSerial(received.serial())
        .build();
    emitter.send(Message.of(fact)
        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(received.zone()).build())
        .withNack(e -> {
          LOG.warnf(e, "NOTIFY for %s from %s could not be announced; the zone waits for its REFRESH",
              received.zone(), received.sender().getHostAddress());
          return java.util.concurrent.CompletableFuture.completedFuture(null);
        }));
  }
}
