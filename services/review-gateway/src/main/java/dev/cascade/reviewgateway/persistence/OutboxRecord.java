package dev.cascade.reviewgateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A gate approval decided together with the projection update that caused it (same transaction) and not yet
 * acknowledged by Kafka: the transactional outbox (house-style §4), so a crash between commit and send loses nothing.
 * The row's id is the eventId of the event it becomes, so a re-send is recognisable downstream.
 */
@Entity
@Table(name = "review_outbox")
public class OutboxRecord extends PanacheEntityBase {

  @Id
  @Column(length = 64)
  public String eventId;

  @Column(nullable = false, length = 255)
  public String zone;

  /** UNSIGNED or SIGNED. */
  @Column(nullable = false, length = 16)
  public String stage;

  @Column(nullable = false, length = 64)
  public String versionId;

  public long serial;

  @Column(length = 64)
  public String causationId;

  /** Digest of the content the gate approved (ZoneVersionReviewed.contentDigest). */
  @Column(length = 96)
  public String contentDigest;

  @Column(nullable = false)
  public Instant createdAt;
}
