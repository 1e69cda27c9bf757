package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The signing part of a zone's policy, from the latest ZoneAdded snapshot; the row disappears when the zone is
 * removed. Enum values are stored by name as plain strings (no database check constraint to migrate when one is added).
 */
@Entity
@Table(name = "zone_policy")
public class StoredZonePolicy extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  /** A {@code SerialPolicy} name. */
  @Column(name = "serial_policy", nullable = false, length = 32)
  public String serialPolicy;

  /** A {@code SigningPolicy.Denial} name: NSEC or NSEC3. */
  @Column(name = "denial", nullable = false, length = 16)
  public String denial;

  @Column(name = "nsec3_opt_out", nullable = false)
  public boolean nsec3OptOut;

  @Column(name = "nsec3_iterations", nullable = false)
  public int nsec3Iterations;

  /** Hex of the NSEC3 salt: at most 255 octets, the salt length field is one octet (RFC 5155 §3.2). */
  @Column(name = "nsec3_salt", nullable = false, length = 510)
  public String nsec3Salt;

  @Column(name = "inception_offset_s", nullable = false)
  public long inceptionOffsetSeconds;

  @Column(name = "lifetime_s", nullable = false)
  public long lifetimeSeconds;

  @Column(name = "remain_time_s", nullable = false)
  public long remainTimeSeconds;

  /**
   * Added after the table: the default (the reference Cascade default refresh interval, 12 h) filled the rows that
   * existed when Hibernate's former schema update added the column. V1__signer_tables.sql keeps the default, so that
   * a schema it creates and one adopted from those days are alike.
   */
  @Column(name = "refresh_interval_s", nullable = false, columnDefinition = "bigint not null default 43200")
  public long refreshIntervalSeconds;

  /** Id of the ZoneAdded event the snapshot came from. */
  @Column(name = "event_id", nullable = false, length = 64)
  public String eventId;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
