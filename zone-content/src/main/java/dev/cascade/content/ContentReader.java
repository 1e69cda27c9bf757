package dev.cascade.content;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.zone.RecordText;
import dev.cascade.dnssec.zone.ZoneDigest;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ContentPart;
import dev.cascade.events.v1.ContentSegment;
import dev.cascade.events.v1.ZoneContentChunk;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.xbill.DNS.Record;

/**
 * Reads one zone version back from its content topic by seeking to the offsets its manifest names. Chunks of other
 * zones on the same partition are skipped. A version written as a difference is rebuilt from the whole version and
 * the differences its chain names. The version is checked against its manifest: every chunk in sequence, each
 * difference against its own digest, the record count and the SHA-384 digest of the whole version; a mismatch is a
 * {@link ContentException}, never a partial zone (a streaming reader is told at the end, and drops what it built).
 */
public final class ContentReader implements AutoCloseable {

  /** How long to wait for the broker before a read is given up; no official reference. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaConsumer<String, ZoneContentChunk> consumer;

  public ContentReader(Map<String, Object> kafkaConsumerConfig) {
    this.consumer = new KafkaConsumer<>(kafkaConsumerConfig);
  }

  /** Takes the records of a version one by one, in canonical order. */
  @FunctionalInterface
  public interface RecordSink<E extends Exception> {
    void accept(Record record) throws E;
  }

  /** Takes the records of one chunk. */
  @FunctionalInterface
  private interface ChunkSink<E extends Exception> {
    void accept(ContentPart part, List<Record> records) throws E;
  }

  /** One run of chunks of one version on the content topic. */
  private record Segment(
      String topic,
      int partition,
      long firstOffset,
      long lastOffset,
      int chunkCount,
      String versionId,
      String base,
      String partDigest) {}

  /**
   * The whole version in compact form, checked: a whole version is built chunk by chunk as it arrives and a difference
   * rebuilt from its chain, so a large version is never held as a list of records.
   *
   * @throws ContentException if the content cannot be read or does not match its manifest
   */
  public CompactRecords readCompact(ContentLocation where, String zone, String versionId) {
    if (where.getBase() != null) {
      CompactRecords version = rebuild(where, zone, versionId);
      if (version.size() != where.getRecordCount() || !version.digest().equals(where.getDigest())) {
        throw new ContentException(zone + " version " + versionId + ": rebuilt content does not match its manifest");
      }
      return version;
    }
    CompactRecords.Builder builder = CompactRecords.builder();
    read(where, zone, versionId, builder::add);
    return builder.build();
  }

  /**
   * Hands the records of the whole version to {@code sink}: for a whole version chunk by chunk as they arrive, so a
   * large version is never held twice; for a difference after the version was rebuilt, compactly.
   *
   * @throws ContentException if the content cannot be read or does not match its manifest
   * @throws E if the sink refuses a record
   */
  public <E extends Exception> void read(ContentLocation where, String zone, String versionId, RecordSink<E> sink)
      throws E {
    ZoneDigest digest = ZoneDigest.start();
    long[] count = {0};
    RecordSink<E> checked =
        record -> {
          digest.add(record);
          sink.accept(record);
          count[0]++;
        };
    if (where.getBase() == null) {
      readChunks(own(where, versionId), zone, (part, records) -> {
        for (Record record : records) {
          checked.accept(record);
        }
      });
    } else {
      CompactRecords.Cursor cursor = rebuild(where, zone, versionId).cursor();
      while (cursor.next()) {
        checked.accept(cursor.toRecord());
      }
    }
    checkWhole(where, zone, versionId, count[0], digest);
  }

  /**
   * The version's difference from its base, when it was written as one; checked against its own digest. A reader that
   * holds the base applies it ({@link CompactDiff#applyTo}) instead of rebuilding the whole version.
   *
   * @throws ContentException if the content is a whole version, cannot be read or does not match its digest
   */
  public CompactDiff readDifference(ContentLocation where, String zone, String versionId) {
    if (where.getBase() == null) {
      throw new ContentException(zone + " version " + versionId + " was written whole, not as a difference");
    }
    return difference(own(where, versionId), zone);
  }

  /**
   * The version made by reading its difference and applying it to {@code base}, the version it names as its base
   * (the caller holds it); the record count is checked against the manifest.
   *
   * @throws ContentException if the content is a whole version, cannot be read, or does not match its manifest
   */
  public CompactRecords readOnto(CompactRecords base, ContentLocation where, String zone, String versionId) {
    CompactRecords version = readDifference(where, zone, versionId).applyTo(base);
    if (version.size() != where.getRecordCount()) {
      throw new ContentException(zone + " version " + versionId + ": the difference makes " + version.size()
          + " records, not " + where.getRecordCount());
    }
    return version;
  }

