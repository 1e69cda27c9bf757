package dev.cascade.publisher.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A signed version the publisher has heard of, from its signed-version fact, its approval at the signed gate, or
 * both: whichever comes first creates the row, the other completes it. Serials and content stay null until the fact
 * arrives.
 */
@Entity
@Table(name = "signed_version", indexes = @Index(name = "signed_version_by_zone", columnList = "zone"))
public class StoredSignedVersion extends PanacheEntityBase {

  @Id
  @Column(name = "version_id", nullable = false, length = 64)
  public String versionId;

  /** Apex, lower case, absolute. */
  @Column(name = "zone", nullable = false)
  public String zone;

  /** SOA serial of the loaded input. */
  @Column(name = "unsigned_serial")
  public Long unsignedSerial;

  /** SOA serial of the signed version. */
  @Column(name = "signed_serial")
  public Long signedSerial;

  @Embedded
  public StoredContentRef content;

  @Column(name = "approved", nullable = false)
  public boolean approved;

  /** Id of the approving ZoneVersionReviewed event, the causation of the ZoneVersionPublished event. */
  @Column(name = "approval_event_id", length = 64)
  public String approvalEventId;

  /** Digest of the content the approval was for (ZoneVersionReviewed.contentDigest); null if it named none. */
  @Column(name = "approved_digest", length = 96)
  public String approvedDigest;

  /** The W3C traceparent the signed-version fact was received in; null when not known. */
  @Column(name = "traceparent", length = 55)
  public String traceparent;

  @Column(name = "received_at", nullable = false)
  public Instant receivedAt;
}
