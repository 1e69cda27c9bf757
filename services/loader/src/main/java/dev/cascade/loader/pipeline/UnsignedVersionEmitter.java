package dev.cascade.loader.pipeline;

import dev.cascade.dnssec.reload.ZoneReload;
import dev.cascade.dnssec.xfr.TransferFailure;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneLoadFailed;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.loader.domain.LoadOutcome;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.messaging.FactTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds and sends UnsignedVersionFact records to {@code cascade.unsigned-versions.v1}, keyed by zone apex so all
 * facts about one zone stay in order, in the caller's trace context, each in a Kafka transaction of its own ({@link
 * FactTransactions}, issue 9): fenced by the consumer group membership of the registry event being handled, so an
 * instance whose zones went to another replica (a zombie) announces nothing, and committed before the method returns,
 * so the loader records the fact only once it is on the bus.
 */
@ApplicationScoped
public class UnsignedVersionEmitter {

  /** The precision of an event's occurredAt (timestamp-millis), so the time recorded equals the time announced. */
  private static final Clock MILLIS = Clock.tickMillis(ZoneOffset.UTC);

  private final FactTransactions transactions;
  private final LoaderMetrics metrics;
  private final String producer;

  public UnsignedVersionEmitter(
      FactTransactions transactions,
      LoaderMetrics metrics,
      @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.transactions = transactions;
    this.metrics = metrics;
    this.producer = producer;
  }

  /**
   * Announces a new unsigned version whose content is already on the content topic.
   *
   * @return when the version was announced, in the millisecond precision the event carries it (the loader records
   *     that time, which a rebuild reads back from the event)
   * @throws FencedWriteException when this instance, or the event it handles, was fenced: the fact is aborted and
   *     must not be recorded
   */
  Instant versionLoaded(
      String zone,
      String source,
      String versionId,
      ZoneReload.Result parsed,
      ContentLocation content,
      String transfer,
      String causationId) {
    ZoneVersionLoaded loaded =
        ZoneVersionLoaded.newBuilder()
            .setVersionId(versionId)
            .setSerial(parsed.serial())
            .setSource(source)
            .setByteCount(parsed.byteCount())
            .setContent(content)
            .setWarnings(List.copyOf(parsed.warnings()))
            .setTransfer(transfer)
            .build();
    UnsignedVersionFact event = fact(zone, loaded, causationId);
    transactions.write(Topics.UNSIGNED_VERSIONS, zone, event);
    metrics.loaded(zone, content.getRecordCount(), event.getMetadata().getOccurredAt());
    return event.getMetadata().getOccurredAt();
  }

  /**
   * Announces that a zone file could not be loaded.
   *
   * @param kind the failure as {@link LoaderMetrics} counts it
   * @throws FencedWriteException as {@link #versionLoaded}
   */
  void loadFailed(String zone, LoadOutcome.Failed failed, String causationId, String kind) {
    ZoneLoadFailed fact =
        ZoneLoadFailed.newBuilder()
            .setSource(failed.source())
            .setFile(failed.file())
            .setLine(failed.line())
            .setReason(failed.reason())
            .build();
    write(zone, fact(zone, fact, causationId), kind);
  }

  /**
   * Announces that a refresh from a primary failed, with the kind of failure as its cause.
   *
   * @throws FencedWriteException as {@link #versionLoaded}
   */
  void transferFailed(String zone, String source, TransferFailure failure, String causationId) {
    ZoneLoadFailed fact =
        ZoneLoadFailed.newBuilder()
            .setSource(source)
            .setReason(failure.reason())
            .setCause(failure.cause().label())
            .build();
    write(zone, fact(zone, fact, causationId), failure.cause().label());
  }

  /** Announces a failure, and counts it by {@code reason} once it is on the bus. */
  private void write(String zone, UnsignedVersionFact event, String reason) {
    transactions.write(Topics.UNSIGNED_VERSIONS, zone, event);
    metrics.failed(zone, reason, event.getMetadata().getOccurredAt());
  }

  private UnsignedVersionFact fact(String zone, Object fact, String causationId) {
    return UnsignedVersionFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(MILLIS, producer, causationId))
        .setZone(zone)
        .setFact(fact)
        .build();
  }
}
