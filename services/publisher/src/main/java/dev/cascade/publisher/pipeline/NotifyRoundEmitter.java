package dev.cascade.publisher.pipeline;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.NotifySent;
import dev.cascade.events.v1.ZoneNotifiesSent;
import dev.cascade.publisher.dns.Notifier;
import dev.cascade.service.messaging.TransactionsConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Announces each NOTIFY round the {@link Notifier} ended as ZoneNotifiesSent on {@code cascade.notifies-sent.v1},
 * keyed by zone, for zone history: to which secondaries, which serial, answered or not after how many sends. Not in a
 * transaction, as {@link NotifyEmitter}: the NOTIFYs went out whatever happens to the announcement, and a lost one
 * only leaves a line out of the history. The send does not block the notifier's threads.
 */
@ApplicationScoped
public class NotifyRoundEmitter {

  private static final Logger LOG = Logger.getLogger(NotifyRoundEmitter.class);

  private final Emitter<ZoneNotifiesSent> emitter;
  private final Notifier notifier;
  private final Clock clock;
  private final String producer;
  private final String instance;

  public NotifyRoundEmitter(@Channel("notifies-sent") Emitter<ZoneNotifiesSent> emitter, Notifier notifier,
      Clock clock, @ConfigProperty(name = "quarkus.application.name") String producer, TransactionsConfig instance) {
    this.emitter = emitter;
    this.notifier = notifier;
    this.clock = clock;
    this.producer = producer;
    this.instance = instance.instance();
  }

  void start(@Observes StartupEvent started) {
    notifier.onRoundEnded(this::announce);
  }

  private void announce(Notifier.Round round) {
    ZoneNotifiesSent fact = ZoneNotifiesSent.newBuilder()
        .setMetadata(EventMetadataFactory.next(clock, producer, null))
        .setZone(round.zone())
        .setSerial(round.serial())
        .setPublisherInstance(instance)
        .setNotifies(round.notifies().stream().map(o -> NotifySent.newBuilder().setTarget(o.target())
            .setOutcome(o.state()).setRcode(o.state().equals("answered") ? o.rcode() : null).setSends(o.sends())
            .build()).toList())
        .build();
    emitter.send(Message.of(fact)
        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(round.zone()).build())
        .withNack(e -> {
          LOG.warnf(e, "zone %s: the NOTIFY round of serial %d could not be announced; zone history lacks it",
              round.zone(), round.serial());
          return CompletableFuture.completedFuture(null);
        }));
  }
}
