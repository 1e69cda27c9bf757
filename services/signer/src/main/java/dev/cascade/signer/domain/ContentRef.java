package dev.cascade.signer.domain;

/**
 * Where the chunks of one zone version sit on a content topic (the domain copy of the ContentLocation event record,
 * so persistence and domain stay free of Avro types).
 *
 * @param topic content topic
 * @param partition partition of the chunks
 * @param firstOffset offset of the first chunk
 * @param lastOffset offset of the last chunk
 * @param chunkCount number of chunks
 * @param digest the content digest of the records (dnssec-core {@code CompactRecords#digest})
 * @param recordCount number of records of the whole version
 * @param lineage for a version written as a difference, its whole manifest as the pipeline encodes it (base, the
 *     difference's digest and the chain to rebuild it); null for a version written whole
 */
public record ContentRef(
    String topic,
    int partition,
    long firstOffset,
    long lastOffset,
    int chunkCount,
    String digest,
    long recordCount,
    String lineage) {

  /** The location of a version written whole. */
  public ContentRef(
      String topic, int partition, long firstOffset, long lastOffset, int chunkCount, String digest, long recordCount) {
    this(topic, partition, firstOffset, lastOffset, chunkCount, digest, recordCount, null);
  }
}
