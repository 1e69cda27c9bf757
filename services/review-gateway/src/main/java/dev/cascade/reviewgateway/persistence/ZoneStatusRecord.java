package dev.cascade.reviewgateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One zone's projected state, stored as the JSON of {@link dev.cascade.reviewgateway.domain.ZoneState}: the
 * projection is read whole and written whole, so a column per field would only add mapping code.
 */
@Entity
@Table(name = "zone_status")
public class ZoneStatusRecord extends PanacheEntityBase {

  @Id
  @Column(length = 255)
  public String zone;

  @Column(columnDefinition = "text", nullable = false)
  public String state;

  @Column(nullable = false)
  public Instant updatedAt;
}
