package dev.cascade.signer.persistence;

import dev.cascade.signer.domain.ContentRef;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * Where the chunks of a version sit on a content topic (the fields of the ContentLocation event record), as columns
 * of the tables that need it. The columns are nullable: a zone signed before the signer kept its last signed
 * version's location has none (Hibernate then reads the whole value as null).
 */
@Embeddable
public class StoredContentRef {

  /** Content topic; Kafka topic names have at most 249 characters. */
  @Column(name = "topic", length = 249)
  public String topic;

  @Column(name = "partition_no")
  public Integer partition;

  @Column(name = "first_offset")
  public Long firstOffset;

  @Column(name = "last_offset")
  public Long lastOffset;

  @Column(name = "chunk_count")
  public Integer chunkCount;

  /** The content digest of the records (dnssec-core {@code CompactRecords#digest}). */
  @Column(name = "digest", length = 96)
  public String digest;

  @Column(name = "record_count")
  public Long recordCount;

  /** A difference's whole manifest (base, digest, chain) as the pipeline encodes it; null for a whole version. */
  @Column(name = "lineage", columnDefinition = "text")
  public String lineage;

  static StoredContentRef of(ContentRef content) {
    StoredContentRef stored = new StoredContentRef();
    stored.topic = content.topic();
    stored.partition = content.partition();
    stored.firstOffset = content.firstOffset();
    stored.lastOffset = content.lastOffset();
    stored.chunkCount = content.chunkCount();
    stored.digest = content.digest();
    stored.recordCount = content.recordCount();
    stored.lineage = content.lineage();
    return stored;
  }

  ContentRef toContentRef() {
    return new ContentRef(topic, partition, firstOffset, lastOffset, chunkCount, digest, recordCount, lineage);
  }
}
