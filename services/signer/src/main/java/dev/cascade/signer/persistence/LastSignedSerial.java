package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The serial of the last version signed for a zone, and where that version is ({@code SignedHead}): the base of the
 * next incremental signing and what the signature refresh watches. It survives the zone's removal: a zone added
 * again must never go back in serial, or secondaries would ignore it (RFC 1982 serial arithmetic, RFC 1034 §4.3.5).
 * The columns after the serial are nullable because rows written before incremental signing lack them; such a zone
 * is signed in full once more.
 */
@Entity
@Table(name = "zone_serial")
public class LastSignedSerial extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  @Column(name = "last_signed_serial", nullable = false)
  public long lastSignedSerial;

  /** The signed version that has this serial (a fresh id for a re-signing). */
  @Column(name = "version_id", nullable = false, length = 64)
  public String versionId;

  /** The unsigned version it was made from. */
  @Column(name = "unsigned_version_id", length = 64)
  public String unsignedVersionId;

  @Column(name = "unsigned_serial")
  public Long unsignedSerial;

  /** Where the signed chunks are; null for a zone signed before the signer kept it. */
  @Embedded
  @AttributeOverride(name = "topic", column = @Column(name = "content_topic", length = 249))
  @AttributeOverride(name = "partition", column = @Column(name = "content_partition"))
  @AttributeOverride(name = "firstOffset", column = @Column(name = "content_first_offset"))
  @AttributeOverride(name = "lastOffset", column = @Column(name = "content_last_offset"))
  @AttributeOverride(name = "chunkCount", column = @Column(name = "content_chunk_count"))
  @AttributeOverride(name = "digest", column = @Column(name = "content_digest", length = 96))
  @AttributeOverride(name = "recordCount", column = @Column(name = "content_record_count"))
  public StoredContentRef content;

  /** The KeySetChanged event whose keys signed the version. */
  @Column(name = "key_set_event_id", length = 64)
  public String keySetEventId;

  /** The ZoneVersionSigned event of the version. */
  @Column(name = "signed_event_id", length = 64)
  public String signedEventId;

  /** When the signature refresh re-signs the version. */
  @Column(name = "refresh_due_at")
  public Instant refreshDueAt;
}
