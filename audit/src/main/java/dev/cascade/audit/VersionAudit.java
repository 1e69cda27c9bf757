package dev.cascade.audit;

import dev.cascade.content.ContentException;
import dev.cascade.content.ContentReader;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.verify.ExpectedKeys;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.VerifiedSignatures;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.service.ZoneApex;
import dev.cascade.service.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The published versions of the zones, read back from Kafka: each {@code ZoneVersionPublished} joined with the
 * {@code ZoneVersionSigned} of its version (whose manifest names the content), the {@code KeySetChanged} that
 * version was signed with (its {@code keySetEventId}) and the policy the zone had then (the last {@code ZoneAdded} or
 * policy-changing {@code ZoneReloadRequested} before it). Reading a version checks it against its manifest and digest
 * (zone-content {@link ContentReader}); verifying it runs the verification gate (dnssec-core {@link ZoneVerifier})
 * again, with that key set, at the time the signer's gate ran.
 */
public final class VersionAudit implements AutoCloseable {

  /**
   * One published version and what the facts say it was made with.
   *
   * @param zone the zone apex
   * @param signedSerial its SOA serial
   * @param published the first {@code ZoneVersionPublished} of it (every publisher instance announces it)
   * @param signed the {@code ZoneVersionSigned} of it; null when the topics no longer hold it
   * @param keySet the key set it was signed with; null when the topics no longer hold it
   * @param policy the zone's policy when it was signed; null when the topics no longer hold it
   */
  public record PublishedVersion(String zone, long signedSerial, AuditEvent published, AuditEvent signed,
      KeySetChanged keySet, PolicySnapshot policy) {

    public String versionId() {
      return published.versionId();
    }
  }

