package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One approved version and where its signing stands. The first approval of a version creates the row; SIGNED and
 * FAILED are final, so each version is signed at most once.
 */
@Entity
@Table(name = "signing", indexes = @Index(name = "signing_by_zone_status", columnList = "zone, status"))
public class StoredSigning extends PanacheEntityBase {

  @Id
  @Column(name = "version_id", nullable = false, length = 64)
  public String versionId;

  /** Apex, lower case, absolute. */
  @Column(name = "zone", nullable = false)
  public String zone;

  /** The serial the reviewer approved. */
  @Column(name = "unsigned_serial", nullable = false)
  public long unsignedSerial;

  /** Id of the ZoneVersionReviewed event, the causation of what the signer emits for this version. */
  @Column(name = "approval_event_id", nullable = false, length = 64)
  public String approvalEventId;

  /** Digest of the content approved (ZoneVersionReviewed.contentDigest); null if the approval named none. */
  @Column(name = "approved_digest", length = 96)
  public String approvedDigest;

  /** A {@code SigningStatus} name. */
  @Column(name = "status", nullable = false, length = 16)
  public String status;

  @Column(name = "signed_serial")
  public Long signedSerial;

  /** The content digest of the signed content. */
  @Column(name = "signed_digest", length = 96)
  public String signedDigest;

  /** Why signing failed; free text from the gate or an exception, hence unbounded. */
  @Column(name = "reason", columnDefinition = "text")
  public String reason;

  @Column(name = "approved_at", nullable = false)
  public Instant approvedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;
}
