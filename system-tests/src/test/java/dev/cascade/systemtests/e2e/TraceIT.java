package dev.cascade.systemtests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.systemtests.harness.CascadeService;
import dev.cascade.systemtests.harness.Operator;
import dev.cascade.systemtests.harness.Stack;
import dev.cascade.systemtests.harness.StackExtension;
import dev.cascade.systemtests.harness.TraceReceiver.ReceivedSpan;
import dev.cascade.systemtests.harness.ZoneFiles;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One zone version is one trace, also under manual review (issue 11, docs/operations.md "Traces"): the W3C
 * {@code traceparent} headers (W3C Trace Context §3.2) of its loaded, signed and published events carry the same
 * trace id, and the spans the five packaged services export over OTLP to the stack's receiver make up that one
 * trace: every service in it, each span about the version named by {@code cascade.zone}, {@code cascade.serial} and
 * {@code cascade.version_id}, the child spans parse, sign, verify and write, and the signing and the publication
 * linked to the operator's approval requests, which are traces of their own.
 */
@ExtendWith(StackExtension.class)
class TraceIT {

  private static final String ZONE = "trace.e2e.test";
  /** Records are keyed by zone apex, lower case and absolute (design: common configuration). */
  private static final String KEY = ZONE + ".";
  private static final long SERIAL = 2026112801L;

  @Test
  void oneVersionUnderManualReviewIsOneTraceThroughTheFiveServices(Stack stack) {
    Operator operator = new Operator(stack);
    operator.addZone(
        ZONE,
        ZoneFiles.write(
            stack,
            ZONE,
            """
            $ORIGIN trace.e2e.test.
            $TTL 3600
            @    IN SOA  ns1.trace.e2e.test. hostmaster.trace.e2e.test. 2026112801 7200 3600 1209600 300
            @    IN NS   ns1.trace.e2e.test.
            ns1  IN A    192.0.2.1
            """),
        "review");
    operator.awaitStatus(ZONE, "the unsigned version under review", s -> s.unsignedSerialUnderReview().isPresent());
    operator.cli().ok("zone", "approve", "--unsigned", ZONE, Long.toString(SERIAL));
    long signedSerial =
        operator.awaitStatus(ZONE, "the signed version under review", s -> s.signedSerialUnderReview().isPresent())
            .signedSerialUnderReview().getAsLong();
    operator.cli().ok("zone", "approve", "--signed", ZONE, Long.toString(signedSerial));
    operator.awaitPublished(ZONE);

    ConsumerRecord<String, Object> published =
        single(stack, Topics.PUBLISHED_VERSIONS, value -> Optional.of(((ZoneVersionPublished) value).getVersionId()), null);
    String versionId = ((ZoneVersionPublished) published.value()).getVersionId();
    ConsumerRecord<String, Object> loaded =
        single(stack, Topics.UNSIGNED_VERSIONS, TraceIT::loadedVersionId, versionId);
    ConsumerRecord<String, Object> signed =
        single(stack, Topics.SIGNED_VERSIONS, TraceIT::signedVersionId, versionId);

    String traceId = traceId(loaded);
    assertFalse(traceId.matches("0+"), "invalid all-zero trace id");
    assertEquals(traceId, traceId(signed), Topics.SIGNED_VERSIONS + " is on another trace");
    assertEquals(traceId, traceId(published), Topics.PUBLISHED_VERSIONS + " is on another trace");

    // The services export in batches: wait until the publication's span is in.
    List<ReceivedSpan> trace =
        Awaitility.await("the version's spans at the receiver")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> stack.traces().spans().stream().filter(span -> span.traceId().equals(traceId)).toList(),
                spans -> spans.stream().anyMatch(span -> span.name().equals("publish version")));

