package dev.cascade.reviewgateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An event already applied to the projection (Debezium's MessageLog idea, house-style §4): Kafka delivers at least
 * once, so a redelivered or replayed event is recognised by its eventId and skipped.
 */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

  @Id
  @Column(length = 64)
  public String eventId;

  @Column(nullable = false)
  public Instant processedAt;
}