  /** The version rebuilt from its chain: the whole version first, then each difference in turn. */
  private CompactRecords rebuild(ContentLocation where, String zone, String versionId) {
    List<Segment> segments = new ArrayList<>();
    for (ContentSegment s : where.getChain()) {
      segments.add(new Segment(where.getTopic(), s.getPartition(), s.getFirstOffset(), s.getLastOffset(),
          s.getChunkCount(), s.getVersionId(), s.getBase(), s.getPartDigest()));
    }
    segments.add(own(where, versionId));
    if (segments.get(0).base() != null) {
      throw new ContentException(zone + " version " + versionId + ": its chain does not start with a whole version");
    }
    CompactRecords.Builder whole = CompactRecords.builder();
    readChunks(segments.get(0), zone, (part, records) -> records.forEach(whole::add));
    CompactRecords version = whole.build();
    for (Segment segment : segments.subList(1, segments.size())) {
      version = difference(segment, zone).applyTo(version);
    }
    return version;
  }

  private CompactDiff difference(Segment segment, String zone) {
    CompactRecords.Builder removed = CompactRecords.builder();
    CompactRecords.Builder added = CompactRecords.builder();
    ZoneDigest digest = ZoneDigest.start();
    readChunks(segment, zone, (part, records) -> {
      if (part == ContentPart.RECORDS && !records.isEmpty()) {
        throw new ContentException(zone + " version " + segment.versionId() + ": whole-version records in a difference");
      }
      for (Record record : records) {
        digest.add(record);
        (part == ContentPart.ADDED ? added : removed).add(record);
      }
    });
    if (!digest.hex().equals(segment.partDigest())) {
      throw new ContentException(
          zone + " version " + segment.versionId() + ": difference does not match its SHA-384 digest");
    }
    return new CompactDiff(removed.build(), added.build());
  }

  private static Segment own(ContentLocation where, String versionId) {
    return new Segment(where.getTopic(), where.getPartition(), where.getFirstOffset(), where.getLastOffset(),
        where.getChunkCount(), versionId, where.getBase(), where.getPartDigest());
  }

  /** Reads the segment's chunks in sequence and hands each to {@code sink}. */
  private <E extends Exception> void readChunks(Segment segment, String zone, ChunkSink<E> sink) throws E {
    TopicPartition partition = new TopicPartition(segment.topic(), segment.partition());
    String versionId = segment.versionId();
    int nextSequence = 0;
    synchronized (consumer) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, segment.firstOffset());
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      long position = segment.firstOffset();
      while (position <= segment.lastOffset() && nextSequence < segment.chunkCount()) {
        if (System.nanoTime() > deadline) {
          throw new ContentException(
              "timed out reading " + zone + " version " + versionId + " at offset " + position);
        }
        for (ConsumerRecord<String, ZoneContentChunk> message : consumer.poll(Duration.ofMillis(500))) {
          position = message.offset() + 1;
          ZoneContentChunk chunk = message.value();
          if (message.offset() > segment.lastOffset()
              || chunk == null
              || !chunk.getZone().equals(zone)
              || !chunk.getVersionId().equals(versionId)) {
            continue;
          }
          if (chunk.getSequence() != nextSequence) {
            throw new ContentException(
                zone + " version " + versionId + ": expected chunk " + nextSequence + ", found " + chunk.getSequence());
          }
          sink.accept(chunk.getPart(), RecordText.parseGzipLines(bytes(chunk.getRecords())));
          nextSequence++;
        }
      }
      consumer.unsubscribe();
    }
    if (nextSequence != segment.chunkCount()) {
      throw new ContentException(
          zone + " version " + versionId + ": found " + nextSequence + " of " + segment.chunkCount() + " chunks");
    }
  }

  private static void checkWhole(ContentLocation where, String zone, String versionId, long count, ZoneDigest digest) {
    if (count != where.getRecordCount()) {
      throw new ContentException(
          zone + " version " + versionId + ": found " + count + " of " + where.getRecordCount() + " records");
    }
    if (!digest.hex().equals(where.getDigest())) {
      throw new ContentException(zone + " version " + versionId + ": content does not match its SHA-384 digest");
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
