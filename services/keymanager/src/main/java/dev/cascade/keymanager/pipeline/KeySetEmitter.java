package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.ParentRecords;
import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.Propagation;
import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.DsSubmissionFact;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeyRollProgress;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.KeyUse;
import dev.cascade.events.v1.ParentDsChangeRequested;
import dev.cascade.events.v1.RollStage;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.keymanager.domain.ParentPolicy;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.KeySetRows;
import dev.cascade.keymanager.persistence.StoredDsRequest;
import dev.cascade.keymanager.persistence.StoredKeyRoll;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.keymanager.persistence.StoredZonePolicy;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.messaging.FactTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * Sends a zone's whole current key set, each key's use and the rolls in progress, as KeySetChanged to {@code
 * cascade.key-sets.v1}, keyed by zone apex, in the caller's trace context, in a Kafka transaction of its own ({@link
 * FactTransactions}, issue 9): fenced by the consumer group membership of the registry event being handled (or, for the
 * roll timer, by the producer epoch alone), so an instance whose zones went to another replica (a zombie)
 * announces nothing, and committed before it returns, so the key manager records the announcement only once it is on
 * the bus. Private keys go out exactly as stored, AES-GCM-wrapped.
 */
@ApplicationScoped
public class KeySetEmitter {

  private static final Logger LOG = Logger.getLogger(KeySetEmitter.class);

  private final FactTransactions transactions;
  private final KeyManagerStore state;
  private final KeyManagerMetrics metrics;
  private final String producer;

  public KeySetEmitter(
      FactTransactions transactions, KeyManagerStore state, KeyManagerMetrics metrics,
      @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.transactions = transactions;
    this.state = state;
    this.metrics = metrics;
    this.producer = producer;
  }

  /**
   * Announces the key set, with the CDS and CDNSKEY records the zone's policy asks for; and, when the DS RRset the
   * parent is to hold is not the one last requested (a zone's first DS, a roll entering its DS phase, a policy
   * asking for the DS to be deleted), a ParentDsChangeRequested in the same transaction, so neither goes out without
   * the other. The request is recorded once the transaction committed: a crash in between makes the next key set
   * request the same DS RRset again, a duplicate rather than a loss. An empty key set (a removed zone) requests
   * nothing: the zone may be moving to another signer, whose DS the parent is to keep.
   *
   * @param occurredAt when the key set changed: the retirement time of keys it no longer holds
   * @throws FencedWriteException when this instance, or the event it handles, was fenced: the key set is aborted and
   *     must not be recorded
   */
  void keySetChanged(
      String zone, long dnskeyTtl, List<StoredZoneKey> keys, List<StoredKeyRoll> rolls, String causationId,
      Instant occurredAt) {
    Clock at = Clock.fixed(occurredAt, ZoneOffset.UTC);
    StoredZonePolicy stored = keys.isEmpty() ? null : state.policyOf(zone);
    ParentPolicy parent = parentPolicy(zone, stored);
    Name origin = origin(zone);
    List<DNSKEYRecord> parentKeys =
        keys.stream().filter(key -> key.atParent).map(key -> dnskey(origin, dnskeyTtl, key)).toList();
    KeySetState keySet = KeySetRows.state(keys, rolls);
    List<Record> cds = ParentRecords.cdsAndCdnskey(origin,
        keys.stream().filter(key -> key.atParent && key.published).map(key -> dnskey(origin, dnskeyTtl, key)).toList(),
        keySet.dsChanging(), parent.cds(), parent.dsAlgorithm(), dnskeyTtl);
    KeySetChanged event =
        KeySetChanged.newBuilder()
            .setMetadata(EventMetadataFactory.next(at, producer, causationId))
            .setZone(zone)
            .setDnskeyTtl(dnskeyTtl)
            .setKeys(keys.stream().map(KeySetEmitter::toEvent).toList())
            .setRolls(rolls.stream().map(KeySetEmitter::toEvent).toList())
            .setCdsAndCdnskey(cds.stream().map(Record::toString).toList())
            .build();
    List<ProducerRecord<String, Object>> records = new ArrayList<>();
    records.add(new ProducerRecord<>(Topics.KEY_SETS, zone, event));
    StoredDsRequest request = null;
    if (!keys.isEmpty()) {
      List<String> wanted = ParentRecords.ds(origin, parentKeys, parent.cds(), parent.dsAlgorithm(), dnskeyTtl)
          .stream().map(Record::toString).toList();
      StoredDsRequest last = state.dsRequestOf(zone);
      List<String> before = last == null ? List.of() : last.records();
      // Nothing asked yet and nothing to ask (a new zone before its first DS): no request, which would tell the
      // parent to drop any DS it has.
      if (last == null ? !wanted.isEmpty() : !wanted.equals(before)) {
        EventMetadata metadata = EventMetadataFactory.next(at, producer, event.getMetadata().getEventId());
        ParentDsChangeRequested requested = ParentDsChangeRequested.newBuilder()
            .setKeySetEventId(event.getMetadata().getEventId())
            .setParent(parentOf(origin))
            .setDs(wanted)
            .setAdd(wanted.stream().filter(ds -> !before.contains(ds)).toList())
            .setRemove(before.stream().filter(ds -> !wanted.contains(ds)).toList())
            .setCause(cause(last == null, keySet, parent))
            .setHook(parent.dsSubmitHook())
            .build();
        records.add(new ProducerRecord<>(Topics.DS_SUBMISSIONS, zone, new DsSubmissionFact(metadata, zone, requested)));
        request = new StoredDsRequest();
        request.zone = zone;
        request.ds = String.join("\n", wanted);
        request.eventId = metadata.getEventId();
        request.requestedAt = occurredAt;
      }
    }
    transactions.write(records);
    metrics.keySet(zone, keys, rolls);
    if (request != null) {
      state.saveDsRequest(request);
      LOG.infof("zone %s: the parent %s is to hold the DS RRset %s", zone, parentOf(origin),
          request.records());
    }
  }

