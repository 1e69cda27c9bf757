package dev.cascade.signer.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.ZoneSigningFailed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.service.StartupRestore;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TopicHistory;
import dev.cascade.signer.config.SignerConfig;
import dev.cascade.signer.domain.SignedHead;
import dev.cascade.signer.domain.SigningStatus;
import dev.cascade.signer.persistence.SignerStore.ApprovalState;
import dev.cascade.signer.persistence.SignerStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Brings the signer's tables up to its own topic, {@code cascade.signed-versions.v1}, before any event is handled.
 *
 * <p>The signer announces a signed version (or a failure) and then records it; a crash in between leaves an approval
 * PENDING whose result is on the bus, and the approval, delivered again, would be signed a second time: an extra
 * version, with another serial and other signatures under the same versionId. Work on a zone is serial (one zone
 * lock), so only the last fact of each zone can be missing from the tables; this records it, and the approval then
 * finds its version done. Facts the tables already hold change nothing, so this runs at every start.
 */
@ApplicationScoped
public class SignedVersionRestore extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(SignedVersionRestore.class);

  private final SignerStore store;
  private final Clock clock;
  private final Map<String, Object> consumerConfig;

  public SignedVersionRestore(
      SignerStore store,
      Clock clock,
      SignerConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.store = store;
    this.clock = clock;
    this.consumerConfig = KafkaSettings.historyConsumer(bootstrapServers, config.registryUrl());
  }

  @Override
  protected String what() {
    return "signed versions";
  }

  /**
   * Records the last fact of each zone where the tables lack it. Consumers wait for it ({@link #await()}) before
   * handling an event, and so does the refresh timer ({@link #done()}).
   */
  @Override
  protected int restore() {
    Map<String, SignedVersionFact> lastOfZone = new LinkedHashMap<>();
    for (ConsumerRecord<String, SignedVersionFact> record :
        TopicHistory.<SignedVersionFact>read(consumerConfig, Topics.SIGNED_VERSIONS, READ_TIMEOUT)) {
      if (record.value() == null) {
        LOG.errorf("%s offset %d of partition %d cannot be decoded; skipped", Topics.SIGNED_VERSIONS,
            record.offset(), record.partition());
      } else {
        lastOfZone.put(ZoneApex.canonical(record.value().getZone()), record.value());
      }
    }
    int recorded = 0;
    for (Map.Entry<String, SignedVersionFact> last : lastOfZone.entrySet()) {
      if (record(last.getKey(), last.getValue())) {
        recorded++;
      }
    }
    return recorded;
  }

  private boolean record(String zone, SignedVersionFact event) {
    String eventId = event.getMetadata().getEventId();
    if (event.getFact() instanceof ZoneVersionSigned signed) {
      Optional<SignedHead> head = store.findSignedHead(zone);
      if (head.isPresent() && eventId.equals(head.get().signedEventId())) {
        return false;
      }
      LOG.warnf("zone %s version %s: signed serial %d was announced but not recorded (a crash in between):"
          + " recorded now", zone, signed.getVersionId(), signed.getSignedSerial());
      store.markSigned(
          EventMapping.signedHead(zone, signed, eventId, clock.instant()),
          event.getMetadata().getOccurredAt());
      return true;
    }
    ZoneSigningFailed failed = (ZoneSigningFailed) event.getFact();
    Optional<ApprovalState> approval = store.findApproval(failed.getVersionId());
    if (approval.isEmpty() || approval.get().status() != SigningStatus.PENDING) {
      return false;
    }
    LOG.warnf("zone %s version %s: its failure was announced but not recorded (a crash in between): recorded now",
        zone, failed.getVersionId());
    store.markFailed(failed.getVersionId(), failed.getReason(), event.getMetadata().getOccurredAt());
    return true;
  }
}
