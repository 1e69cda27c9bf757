package dev.cascade.content;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.zone.ZoneDigest;
import dev.cascade.events.v1.ContentEncoding;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ContentPart;
import dev.cascade.events.v1.ContentSegment;
import dev.cascade.events.v1.ZoneContentChunk;
import dev.cascade.service.kafka.KafkaSettings;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes one zone version, whole or as its difference from an earlier version, as a run of chunks and returns where
 * they are. A chunk holds records in uncompressed wire format, copied from the compact form the services hold
 * ({@link ContentEncoding#WIRE}): no record is encoded as text or parsed back. Chunks are cut at
 * {@link #CHUNK_WIRE_BYTES}, so one stays far below Kafka's default 1 MiB message limit whatever the record types; all
 * chunks of a zone share its key and therefore one partition.
 */
public final class ContentWriter implements AutoCloseable {

  /**
   * Wire-format bytes after which a chunk is cut (plus at most one record, 65,800 bytes). 256 KiB keeps a chunk at a
   * third of the 1 MiB limit, which the producer checks before compression; no official reference.
   */
  static final int CHUNK_WIRE_BYTES = 256 * 1024;

  private final KafkaProducer<String, ZoneContentChunk> producer;

  /** @param kafkaProducerConfig the producer settings, as {@link KafkaSettings#producer} makes them */
  public ContentWriter(Map<String, Object> kafkaProducerConfig) {
    this.producer = new KafkaProducer<>(kafkaProducerConfig);
  }

  /**
   * A version's difference from an earlier one (RFC 1995 §4).
   *
   * @param baseVersionId the earlier version
   * @param base where the earlier version's content is
   * @param change the records of the earlier version the new one lacks, and those of the new one the earlier lacks
   */
  public record Difference(String baseVersionId, ContentLocation base, CompactDiff change) {}

  /**
   * Writes the whole version, copied from its compact form, and digests it from there; blocks until every chunk is
   * acknowledged.
   */
  public ContentLocation write(String topic, String zone, String versionId, CompactRecords records) {
    return write(topic, zone, versionId, records, Progress.NONE);
  }

  /**
   * Writes the whole version as {@link #write(String, String, String, CompactRecords)} does, and tells {@code progress}
   * after each chunk how many of its records are handed to the producer.
   */
  public ContentLocation write(
      String topic, String zone, String versionId, CompactRecords records, Progress progress) {
    Chunks chunks = new Chunks(topic, zone, versionId, records.size(), progress);
    chunks.add(ContentPart.RECORDS, records);
    return chunks.finish(ContentPart.RECORDS)
        .setDigest(records.digest())
        .setRecordCount(records.size())
        .build();
  }

  /**
   * Writes {@code difference}, the records it removes then those it adds, as the content of {@code wholeVersion}
   * (which the digest and record count describe, taken from its compact form without decoding it); blocks until
   * every chunk is acknowledged. The location names the base's chain plus the base itself, so a reader rebuilds the
   * version without knowing the base.
   */
  public ContentLocation write(
      String topic, String zone, String versionId, Difference difference, CompactRecords wholeVersion) {
    return write(topic, zone, versionId, difference, wholeVersion, Progress.NONE);
  }

  /**
   * Writes {@code difference} as {@link #write(String, String, String, Difference, CompactRecords)} does, and tells
   * {@code progress} after each chunk how many of the difference's records (removed and added) are handed to the
   * producer.
   */
  public ContentLocation write(String topic, String zone, String versionId, Difference difference,
      CompactRecords wholeVersion, Progress progress) {
    CompactDiff change = difference.change();
    Chunks chunks = new Chunks(topic, zone, versionId, change.removed().size() + change.added().size(), progress);
    chunks.add(ContentPart.REMOVED, difference.change().removed());
    chunks.add(ContentPart.ADDED, difference.change().added());
    ZoneDigest part = ZoneDigest.start();
    difference.change().removed().addTo(part);
    difference.change().added().addTo(part);
    ContentLocation.Builder location = chunks.finish(ContentPart.REMOVED);
    ContentLocation base = difference.base();
    List<ContentSegment> chain = new ArrayList<>(base.getChain());
    chain.add(
        ContentSegment.newBuilder()
            .setVersionId(difference.baseVersionId())
            .setPartition(base.getPartition())
            .setFirstOffset(base.getFirstOffset())
            .setLastOffset(base.getLastOffset())
            .setChunkCount(base.getChunkCount())
            .setBase(base.getBase())
            .setPartDigest(base.getPartDigest())
            .build());
    return location
        .setDigest(wholeVersion.digest())
        .setRecordCount(wholeVersion.size())
        .setBase(difference.baseVersionId())
        .setPartDigest(part.hex())
        .setChain(chain)
        .build();
  }

  /** The chunks of one write, cut and sent as records come. */
  private final class Chunks {
    private final String topic;
    private final String zone;
    private final String versionId;
    private final List<Future<RecordMetadata>> sent = new ArrayList<>();
    /** Records this write has in all, and has handed to the producer so far. */
    private final long total;
    private long written;
    private final Progress progress;

    private Chunks(String topic, String zone, String versionId, long total, Progress progress) {
      this.topic = topic;
      this.zone = zone;
      this.versionId = versionId;
      this.total = total;
      this.progress = progress;
    }

    /** Sends {@code records} as chunks of {@code part}. */
    void add(ContentPart part, CompactRecords records) {
      byte[] chunk = new byte[CHUNK_WIRE_BYTES + CompactRecords.MAX_RECORD_BYTES];
      int length = 0;
      CompactRecords.Cursor cursor = records.cursor();
      while (cursor.next()) {
        System.arraycopy(cursor.page(), cursor.ownerOffset(), chunk, length, cursor.ownerLength());
        length += cursor.ownerLength();
        System.arraycopy(cursor.page(), cursor.rrOffset(), chunk, length, cursor.rrLength());
        length += cursor.rrLength();
        written++;
        if (length >= CHUNK_WIRE_BYTES) {
          send(part, chunk, length);
          progress.reached(written, total);
          length = 0;
        }
      }
      if (length > 0) {
        send(part, chunk, length);
        progress.reached(written, total);
      }
    }

    /**
     * Waits for every chunk; returns the location without digest and count. Content without records still gets one
     * (empty) chunk of {@code emptyPart}, so that it has a place on the topic.
     */
    ContentLocation.Builder finish(ContentPart emptyPart) {
      if (sent.isEmpty()) {
        send(emptyPart, new byte[0], 0);
      }
      producer.flush();
      RecordMetadata first = await(sent.get(0));
      RecordMetadata last = await(sent.get(sent.size() - 1));
      return ContentLocation.newBuilder()
          .setTopic(topic)
          .setPartition(first.partition())
          .setFirstOffset(first.offset())
          .setLastOffset(last.offset())
          .setChunkCount(sent.size());
    }

    private void send(ContentPart part, byte[] records, int length) {
      ZoneContentChunk value =
          ZoneContentChunk.newBuilder()
              .setZone(zone)
              .setVersionId(versionId)
              .setSequence(sent.size())
              .setRecords(ByteBuffer.wrap(Arrays.copyOf(records, length)))
              .setPart(part)
              .setEncoding(ContentEncoding.WIRE)
              .build();
      sent.add(producer.send(new ProducerRecord<>(topic, zone, value)));
    }
  }

  private static RecordMetadata await(Future<RecordMetadata> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContentException("interrupted while writing zone content", e);
    } catch (ExecutionException e) {
      throw new ContentException("writing zone content failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
