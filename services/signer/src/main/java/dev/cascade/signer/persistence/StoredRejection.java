package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A version rejected at the unsigned review gate (ZoneVersionReviewed UNSIGNED/REJECTED): it will never be signed,
 * so it no longer holds back a re-signing of its zone ({@code ResignTiming}).
 */
@Entity
@Table(name = "unsigned_rejection")
public class StoredRejection extends PanacheEntityBase {

  @Id
  @Column(name = "version_id", nullable = false, length = 64)
  public String versionId;

  /** Apex, lower case, absolute. */
  @Column(name = "zone", nullable = false)
  public String zone;

  /** The serial the reviewer rejected. */
  @Column(name = "unsigned_serial", nullable = false)
  public long unsignedSerial;

  /** Id of the ZoneVersionReviewed event. */
  @Column(name = "event_id", nullable = false, length = 64)
  public String eventId;

  @Column(name = "rejected_at", nullable = false)
  public Instant rejectedAt;
}
