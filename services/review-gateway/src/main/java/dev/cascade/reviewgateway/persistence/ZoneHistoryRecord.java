package dev.cascade.reviewgateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;

/** One history line of one zone; kept after the zone is removed, so {@code zone history} still explains it. */
@Entity
@Table(name = "zone_history", indexes = @Index(name = "zone_history_zone", columnList = "zone,occurredAt"))
public class ZoneHistoryRecord extends PanacheEntity {

  @Column(nullable = false, length = 255)
  public String zone;

  @Column(nullable = false)
  public Instant occurredAt;

  public Long serial;

  @Column(columnDefinition = "text", nullable = false)
  public String event;

  /** The event this line came from. */
  @Column(nullable = false, length = 64)
  public String eventId;
}
