package dev.cascade.reviewgateway.pipeline;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.TsigKeyAdded;
import dev.cascade.events.v1.TsigKeyFact;
import dev.cascade.events.v1.TsigKeyRemoved;
import dev.cascade.reviewgateway.config.KeyImportKek;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TsigKeyFeed;
import dev.cascade.service.tsig.TsigKeyring;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;

/**
 * The TSIG keys as review-gateway knows them, and the writer of {@code cascade.tsig-keys.v1}: a {@link TsigKeyring}
 * of names and algorithms only (the gateway wraps secrets but never holds them), kept up to the topic by a
 * {@link TsigKeyFeed}, and updated at once with the facts this instance writes, so that a {@code tsig list} right
 * after a {@code tsig add} shows the key.
 *
 * <p>Once the keys written before the start are read, and before any command sees them ({@link #whenRead}), every
 * secret wrapped under another KEK than the current one is wrapped again under the current one and added again under
 * the same name: the TSIG half of a KEK rotation (docs/operations.md, "Rotating the key-encryption key"), as the
 * keymanager's {@code KekRotation} is for zone keys. This is the one writer of the topic, so no other service needs to
 * write; the readers accept the old and the new KEK meanwhile (their previous KEKs). A secret that no configured KEK
 * unwraps is logged (key name and KEK ids, never the secret) and left as it is.
 */
@ApplicationScoped
public class TsigKeyDirectory {

  private static final Logger LOG = Logger.getLogger(TsigKeyDirectory.class);

  private final MutinyEmitter<TsigKeyFact> emitter;
  private final KeyImportKek kek;
  private final TsigKeyring keyring = new TsigKeyring(null);
  private final String bootstrapServers;
  private final String registryUrl;
  private final CompletableFuture<Void> read = new CompletableFuture<>();
  private TsigKeyFeed feed;

  public TsigKeyDirectory(
      @Channel("tsig-keys") MutinyEmitter<TsigKeyFact> emitter,
      KeyImportKek kek,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    this.emitter = emitter;
    this.kek = kek;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
  }

  void onStart(@Observes StartupEvent event) {
    feed = TsigKeyFeed.start(KafkaSettings.historyConsumer(bootstrapServers, registryUrl), keyring);
    feed.caughtUp().thenRun(() -> {
      Uni<Integer> rotation = kek.keyWrap() == null ? Uni.createFrom().item(0) : wrapAgain(kek.keyWrap());
      rotation.subscribe().with(ignored -> read.complete(null), failure -> {
        // The broker refused a fact: the keys stay usable under the previous KEK, and the next start tries again.
        LOG.errorf("TSIG keys could not all be wrapped again: %s", failure.getMessage());
        read.complete(null);
      });
    });
  }

  /**
   * Adds again, wrapped under {@code keyWrap}'s current KEK, every key whose secret another KEK wrapped; returns how
   * many. Idempotent: a key the current KEK wraps already is left alone.
   */
  public Uni<Integer> wrapAgain(KeyWrap keyWrap) {
    List<TsigKey> again = new ArrayList<>();
    for (TsigKeyring.WrappedKey wrapped : keyring.wrappedKeys()) {
      if (keyWrap.wrappedByCurrent(wrapped.wrappedSecret())) {
        continue;
      }
      try {
        again.add(TsigKey.unwrap(keyWrap, wrapped.name(), wrapped.algorithm(), wrapped.wrappedSecret()));
      } catch (IllegalArgumentException e) {
        // Its KEK is not among the previous ones: the readers cannot use it either, and the operator adds it again.
        LOG.errorf("TSIG key %s cannot be wrapped again: %s", wrapped.name(), e.getMessage());
      }
    }
    if (again.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    return Uni.join().all(again.stream().map(key -> added(key, keyWrap).invoke(() -> LOG.infof(
            "TSIG key %s wrapped again under key-encryption key %s", key.displayName(), keyWrap.currentId())))
        .toList()).andFailFast().map(List::size);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (feed != null) {
      feed.close();
    }
  }

  /**
   * Runs {@code work} once the keys written before the start have been read, on the caller's Vert.x context (as
   * {@link ProjectionRebuild#whenRebuilt}), so that it sees every key.
   */
  public <T> Uni<T> whenRead(Supplier<Uni<T>> work) {
    return Uni.createFrom().deferred(() -> {
      if (read.isDone()) {
        return work.get();
      }
      Context context = Vertx.currentContext();
      Executor resume = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
      return Uni.createFrom().completionStage(read.thenRun(() -> { })).emitOn(resume).chain(() -> work.get());
    });
  }

  /** Every key, by name; call it inside {@link #whenRead}. */
  public List<TsigKeyring.Info> list() {
    return keyring.list();
  }

  /** Whether a key of that name exists; call it inside {@link #whenRead}. */
  public boolean contains(Name name) {
    return keyring.contains(name);
  }

  /** {@code TsigKeyAdded}: the key with its secret wrapped under {@code keyWrap}. */
  public Uni<Void> added(TsigKey key, KeyWrap keyWrap) {
    return send(fact(key.displayName(), new TsigKeyAdded(key.algorithm().mnemonic(),
        ByteBuffer.wrap(key.wrap(keyWrap)), keyWrap.currentId())));
  }

  /** {@code TsigKeyRemoved}. */
  public Uni<Void> removed(Name name) {
    return send(fact(TsigKey.displayName(name), new TsigKeyRemoved("removed by the operator")));
  }

  private static TsigKeyFact fact(String name, Object fact) {
    return TsigKeyFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), OperatorEvents.PRODUCER, null))
        .setKeyName(name)
        .setFact(fact)
        .build();
  }

  private Uni<Void> send(TsigKeyFact fact) {
    Message<TsigKeyFact> message = Message.of(fact)
        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(fact.getKeyName()).build());
    return emitter.sendMessage(message).invoke(() -> keyring.apply(fact));
  }
}
