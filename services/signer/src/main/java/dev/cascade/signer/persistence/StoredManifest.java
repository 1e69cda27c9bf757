package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** What the loader announced about one unsigned version (ZoneVersionLoaded): where its content chunks are. */
@Entity
@Table(name = "unsigned_manifest")
public class StoredManifest extends PanacheEntityBase {

  @Id
  @Column(name = "version_id", nullable = false, length = 64)
  public String versionId;

  /** Apex, lower case, absolute. */
  @Column(name = "zone", nullable = false)
  public String zone;

  /** SOA serial of the loaded input. */
  @Column(name = "unsigned_serial", nullable = false)
  public long unsignedSerial;

  /** Content topic; Kafka topic names have at most 249 characters. */
  @Column(name = "topic", nullable = false, length = 249)
  public String topic;

  @Column(name = "partition_no", nullable = false)
  public int partition;

  @Column(name = "first_offset", nullable = false)
  public long firstOffset;

  @Column(name = "last_offset", nullable = false)
  public long lastOffset;

  @Column(name = "chunk_count", nullable = false)
  public int chunkCount;

  /** Hex SHA-384 over the records in canonical order. */
  @Column(name = "digest", nullable = false, length = 96)
  public String digest;

  @Column(name = "record_count", nullable = false)
  public long recordCount;

  @Column(name = "received_at", nullable = false)
  public Instant receivedAt;
}
