package dev.cascade.loader.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The last version the loader published for one zone; the row disappears when the zone is removed. */
@Entity
@Table(name = "loaded_zone")
public class LoadedZone extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  @Column(name = "source", nullable = false, length = 4096)
  public String source;

  /** The content digest of the records (dnssec-core CompactRecords.digest()). */
  @Column(name = "digest", nullable = false, length = 96)
  public String digest;

  @Column(name = "version_id", nullable = false, length = 36)
  public String versionId;

  /** SOA serial of the loaded version. */
  @Column(name = "serial", nullable = false)
  public long serial;

  @Column(name = "loaded_at", nullable = false)
  public Instant loadedAt;
}
