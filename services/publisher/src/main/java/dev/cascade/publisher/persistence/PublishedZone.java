package dev.cascade.publisher.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The version of a zone on the publication server and where its content is: all a restart needs to serve it again.
 * The row disappears when the zone is removed.
 */
@Entity
@Table(name = "published")
public class PublishedZone extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  @Column(name = "version_id", nullable = false, length = 64)
  public String versionId;

  /** SOA serial of the loaded input. */
  @Column(name = "unsigned_serial", nullable = false)
  public long unsignedSerial;

  /** SOA serial of the published version. */
  @Column(name = "signed_serial", nullable = false)
  public long signedSerial;

  @Embedded
  public StoredContentRef content;

  @Column(name = "published_at", nullable = false)
  public Instant publishedAt;
}
