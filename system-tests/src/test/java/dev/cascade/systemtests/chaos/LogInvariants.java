package dev.cascade.systemtests.chaos;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionSigned;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the topics must show after any run, faults or not, read from the first record to the last committed one:
 * <ul>
 *   <li>no version is signed twice: each signed versionId is announced once, and a (zone, signed serial) names one
 *       version and one content;
 *   <li>every publication is of a signed version, of that serial, and every signed version is of a loaded one (the
 *       causation chain is complete backwards; {@link ChaosRun} checks it forwards, by convergence);
 *   <li>no key is generated twice: no zone ever has more keys than its first key set (no rollover runs here).
 * </ul>
 */
final class LogInvariants {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

  private LogInvariants() {}

  /** The violations found, as sentences; empty when the log is sound. */
  static List<String> check(String bootstrap, String registryUrl) {
    List<String> violations = new ArrayList<>();
    Set<String> loaded = new HashSet<>();
    for (ConsumerRecord<String, Object> record : read(bootstrap, registryUrl, Topics.UNSIGNED_VERSIONS)) {
      if (record.value() instanceof UnsignedVersionFact fact && fact.getFact() instanceof ZoneVersionLoaded version) {
        loaded.add(version.getVersionId());
      }
    }

    Map<String, String> signedAt = new HashMap<>();
    Map<String, String> versionBySerial = new HashMap<>();
    Map<String, String> contentBySerial = new HashMap<>();
    for (ConsumerRecord<String, Object> record : read(bootstrap, registryUrl, Topics.SIGNED_VERSIONS)) {
      if (!(record.value() instanceof SignedVersionFact fact)
          || !(fact.getFact() instanceof ZoneVersionSigned signed)) {
        continue;
      }
      String where = Topics.SIGNED_VERSIONS + " " + record.partition() + "/" + record.offset();
      String earlier = signedAt.putIfAbsent(signed.getVersionId(), where);
      if (earlier != null) {
        violations.add(fact.getZone() + ": version " + signed.getVersionId() + " signed twice, at " + earlier + " and "
            + where);
      }
      String serial = fact.getZone() + " " + signed.getSignedSerial();
      String version = versionBySerial.putIfAbsent(serial, signed.getVersionId());
      if (version != null && !version.equals(signed.getVersionId())) {
        violations.add(serial + ": signed serial given to two versions, " + version + " and " + signed.getVersionId());
      }
      String content = contentBySerial.putIfAbsent(serial, signed.getContent().getDigest());
      if (content != null && !content.equals(signed.getContent().getDigest())) {
        violations.add(serial + ": signed serial with two contents, " + content + " and "
            + signed.getContent().getDigest());
      }
      // Only a signing of a loaded version names one; a re-signing of the served version leaves it out.
      if (signed.getUnsignedVersionId() != null && !loaded.contains(signed.getUnsignedVersionId())) {
        violations.add(fact.getZone() + ": version " + signed.getVersionId() + " signs unsigned version "
            + signed.getUnsignedVersionId() + ", which was never loaded");
      }
    }

    for (ConsumerRecord<String, Object> record : read(bootstrap, registryUrl, Topics.PUBLISHED_VERSIONS)) {
      if (!(record.value() instanceof ZoneVersionPublished published)) {
        continue;
      }
      String serial = published.getZone() + " " + published.getSignedSerial();
      String version = versionBySerial.get(serial);
      if (!published.getVersionId().equals(version)) {
        violations.add(serial + ": published as version " + published.getVersionId() + ", but signed as " + version);
      }
    }

    Map<String, Integer> firstKeyCount = new HashMap<>();
    Map<String, Set<String>> keys = new HashMap<>();
    for (ConsumerRecord<String, Object> record : read(bootstrap, registryUrl, Topics.KEY_SETS)) {
      if (!(record.value() instanceof KeySetChanged set) || set.getKeys().isEmpty()) {
        continue;
      }
      firstKeyCount.putIfAbsent(set.getZone(), set.getKeys().size());
      Set<String> seen = keys.computeIfAbsent(set.getZone(), zone -> new TreeSet<>());
      for (ZoneKey key : set.getKeys()) {
        seen.add(key.getPublicKey());
      }
    }
    keys.forEach((zone, seen) -> {
      if (seen.size() > firstKeyCount.get(zone)) {
        violations.add(zone + ": " + seen.size() + " keys generated, its first key set had "
            + firstKeyCount.get(zone));
      }
    });
    return violations;
  }

  /** Every committed record of the topic, partition by partition (read_committed, no consumer group). */
  private static List<ConsumerRecord<String, Object>> read(String bootstrap, String registryUrl, String topic) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        "apicurio.registry.url", registryUrl,
        "apicurio.registry.use-specific-avro-reader", "true");
    List<ConsumerRecord<String, Object>> records = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within " + READ_TIMEOUT);
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