    Set<String> services = trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet());
    Set<String> all = Arrays.stream(CascadeService.values()).map(CascadeService::directory).collect(Collectors.toSet());
    assertEquals(all, services, "services in the version's trace");
    for (String service : all) {
      assertTrue(trace.stream().anyMatch(span -> span.service().equals(service)
              && KEY.equals(span.attributes().get("cascade.zone"))),
          service + " has no span with cascade.zone " + KEY + " in the version's trace");
    }
    for (String service : List.of("loader", "signer", "publisher")) {
      assertTrue(trace.stream().anyMatch(span -> span.service().equals(service) && about(span, versionId)),
          service + " has no span about version " + versionId + " in its trace");
    }
    for (String phase : List.of("parse", "sign", "verify", "write")) {
      List<ReceivedSpan> named = trace.stream().filter(span -> span.name().equals(phase)).toList();
      assertFalse(named.isEmpty(), "no " + phase + " span in the version's trace");
      named.forEach(span -> assertTrue(about(span, versionId), phase + " span not about the version: " + span));
    }

    // Each approval is a request of its own, a trace of its own, which the work it completed links to.
    String unsignedApproval = approvalTrace(stack, versionId, SERIAL);
    String signedApproval = approvalTrace(stack, versionId, signedSerial);
    assertTrue(linked(trace, "sign version", unsignedApproval), "the signing does not link to the unsigned approval");
    assertTrue(linked(trace, "publish version", signedApproval),
        "the publication does not link to the signed approval");
  }

  /** The span names the zone, the version and a serial. */
  private static boolean about(ReceivedSpan span, String versionId) {
    return KEY.equals(span.attributes().get("cascade.zone"))
        && versionId.equals(span.attributes().get("cascade.version_id"))
        && span.attributes().get("cascade.serial") != null;
  }

  private static boolean linked(List<ReceivedSpan> trace, String name, String linkedTraceId) {
    return trace.stream().anyMatch(span -> span.name().equals(name) && span.linkedTraceIds().contains(linkedTraceId));
  }

  /** The trace of the review-gateway request that approved {@code serial} of the version. */
  private static String approvalTrace(Stack stack, String versionId, long serial) {
    List<ReceivedSpan> requests = stack.traces().spans().stream()
        .filter(span -> span.service().equals("review-gateway") && about(span, versionId)
            && Long.toString(serial).equals(span.attributes().get("cascade.serial"))
            && span.name().startsWith("POST"))
        .toList();
    assertEquals(1, requests.size(), "approval requests of serial " + serial + ": " + requests);
    return requests.get(0).traceId();
  }

  private static Optional<String> loadedVersionId(Object value) {
    return ((UnsignedVersionFact) value).getFact() instanceof ZoneVersionLoaded loaded
        ? Optional.of(loaded.getVersionId())
        : Optional.empty();
  }

  private static Optional<String> signedVersionId(Object value) {
    return ((SignedVersionFact) value).getFact() instanceof ZoneVersionSigned signed
        ? Optional.of(signed.getVersionId())
        : Optional.empty();
  }

  /**
   * The one record of this zone on {@code topic} whose version id is {@code versionId} (or the only record of the
   * zone when {@code versionId} is null), read from the beginning with the serde the services write with.
   */
  private static ConsumerRecord<String, Object> single(
      Stack stack, String topic, Function<Object, Optional<String>> versionIdOf, String versionId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put("apicurio.registry.url", stack.registryUrl());
    config.put("apicurio.registry.use-specific-avro-reader", true);
    List<ConsumerRecord<String, Object>> matches = new ArrayList<>();
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
          if (KEY.equals(record.key())) {
            Optional<String> id = versionIdOf.apply(record.value());
            if (id.isPresent() && (versionId == null || versionId.equals(id.get()))) {
              matches.add(record);
            }
          }
        }
      }
    }
    assertEquals(1, matches.size(), "records of " + KEY + " version " + versionId + " on " + topic + ": " + matches);
    return matches.get(0);
  }

  /** The trace id of {@code 00-<trace id>-<parent span id>-<flags>}. */
  private static String traceId(ConsumerRecord<String, Object> record) {
    Header header = record.headers().lastHeader("traceparent");
    assertNotNull(header, "no traceparent header on " + record.topic() + " offset " + record.offset());
    String[] parts = new String(header.value(), StandardCharsets.US_ASCII).split("-");
    assertTrue(parts.length == 4 && parts[1].length() == 32, "malformed traceparent on " + record.topic());
    return parts[1];
  }
}
