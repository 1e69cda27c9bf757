package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The serial of the last version signed for a zone. It survives the zone's removal: a zone added again must never go
 * back in serial, or secondaries would ignore it (RFC 1982 serial arithmetic, RFC 1034 §4.3.5).
 */
@Entity
@Table(name = "zone_serial")
public class LastSignedSerial extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  @Column(name = "last_signed_serial", nullable = false)
  public long lastSignedSerial;

  /** The version that was signed with this serial. */
  @Column(name = "version_id", nullable = false, length = 64)
  public String versionId;
}
