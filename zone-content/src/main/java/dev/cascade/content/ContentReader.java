package dev.cascade.content;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.zone.RecordText;
import dev.cascade.dnssec.zone.ZoneDigest;
import dev.cascade.events.v1.ContentEncoding;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ContentPart;
import dev.cascade.events.v1.ContentSegment;
import dev.cascade.events.v1.ZoneContentChunk;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.xbill.DNS.Record;

/**
 * Reads one zone version back from its content topic by seeking to the offsets its manifest names. Chunks of other
 * zones on the same partition are skipped. A version written as a difference is rebuilt from the whole version and
 * the differences its chain names. The version is checked against its manifest: every chunk in sequence, each
 * difference against its own digest, the record count and the content digest of the whole version; a mismatch is a
 * {@link ContentException}, never a partial zone. Chunks in either {@link ContentEncoding} are read, so content
 * written before the services wrote wire format stays readable on a replay.
 */
public final class ContentReader implements AutoCloseable {

  /** How long to wait for the broker before a read is given up; no official reference. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long the broker may hold a fetch that finds no new chunk (the consumer's {@code fetch.max.wait.ms}, 500 ms by
   * default). A reader is kept open between versions, and the fetch it sent past the last chunk of one read stays
   * outstanding; the consumer sends no new fetch to that broker until it returns, so the next read waited for the
   * rest of the 500 ms: 250 to 350 ms of each small zone's publication on the development machine. A fetch that
   * finds chunks returns at once either way ({@code fetch.min.bytes} is 1). No official reference for 10 ms.
   */
  private static final int FETCH_MAX_WAIT_MS = 10;

  private final KafkaConsumer<String, ZoneContentChunk> consumer;

  public ContentReader(Map<String, Object> kafkaConsumerConfig) {
    Map<String, Object> config = new HashMap<>(kafkaConsumerConfig);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    this.consumer = new KafkaConsumer<>(config);
  }

  /** Takes one chunk of a segment, in sequence. */
  @FunctionalInterface
  private interface ChunkSink {
    void accept(ZoneContentChunk chunk);
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
   * The whole version in compact form, checked against its manifest: a whole version is built chunk by chunk as it
   * arrives and a difference rebuilt from its chain, so a large version is never held as a list of records.
   *
   * @throws ContentException if the content cannot be read or does not match its manifest
   */
  public CompactRecords readCompact(ContentLocation where, String zone, String versionId) {
    return readCompact(where, zone, versionId, Progress.NONE);
  }

  /**
   * The whole version as {@link #readCompact(ContentLocation, String, String)} reads it, telling {@code progress} after
   * each chunk how many records are read, of the version's record count (its manifest). A version rebuilt from its
   * chain is counted while its whole version is read; the differences after it are small ({@link
   * ContentManifests#wholeVersionDue}) and not counted.
   *
   * @throws ContentException if the content cannot be read or does not match its manifest
   */
  public CompactRecords readCompact(ContentLocation where, String zone, String versionId, Progress progress) {
    CompactRecords version = where.getBase() == null
        ? whole(own(where, versionId), zone, progress, where.getRecordCount())
        : rebuild(where, zone, versionId, progress);
    if (version.size() != where.getRecordCount()) {
      throw new ContentException(
          zone + " version " + versionId + ": found " + version.size() + " of " + where.getRecordCount() + " records");
    }
    if (!version.hasDigest(where.getDigest())) {
      throw new ContentException(zone + " version " + versionId + ": content does not match its digest");
    }
    return version;
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
  private CompactRecords rebuild(ContentLocation where, String zone, String versionId, Progress progress) {
    List<Segment> segments = new ArrayList<>();
    for (ContentSegment s : where.getChain()) {
      segments.add(new Segment(where.getTopic(), s.getPartition(), s.getFirstOffset(), s.getLastOffset(),
          s.getChunkCount(), s.getVersionId(), s.getBase(), s.getPartDigest()));
    }
    segments.add(own(where, versionId));
    if (segments.get(0).base() != null) {
      throw new ContentException(zone + " version " + versionId + ": its chain does not start with a whole version");
    }
    CompactRecords version = whole(segments.get(0), zone, progress, where.getRecordCount());
    for (Segment segment : segments.subList(1, segments.size())) {
      version = difference(segment, zone).applyTo(version);
    }
    return version;
  }

  /**
   * The records of a segment written whole; {@code progress} is told the records read after each chunk, at most
   * {@code total} (a base version that a chain goes on to shrink may hold more).
   */
  private CompactRecords whole(Segment segment, String zone, Progress progress, long total) {
    CompactRecords.Builder records = CompactRecords.builder();
    long[] read = {0};
    readChunks(segment, zone, chunk -> {
      if (chunk.getPart() != ContentPart.RECORDS) {
        throw new ContentException(zone + " version " + segment.versionId() + ": a difference's records in a whole"
            + " version");
      }
      read[0] += decode(chunk, records, zone);
      progress.reached(Math.min(read[0], total), total);
    });
    return records.build();
  }

  private CompactDiff difference(Segment segment, String zone) {
    CompactRecords.Builder removed = CompactRecords.builder();
    CompactRecords.Builder added = CompactRecords.builder();
    readChunks(segment, zone, chunk -> {
      if (chunk.getPart() == ContentPart.RECORDS && chunk.getRecords().hasRemaining()) {
        throw new ContentException(zone + " version " + segment.versionId() + ": whole-version records in a difference");
      }
      decode(chunk, chunk.getPart() == ContentPart.ADDED ? added : removed, zone);
    });
    CompactDiff difference = new CompactDiff(removed.build(), added.build());
    ZoneDigest digest = ZoneDigest.start();
    difference.removed().addTo(digest);
    difference.added().addTo(digest);
    if (!digest.hex().equals(segment.partDigest())) {
      throw new ContentException(
          zone + " version " + segment.versionId() + ": difference does not match its SHA-384 digest");
    }
    return difference;
  }

  /**
   * Adds the records of {@code chunk} to {@code records}: wire-format records are copied as they are (their order is
   * the writer's, and the digest checked afterwards proves the content is the writer's); records in presentation
   * format, from the first writers, are parsed and their order checked. Returns the number of records added.
   */
  private static int decode(ZoneContentChunk chunk, CompactRecords.Builder records, String zone) {
    byte[] octets = bytes(chunk.getRecords());
    try {
      int added = 0;
      if (chunk.getEncoding() == ContentEncoding.WIRE) {
        for (int at = 0; at < octets.length; added++) {
          at = records.addWire(octets, at, octets.length);
        }
      } else {
        List<Record> parsed = RecordText.parseGzipLines(octets);
        parsed.forEach(records::add);
        added = parsed.size();
      }
      return added;
    } catch (RuntimeException e) {
      throw new ContentException(zone + " version " + chunk.getVersionId() + ", chunk " + chunk.getSequence()
          + ": " + e.getMessage(), e);
    }
  }

  private static Segment own(ContentLocation where, String versionId) {
    return new Segment(where.getTopic(), where.getPartition(), where.getFirstOffset(), where.getLastOffset(),
        where.getChunkCount(), versionId, where.getBase(), where.getPartDigest());
  }

  /** Reads the segment's chunks in sequence and hands each to {@code sink}. */
  private void readChunks(Segment segment, String zone, ChunkSink sink) {
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
          sink.accept(chunk);
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
