package dev.cascade.keymanager.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A zone registry event the key manager has fully handled; Kafka delivers at least once, so duplicates are expected. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

  @Id
  @Column(name = "event_id", nullable = false, length = 64)
  public String eventId;

  @Column(name = "processed_at", nullable = false)
  public Instant processedAt;
}
