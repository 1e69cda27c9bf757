package dev.cascade.audit;

import dev.cascade.events.v1.DsSubmissionFact;
import dev.cascade.events.v1.DsSubmissionHookCompleted;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.KeyRemovalRequested;
import dev.cascade.events.v1.KeyRollStepRequested;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.KeysetCommandGiven;
import dev.cascade.events.v1.ParentDsChangeRequested;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneLoadFailed;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneSigningFailed;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.service.ZoneApex;
import java.time.Instant;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One fact read back from a topic, with what an auditor asks of it: what kind of fact, about which zone and version,
 * when, by which service, and which event caused it ({@code EventMetadata.causationId}).
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset there
 * @param zone the zone apex (lower case, absolute)
 * @param type the fact's record name, such as {@code ZoneVersionLoaded} or {@code ZoneVersionReviewed}
 * @param eventId its {@code EventMetadata.eventId}
 * @param causationId the eventId of the event that caused it; null for an operator's request
 * @param occurredAt when it happened, as its metadata says
 * @param producer the service (and instance) that wrote it
 * @param versionId the zone version it is about; null for a fact about no version
 * @param serial the SOA serial it names (the signed serial for a signed or published version); null for none
 * @param detail what else it says, in a few words: the reviewer and decision, the policy, the keys, the reason
 * @param fact the Avro record itself, for the checks that need more than these fields
 */
