package dev.cascade.keymanager.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** The DS RRset last requested of a zone's parent: what the next request's records to add and remove are against. */
@Entity
@Table(name = "ds_request")
public class StoredDsRequest extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  /** The DS records in zone-file text, one a line; empty for none. */
  @Column(name = "ds", nullable = false, length = 8192)
  public String ds;

  /** The ParentDsChangeRequested's event id. */
  @Column(name = "event_id", nullable = false, length = 64)
  public String eventId;

  @Column(name = "requested_at", nullable = false)
  public Instant requestedAt;

  /** The DS records, in the order requested. */
  public List<String> records() {
    return ds.isEmpty() ? List.of() : List.of(ds.split("\n"));
  }
}
