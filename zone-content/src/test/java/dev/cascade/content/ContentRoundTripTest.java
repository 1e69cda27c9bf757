package dev.cascade.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.zone.RecordText;
import dev.cascade.events.Topics;
import dev.cascade.events.registry.SchemaRegistration;
import dev.cascade.events.v1.ContentEncoding;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ZoneContentChunk;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.testinfra.Services;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

class ContentRoundTripTest {

  private static final String TOPIC = "cascade.test-content." + UUID.randomUUID();
  private static ContentWriter writer;
  private static ContentReader reader;

  @BeforeAll
  static void connect() {
    // A topic of this test's own is not in the catalogue, so the deploy step did not register its schema, and the
    // writer, like every producer, registers none: register it as the deploy step registers the content topics'.
    SchemaRegistration.register(
        Services.registryUrl(), List.of(new Topics.Topic(TOPIC, "test", ZoneContentChunk.class)), System.out);
    writer = new ContentWriter(KafkaSettings.producer(Services.kafkaBootstrap(), Services.registryUrl()));
    reader = new ContentReader(KafkaSettings.consumer(Services.kafkaBootstrap(), Services.registryUrl()));
  }

  @AfterAll
  static void disconnect() {
    writer.close();
    reader.close();
  }

  /** Enough 200-character TXT records to need several chunks, in canonical order. */
  private static List<Record> zone(String apex, int count) throws Exception {
    Name origin = Name.fromString(apex);
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String text = String.format("%06d", i) + "x".repeat(194);
      records.add(new TXTRecord(Name.fromString(String.format("h%06d", i), origin), DClass.IN, 3600, text));
    }
    records.sort(null);
    return records;
  }

  @Test
  void aVersionSpanningSeveralChunksComesBackWholeBetweenOtherZonesChunks() throws Exception {
    List<Record> big = zone("big.test.", 6000);
    List<Record> small = zone("small.test.", 10);
    ContentLocation bigAt = writer.write(TOPIC, "big.test.", "v1", CompactRecords.of(big));
    ContentLocation smallAt = writer.write(TOPIC, "small.test.", "v1", CompactRecords.of(small));

    assertTrue(bigAt.getChunkCount() > 1, "expected several chunks, got " + bigAt.getChunkCount());
    assertEquals(6000, bigAt.getRecordCount());
    assertEquals(big, reader.readCompact(bigAt, "big.test.", "v1").toRecords());
    assertEquals(small, reader.readCompact(smallAt, "small.test.", "v1").toRecords());
  }

  /** Writer and reader count the records of each chunk as it goes, up to the version's record count. */
  @Test
  void writingAndReadingCountTheRecordsChunkByChunk() throws Exception {
    CompactRecords records = CompactRecords.of(zone("counted.test.", 6000));
    List<long[]> written = new ArrayList<>();
    ContentLocation at = writer.write(TOPIC, "counted.test.", "v1", records,
        (done, total) -> written.add(new long[] {done, total}));
    List<long[]> read = new ArrayList<>();
    CompactRecords back =
        reader.readCompact(at, "counted.test.", "v1", (done, total) -> read.add(new long[] {done, total}));

    assertEquals(records.toRecords(), back.toRecords());
    for (List<long[]> counts : List.of(written, read)) {
      String what = counts.stream().map(Arrays::toString).toList().toString();
      assertEquals(at.getChunkCount(), counts.size(), "one count per chunk: " + what);
      for (int i = 0; i < counts.size(); i++) {
        assertEquals(6000, counts.get(i)[1], what);
        assertTrue(counts.get(i)[0] > (i == 0 ? 0 : counts.get(i - 1)[0]), what);
      }
      assertEquals(6000, counts.get(counts.size() - 1)[0], what);
    }
  }

  @Test
  void noChunkComesNearTheOneMebibyteMessageLimit() throws Exception {
    ContentLocation at = writer.write(TOPIC, "limit.test.", "v1", CompactRecords.of(zone("limit.test.", 8000)));
    var config = KafkaSettings.consumer(Services.kafkaBootstrap(), Services.registryUrl());
    try (KafkaConsumer<String, ZoneContentChunk> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(TOPIC, at.getPartition());
      consumer.assign(List.of(partition));
      consumer.seek(partition, at.getFirstOffset());
      int seen = 0;
      while (seen < at.getChunkCount()) {
        for (ConsumerRecord<String, ZoneContentChunk> message : consumer.poll(Duration.ofSeconds(1))) {
          if (message.value().getZone().equals("limit.test.")) {
            assertTrue(message.serializedValueSize() < 512 * 1024, "chunk of " + message.serializedValueSize() + " bytes");
            seen++;
          }
        }
      }
    }
  }

  @Test
  void aManifestThatDoesNotMatchTheContentIsRefused() throws Exception {
    ContentLocation at = writer.write(TOPIC, "tamper.test.", "v1", CompactRecords.of(zone("tamper.test.", 50)));
    ContentLocation wrongDigest = ContentLocation.newBuilder(at).setDigest("00" + at.getDigest().substring(2)).build();
    ContentException digest =
        assertThrows(ContentException.class, () -> reader.readCompact(wrongDigest, "tamper.test.", "v1"));
    assertTrue(digest.getMessage().contains("digest"), digest.getMessage());

    ContentLocation missingChunk = ContentLocation.newBuilder(at).setChunkCount(at.getChunkCount() + 1).build();
    ContentException count =
        assertThrows(ContentException.class, () -> reader.readCompact(missingChunk, "tamper.test.", "v1"));
    assertTrue(count.getMessage().contains("chunks"), count.getMessage());
  }

  @Test
  void versionsWrittenAsDifferencesAreRebuiltWholeWhateverTheSnapshotInterval() throws Exception {
    Random random = new Random(42);
    String apex = "chain.test.";
    List<Record> version = zone(apex, 300);
    ContentLocation at = writer.write(TOPIC, apex, "v0", CompactRecords.of(version));
    String versionId = "v0";
    int differences = 0;
    for (int v = 1; v <= 2 * ContentManifests.MAX_CHAIN + 3; v++) {
      List<Record> next = new ArrayList<>(version);
      for (int k = 0; k < 1 + random.nextInt(5); k++) {
        next.remove(random.nextInt(next.size()));
      }
      Record added = new TXTRecord(Name.fromString("new" + v, Name.fromString(apex)), DClass.IN, 60, "v" + v);
      next.add(added);
      next.sort(null);
      CompactDiff diff = CompactDiff.between(CompactRecords.of(version), CompactRecords.of(next));
      String nextId = "v" + v;
      if (ContentManifests.wholeVersionDue(at, diff.size(), next.size())) {
        at = writer.write(TOPIC, apex, nextId, CompactRecords.of(next));
      } else {
        at = writer.write(TOPIC, apex, nextId,
            new ContentWriter.Difference(versionId, at, diff), CompactRecords.of(next));
        differences++;
        assertEquals(diff.removed().toRecords(), reader.readDifference(at, apex, nextId).removed().toRecords());
        assertEquals(diff.added().toRecords(), reader.readDifference(at, apex, nextId).added().toRecords());
      }
      assertTrue(at.getChain().size() < ContentManifests.MAX_CHAIN, "chain of " + at.getChain().size());
      assertEquals(next, reader.readCompact(at, apex, nextId).toRecords(), "version " + v);
      assertEquals(at, ContentManifests.fromJson(ContentManifests.toJson(at)));
      version = next;
      versionId = nextId;
    }
    assertTrue(differences >= 2 * (ContentManifests.MAX_CHAIN - 1), differences + " differences");
  }

  @Test
  void aDifferenceThatDoesNotMatchItsDigestIsRefused() throws Exception {
    String apex = "tampered-diff.test.";
    List<Record> v1 = zone(apex, 20);
    ContentLocation base = writer.write(TOPIC, apex, "v1", CompactRecords.of(v1));
    List<Record> v2 = new ArrayList<>(v1.subList(1, v1.size()));
    ContentLocation at = writer.write(TOPIC, apex, "v2",
        new ContentWriter.Difference(
            "v1", base, new CompactDiff(CompactRecords.of(List.of(v1.get(0))), CompactRecords.empty())),
        CompactRecords.of(v2));
    assertEquals(v2, reader.readCompact(at, apex, "v2").toRecords());

    ContentLocation wrong = ContentLocation.newBuilder(at).setPartDigest("00".repeat(48)).build();

    ContentException e = assertThrows(ContentException.class, () -> reader.readCompact(wrong, apex, "v2"));
    assertTrue(e.getMessage().contains("difference does not match"), e.getMessage());
  }

  @Test
  void contentInPresentationFormatFromTheFirstWritersIsStillReadAlsoAsTheBaseOfADifference() throws Exception {
    String apex = "text.test.";
    List<Record> v1 = zone(apex, 3000);
    ContentLocation base = sendRaw(apex, "v1", List.of(
            chunk(apex, "v1", 0, ContentEncoding.PRESENTATION_GZIP, RecordText.gzipLines(v1.subList(0, 1000))),
            chunk(apex, "v1", 1, ContentEncoding.PRESENTATION_GZIP, RecordText.gzipLines(v1.subList(1000, 3000)))))
        .setDigest(CompactRecords.of(v1).digest())
        .setRecordCount(v1.size())
        .build();
    assertEquals(v1, reader.readCompact(base, apex, "v1").toRecords());

    List<Record> v2 = new ArrayList<>(v1.subList(1, v1.size()));
    ContentLocation at = writer.write(TOPIC, apex, "v2",
        new ContentWriter.Difference(
            "v1", base, new CompactDiff(CompactRecords.of(List.of(v1.get(0))), CompactRecords.empty())),
        CompactRecords.of(v2));
    assertEquals(v2, reader.readCompact(at, apex, "v2").toRecords());
  }

  @Test
  void aChunkThatDoesNotHoldWholeRecordsIsRefused() throws Exception {
    String apex = "cut.test.";
    List<Record> records = zone(apex, 3);
    byte[] wire = records.get(0).toWire(Section.ANSWER);
    ContentLocation at = sendRaw(apex, "v1", List.of(
            chunk(apex, "v1", 0, ContentEncoding.WIRE, Arrays.copyOf(wire, wire.length - 1))))
        .setDigest(CompactRecords.of(records.subList(0, 1)).digest())
        .setRecordCount(1)
        .build();

    ContentException e = assertThrows(ContentException.class, () -> reader.readCompact(at, apex, "v1"));
    assertTrue(e.getMessage().contains("chunk 0"), e.getMessage());
  }

  @Test
  void aReaderIsLentAgainAfterAReadAndClosedAfterAFailedOne() throws Exception {
    List<Record> records = zone("lent.test.", 5);
    ContentLocation at = writer.write(TOPIC, "lent.test.", "v1", CompactRecords.of(records));
    ContentLocation wrongDigest = ContentLocation.newBuilder(at).setDigest("00".repeat(48)).build();
    try (ContentReaders readers =
        new ContentReaders(KafkaSettings.consumer(Services.kafkaBootstrap(), Services.registryUrl()))) {
      ContentReader first = readers.read(reader -> {
        assertEquals(records, reader.readCompact(at, "lent.test.", "v1").toRecords());
        return reader;
      });
      assertSame(first, readers.read(reader -> reader), "the reader is kept open and lent again");

      assertThrows(ContentException.class, () -> readers.read(reader -> reader.readCompact(wrongDigest, "lent.test.",
          "v1")));
      ContentReader next = readers.read(reader -> {
        assertEquals(records, reader.readCompact(at, "lent.test.", "v1").toRecords());
        return reader;
      });
      assertNotSame(first, next, "the reader of the failed read was closed, not lent again");
    }
  }

  private static ZoneContentChunk chunk(String zone, String versionId, int sequence, ContentEncoding encoding,
      byte[] records) {
    return ZoneContentChunk.newBuilder()
        .setZone(zone)
        .setVersionId(versionId)
        .setSequence(sequence)
        .setRecords(ByteBuffer.wrap(records))
        .setEncoding(encoding)
        .build();
  }

  /** Sends {@code chunks} as a version's content, as a writer other than ContentWriter would; no digest or count. */
  private static ContentLocation.Builder sendRaw(String zone, String versionId, List<ZoneContentChunk> chunks)
      throws Exception {
    try (KafkaProducer<String, ZoneContentChunk> producer =
        new KafkaProducer<>(KafkaSettings.producer(Services.kafkaBootstrap(), Services.registryUrl()))) {
      List<RecordMetadata> sent = new ArrayList<>();
      for (ZoneContentChunk chunk : chunks) {
        sent.add(producer.send(new ProducerRecord<>(TOPIC, zone, chunk)).get());
      }
      return ContentLocation.newBuilder()
          .setTopic(TOPIC)
          .setPartition(sent.get(0).partition())
          .setFirstOffset(sent.get(0).offset())
          .setLastOffset(sent.get(sent.size() - 1).offset())
          .setChunkCount(sent.size());
    }
  }
}