  private static DNSKEYRecord dnskey(Name origin, long ttl, StoredZoneKey key) {
    return new DNSKEYRecord(origin, DClass.IN, ttl, key.flags, DNSKEYRecord.Protocol.DNSSEC, key.algorithm,
        Base64.getDecoder().decode(key.publicKey));
  }

  private static ParentPolicy parentPolicy(String zone, StoredZonePolicy stored) {
    if (stored == null) {
      return ParentPolicy.DEFAULT;
    }
    try {
      return stored.parentPolicy();
    } catch (IllegalArgumentException e) {
      // The gateway's parser accepted the policy; a value it no longer knows gets the reference's behaviour.
      LOG.errorf("zone %s: %s; CDS and DS as by default", zone, e.getMessage());
      return ParentPolicy.DEFAULT;
    }
  }

  /** Why the parent is to change its DS RRset, for operators. */
  private static String cause(boolean first, KeySetState keySet, ParentPolicy parent) {
    if (parent.cds() == CdsPublication.DELETE) {
      return "the policy asks for the DS to be deleted (cds = \"delete\", RFC 8078 §4)";
    }
    if (first) {
      return "the zone's first keys";
    }
    return keySet.rolls().stream().filter(roll -> roll.propagates().contains(Propagation.DS)).findFirst()
        .map(roll -> "the " + roll.type().variant().word() + " roll (" + roll.type().name() + ") entered phase "
            + roll.phase() + ", which changes the DS")
        .orElse("the keys at the parent changed");
  }

  /** The parent zone: the apex less its first label; the root has none. */
  private static String parentOf(Name origin) {
    return origin.labels() <= 1 ? "" : new Name(origin, 1).toString();
  }

  private static Name origin(String zone) {
    try {
      return Name.fromString(zone);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone name does not parse: " + zone, e);
    }
  }

  private static ZoneKey toEvent(StoredZoneKey key) {
    return ZoneKey.newBuilder()
        .setKeyTag(key.keyTag)
        .setAlgorithm(key.algorithm)
        .setFlags(key.flags)
        .setRole(KeyRole.valueOf(key.role.name()))
        .setPublicKey(key.publicKey)
        .setWrappedPrivateKey(ByteBuffer.wrap(key.wrappedPrivateKey))
        .setReference(key.reference())
        .setPrivateKeyUri(key.privateKeyUri)
        .setCreatedAt(key.createdAt)
        .setExpiresAt(key.expiresAt)
        .setUse(new KeyUse(key.published, key.signsKeys, key.signsZone, key.atParent))
        .build();
  }

  /** A roll names its keys by reference, as the key set does. */
  private static KeyRollProgress toEvent(StoredKeyRoll roll) {
    KeyRoll progress = roll.roll();
    return KeyRollProgress.newBuilder()
        .setRollType(progress.type().name())
        .setNewKeys(progress.newKeys().stream().map(StoredZoneKey::reference).toList())
        .setOldKeys(progress.oldKeys().stream().map(StoredZoneKey::reference).toList())
        .setPhase(progress.phase())
        .setStage(RollStage.valueOf(progress.stage().name()))
        .setSince(progress.since())
        .setTtlSeconds(progress.ttl().toSeconds())
        .build();
  }
}