public record AuditEvent(
    String topic,
    int partition,
    long offset,
    String zone,
    String type,
    String eventId,
    String causationId,
    Instant occurredAt,
    String producer,
    String versionId,
    Long serial,
    String detail,
    Object fact) {

  /** The fact a record of a fact topic holds; null for a value no fact of the audit has (or none, undecodable). */
  static AuditEvent of(ConsumerRecord<String, ?> record) {
    Object value = record.value();
    if (value instanceof ZoneRegistryFact f) {
      return registry(record, f);
    } else if (value instanceof UnsignedVersionFact f) {
      return unsigned(record, f);
    } else if (value instanceof ZoneVersionReviewed f) {
      String detail = f.getStage() + " " + f.getDecision() + " by " + f.getReviewer()
          + (f.getNote() == null || f.getNote().isBlank() ? "" : " (" + f.getNote().strip() + ")");
      return make(record, f.getMetadata(), f.getZone(), "ZoneVersionReviewed", f.getVersionId(), f.getSerial(),
          detail, f);
    } else if (value instanceof SignedVersionFact f) {
      return signed(record, f);
    } else if (value instanceof ZoneVersionPublished f) {
      return make(record, f.getMetadata(), f.getZone(), "ZoneVersionPublished", f.getVersionId(),
          f.getSignedSerial(), "from loaded serial " + f.getUnsignedSerial() + ", " + f.getRecordCount() + " records"
              + (f.getPublisherInstance() == null ? "" : ", publisher " + f.getPublisherInstance()), f);
    } else if (value instanceof KeySetChanged f) {
      String keys = f.getKeys().isEmpty() ? "no keys"
          : f.getKeys().stream().map(AuditEvent::key).collect(Collectors.joining(", "));
      String rolls = f.getRolls().isEmpty() ? ""
          : "; rolls " + f.getRolls().stream().map(r -> r.getRollType() + " phase " + r.getPhase() + " " + r.getStage())
              .collect(Collectors.joining(", "));
      return make(record, f.getMetadata(), f.getZone(), "KeySetChanged", null, null, keys + rolls, f);
    } else if (value instanceof KeysetCommandGiven f) {
      Object command = f.getFact();
      String detail = command instanceof KeyRollStepRequested step ? step.getVariant() + " " + step.getStep()
          : command instanceof KeyRemovalRequested removal ? "remove key " + removal.getKey() : "";
      return make(record, f.getMetadata(), f.getZone(), name(command), null, null, detail, f);
    } else if (value instanceof DsSubmissionFact f) {
      Object fact = f.getFact();
      String detail = fact instanceof ParentDsChangeRequested ds ? "add " + ds.getAdd() + ", remove " + ds.getRemove()
          : fact instanceof DsSubmissionHookCompleted hook ? "hook exit " + hook.getExitCode() + " " + hook.getOutcome()
          : "";
      return make(record, f.getMetadata(), f.getZone(), name(fact), null, null, detail, f);
    }
    return null;
  }

  private static AuditEvent registry(ConsumerRecord<String, ?> record, ZoneRegistryFact f) {
    Object fact = f.getFact();
    String detail = "";
    if (fact instanceof ZoneAdded added) {
      detail = "policy " + added.getPolicy().getName() + ", source " + added.getSource();
    } else if (fact instanceof ZoneReloadRequested reload) {
      detail = (reload.getPolicy() == null ? "" : "policy " + reload.getPolicy().getName() + ", ")
          + "source " + reload.getSource();
    } else if (fact instanceof ZoneRemoved removed) {
      detail = removed.getReason();
    }
    return make(record, f.getMetadata(), f.getZone(), name(fact), null, null, detail, f);
  }

  private static AuditEvent unsigned(ConsumerRecord<String, ?> record, UnsignedVersionFact f) {
    if (f.getFact() instanceof ZoneVersionLoaded loaded) {
      return make(record, f.getMetadata(), f.getZone(), "ZoneVersionLoaded", loaded.getVersionId(),
          loaded.getSerial(), "from " + loaded.getSource() + ", " + loaded.getContent().getRecordCount() + " records, "
              + loaded.getContent().getDigest(), f);
    }
    ZoneLoadFailed failed = (ZoneLoadFailed) f.getFact();
    String where = failed.getFile() == null ? failed.getSource()
        : failed.getFile() + (failed.getLine() == null ? "" : ":" + failed.getLine());
    return make(record, f.getMetadata(), f.getZone(), "ZoneLoadFailed", null, null,
        where + ": " + failed.getReason(), f);
  }

  private static AuditEvent signed(ConsumerRecord<String, ?> record, SignedVersionFact f) {
    if (f.getFact() instanceof ZoneVersionSigned signed) {
      return make(record, f.getMetadata(), f.getZone(), "ZoneVersionSigned", signed.getVersionId(),
          signed.getSignedSerial(), "from loaded serial " + signed.getUnsignedSerial() + ", trigger "
              + signed.getTrigger() + ", " + signed.getContent().getRecordCount() + " records, "
              + signed.getContent().getDigest(), f);
    }
    ZoneSigningFailed failed = (ZoneSigningFailed) f.getFact();
    return make(record, f.getMetadata(), f.getZone(), "ZoneSigningFailed", failed.getVersionId(), null,
        "loaded serial " + failed.getUnsignedSerial() + ": " + failed.getReason(), f);
  }

  private static String key(ZoneKey key) {
    String use = key.getUse() == null ? ""
        : " (" + (key.getUse().getPublished() ? "published" : "unpublished")
            + (key.getUse().getSignsKeys() ? ", signs keys" : "") + (key.getUse().getSignsZone() ? ", signs zone" : "")
            + (key.getUse().getAtParent() ? ", at parent" : "") + ")";
    return key.getRole() + " " + key.getKeyTag() + " alg " + key.getAlgorithm() + use;
  }

  private static String name(Object fact) {
    return fact == null ? "unknown" : fact.getClass().getSimpleName();
  }

  private static AuditEvent make(ConsumerRecord<String, ?> record, EventMetadata metadata, String zone, String type,
      String versionId, Long serial, String detail, Object fact) {
    return new AuditEvent(record.topic(), record.partition(), record.offset(), ZoneApex.canonical(zone), type,
        metadata.getEventId(), metadata.getCausationId(), metadata.getOccurredAt(), metadata.getProducer(), versionId,
        serial, detail, fact);
  }
}
