package dev.cascade.content;

import dev.cascade.dnssec.zone.RecordText;
import dev.cascade.dnssec.zone.ZoneDigest;
import dev.cascade.events.v1.ContentLocation;
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
 * Reads one zone version back from its content topic by seeking to the offsets its manifest names. Chunks of
 * other zones on the same partition are skipped. The version is checked against its manifest: every chunk in
 * sequence, the record count and the SHA-384 digest; a mismatch is a {@link ContentException}, never a
 * partial zone (a streaming reader is told at the end, and drops what it built).
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

  /** The whole version as a list, checked. */
  public List<Record> readAll(ContentLocation where, String zone, String versionId) {
    List<Record> records = new ArrayList<>();
    read(where, zone, versionId, records::add);
    return records;
  }

  /**
   * Hands the records to {@code sink} chunk by chunk as they arrive, so that a large version is never held twice.
   * The checks against the manifest end the read: when this throws, the sink has seen part of a version and must
   * drop what it built.
   *
   * @throws ContentException if the content cannot be read or does not match its manifest
   * @throws E if the sink refuses a record
   */
  public <E extends Exception> void read(ContentLocation where, String zone, String versionId, RecordSink<E> sink)
      throws E {
    TopicPartition partition = new TopicPartition(where.getTopic(), where.getPartition());
    ZoneDigest digest = ZoneDigest.start();
    long recordCount = 0;
    int nextSequence = 0;
    synchronized (consumer) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, where.getFirstOffset());
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      long position = where.getFirstOffset();
      while (position <= where.getLastOffset() && nextSequence < where.getChunkCount()) {
        if (System.nanoTime() > deadline) {
          throw new ContentException(
              "timed out reading " + zone + " version " + versionId + " at offset " + position);
        }
        for (ConsumerRecord<String, ZoneContentChunk> message : consumer.poll(Duration.ofMillis(500))) {
          position = message.offset() + 1;
          ZoneContentChunk chunk = message.value();
          if (message.offset() > where.getLastOffset()
              || chunk == null
              || !chunk.getZone().equals(zone)
              || !chunk.getVersionId().equals(versionId)) {
            continue;
          }
          if (chunk.getSequence() != nextSequence) {
            throw new ContentException(
                zone + " version " + versionId + ": expected chunk " + nextSequence + ", found " + chunk.getSequence());
          }
          for (Record record : RecordText.parseGzipLines(bytes(chunk.getRecords()))) {
            digest.add(record);
            sink.accept(record);
            recordCount++;
          }
          nextSequence++;
        }
      }
      consumer.unsubscribe();
    }
    if (nextSequence != where.getChunkCount()) {
      throw new ContentException(
          zone + " version " + versionId + ": found " + nextSequence + " of " + where.getChunkCount() + " chunks");
    }
    if (recordCount != where.getRecordCount()) {
      throw new ContentException(
          zone + " version " + versionId + ": found " + recordCount + " of " + where.getRecordCount() + " records");
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