  /**
   * What {@link #verify} found for one version.
   *
   * @param version the version
   * @param recordCount its records, as read back; 0 when it could not be read
   * @param problems what is wrong with it: empty when its content matches its digest and passes the gate again
   */
  public record Verdict(PublishedVersion version, long recordCount, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final EventLog log;
  private final ContentReader reader;

  /** Reads content from the brokers at {@code bootstrapServers}; the facts come from {@code log}. */
  public VersionAudit(EventLog log, String bootstrapServers, String registryUrl) {
    this.log = log;
    this.reader = new ContentReader(KafkaSettings.consumer(bootstrapServers, registryUrl));
  }

  /** Every published version of every zone, one per (zone, versionId), oldest publication first. */
  public List<PublishedVersion> published() {
    Map<String, PublishedVersion> versions = new LinkedHashMap<>();
    for (AuditEvent event : log.events()) {
      if (event.type().equals("ZoneVersionPublished")) {
        versions.computeIfAbsent(event.zone() + " " + event.versionId(), k -> join(event));
      }
    }
    return List.copyOf(versions.values());
  }

  /** The versions of {@code zone} published with {@code signedSerial}, oldest first (a serial may come back). */
  public List<PublishedVersion> published(String zone, long signedSerial) {
    String apex = ZoneApex.canonical(zone);
    return published().stream().filter(v -> v.zone().equals(apex) && v.signedSerial() == signedSerial).toList();
  }

  private PublishedVersion join(AuditEvent published) {
    AuditEvent signed = null;
    for (AuditEvent e : log.zone(published.zone())) {
      if (e.type().equals("ZoneVersionSigned") && e.versionId().equals(published.versionId())
          && e.serial().equals(published.serial())) {
        signed = e;
      }
    }
    KeySetChanged keySet = null;
    PolicySnapshot policy = null;
    if (signed != null) {
      // The key set the signing names; a fact written before keySetEventId was carried names none, and was signed
      // with the zone's last key set before it.
      Optional<AuditEvent> named = log.byId(signedFact(signed).getKeySetEventId());
      for (AuditEvent e : log.zone(published.zone())) {
        if (e.occurredAt().isAfter(signed.occurredAt())) {
          break;
        }
        if (e.fact() instanceof KeySetChanged k && named.isEmpty()) {
          keySet = k;
        }
        policy = policy(e).orElse(policy);
      }
      if (named.isPresent() && named.get().fact() instanceof KeySetChanged k) {
        keySet = k;
      }
    }
    return new PublishedVersion(published.zone(), published.serial(), published, signed, keySet, policy);
  }

  private static ZoneVersionSigned signedFact(AuditEvent signed) {
    return (ZoneVersionSigned) ((SignedVersionFact) signed.fact()).getFact();
  }

  private static Optional<PolicySnapshot> policy(AuditEvent e) {
    if (e.fact() instanceof ZoneRegistryFact r) {
      if (r.getFact() instanceof ZoneAdded added) {
        return Optional.of(added.getPolicy());
      }
      if (r.getFact() instanceof ZoneReloadRequested reload) {
        return Optional.ofNullable(reload.getPolicy());
      }
    }
    return Optional.empty();
  }

  /**
   * The version's records read back from its content topic, checked against its manifest: every chunk, the record
   * count and the content digest ({@link ContentReader#readCompact}).
   *
   * @throws ContentException if the content cannot be read or does not match its manifest or digest
   */
  public CompactRecords read(PublishedVersion version) {
    if (version.signed() == null) {
      throw new ContentException(version.zone() + " serial " + version.signedSerial() + ": its ZoneVersionSigned "
          + "fact, which names its content, is not on the topics");
    }
    return reader.readCompact(signedFact(version.signed()).getContent(), version.zone(), version.versionId());
  }

  /** The version as zone file text, one record a line in canonical order, after {@link #read}. */
  public String text(PublishedVersion version) {
    return read(version).toRecords().stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  /**
   * Reads the version back ({@link #read}), checks that its SOA serial is the published one, and runs the
   * verification gate again on it: against the key set its {@code ZoneVersionSigned} names, at the time that fact was
   * written (when the signer's gate passed it), with the policy's signature remain time as the expiry floor, the
   * validity the gate required of every RRSIG then (docs/architecture.md, step 5). A version the signer's gate passed
   * passes again; one changed since, or signed wrongly past the gate, does not.
   */
  public Verdict verify(PublishedVersion version) {
    List<String> problems = new ArrayList<>();
    if (version.signed() == null || version.keySet() == null || version.policy() == null) {
      problems.add("the facts it was made from are not on the topics (signed version "
          + (version.signed() != null) + ", key set " + (version.keySet() != null) + ", policy "
          + (version.policy() != null) + ")");
      return new Verdict(version, 0, problems);
    }
    CompactRecords records;
    try {
      records = read(version);
    } catch (ContentException e) {
      problems.add("content: " + e.getMessage());
      return new Verdict(version, 0, problems);
    }
    try {
      Name origin = Name.fromString(version.zone());
      long soaSerial = soaSerial(origin, records);
      if (soaSerial != version.signedSerial()) {
        problems.add("its SOA serial is " + soaSerial + ", not the published " + version.signedSerial());
      }
      VerificationReport report = ZoneVerifier.verify(origin, records, expectedKeys(origin, version.keySet()),
          version.signed().occurredAt(), Duration.ofSeconds(version.policy().getSignatureRemainTimeSeconds()),
          VerifiedSignatures.none(), Progress.NONE);
      report.problems().forEach(p -> problems.add("verification gate: " + p));
    } catch (TextParseException | RuntimeException e) {
      problems.add("verification gate failed to run: " + e);
    }
    return new Verdict(version, records.size(), problems);
  }

  private static long soaSerial(Name origin, CompactRecords records) {
    int apex = records.find(origin);
    if (apex < 0) {
      return -1;
    }
    return records.recordsOf(apex).stream().filter(r -> r.getType() == Type.SOA)
        .mapToLong(r -> ((SOARecord) r).getSerial()).findFirst().orElse(-1);
  }

  /**
   * The key set as the signer's gate had it: each key's DNSKEY record (RFC 4034 §2: flags, protocol 3, algorithm,
   * the public key the event carries in base64) and its use during a roll; the parent's part of the use (at parent)
   * is not the zone's, as in the signer.
   */
  static ExpectedKeys expectedKeys(Name origin, KeySetChanged keySet) {
    List<ExpectedKeys.Key> keys = new ArrayList<>();
    for (ZoneKey key : keySet.getKeys()) {
      DNSKEYRecord dnskey = new DNSKEYRecord(origin, DClass.IN, keySet.getDnskeyTtl(), key.getFlags(),
          DNSKEYRecord.Protocol.DNSSEC, key.getAlgorithm(), Base64.getDecoder().decode(key.getPublicKey()));
      dev.cascade.events.v1.KeyUse use = key.getUse();
      keys.add(new ExpectedKeys.Key(dnskey,
          use == null ? null : new KeyUse(use.getPublished(), use.getSignsKeys(), use.getSignsZone())));
    }
    return new ExpectedKeys(keys);
  }

  @Override
  public void close() {
    reader.close();
  }
}
