package dev.cascade.content;

import dev.cascade.dnssec.zone.RecordText;
import dev.cascade.dnssec.zone.ZoneDigest;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ZoneContentChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.xbill.DNS.Record;

/**
 * Writes one zone version as a run of chunks and returns where they are. Chunks are cut by the size of the
 * records' presentation form, so a chunk stays far below Kafka's default 1 MiB message limit whatever the
 * record types; all chunks of a zone share its key and therefore one partition.
 */
public final class ContentWriter implements AutoCloseable {

  /**
   * Presentation-form bytes per chunk before compression. 256 KiB keeps the worst case (incompressible
   * base64 RDATA) at a quarter of the 1 MiB limit; no official reference.
   */
  static final int CHUNK_TEXT_BYTES = 256 * 1024;

  private final KafkaProducer<String, ZoneContentChunk> producer;

  public ContentWriter(Map<String, Object> kafkaProducerConfig) {
    this.producer = new KafkaProducer<>(kafkaProducerConfig);
  }

  /** Blocks until every chunk is acknowledged; records must be in canonical order. */
  public ContentLocation write(String topic, String zone, String versionId, Iterable<Record> records) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    List<Record> chunk = new ArrayList<>();
    int chunkBytes = 0;
    long recordCount = 0;
    for (Record record : records) {
      chunk.add(record);
      chunkBytes += record.toString().length() + 1;
      recordCount++;
      if (chunkBytes >= CHUNK_TEXT_BYTES) {
        sent.add(send(topic, zone, versionId, sent.size(), chunk));
        chunk = new ArrayList<>();
        chunkBytes = 0;
      }
    }
    if (!chunk.isEmpty() || sent.isEmpty()) {
      sent.add(send(topic, zone, versionId, sent.size(), chunk));
    }
    producer.flush();
    RecordMetadata first = await(sent.get(0));
    RecordMetadata last = await(sent.get(sent.size() - 1));
    return ContentLocation.newBuilder()
        .setTopic(topic)
        .setPartition(first.partition())
        .setFirstOffset(first.offset())
        .setLastOffset(last.offset())
        .setChunkCount(sent.size())
        .setDigest(ZoneDigest.sha384(records))
        .setRecordCount(recordCount)
        .build();
  }

  private Future<RecordMetadata> send(
      String topic, String zone, String versionId, int sequence, List<Record> records) {
    ZoneContentChunk value =
        ZoneContentChunk.newBuilder()
            .setZone(zone)
            .setVersionId(versionId)
            .setSequence(sequence)
            .setRecords(ByteBuffer.wrap(RecordText.gzipLines(records)))
            .build();
    return producer.send(new ProducerRecord<>(topic, zone, value));
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
